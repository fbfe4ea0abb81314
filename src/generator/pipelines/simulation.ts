/**
 * The MATRIX simulation: agents (personas) are grouped by k-means over their profile embeddings;
 * then, step by step, every agent acts towards its goal given its memory and what it observed (one
 * structured call that also returns its summarised memory), and the modulator routes what they said
 * (algorithms/modulator.ts). Finally each group's activity at each step becomes a scenario: who took
 * part, what happened, and a summary. Stages: group, act:1, route:1, ..., act:S, route:S, scenarios.
 */
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { genScenarios } from "../../../db/schema/index.js";
import { badRequest } from "../../errors.js";
import { kmeans } from "../algorithms/kmeans.js";
import { routeMessages } from "../algorithms/modulator.js";
import { personaView, samplePersonas } from "../stores/personas.js";
import { inputOf, paramsOf, type Pipeline, type PipelineContext, type StagePlan } from "./pipeline.js";
import { ACT_PROMPT, describePersona, SCENARIO_PROMPT } from "../prompts/matrix.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import { type RunRow, type TaskRow, tasksOfStage } from "../engine/task-queue.js";
import { SimulationCreateSchema } from "../requests.js";
import { ActOut, ScenarioOut } from "../prompts/output-schemas.js";
import { nextAfterRoute, type SimAgent, SimStateSchema } from "./simulation-plan.js";
import { decodeNumbered, numbered } from "./stage.js";
import { fnv1a32Parts } from "../../../lib/hash.js";
import { mulberry32 } from "../../../lib/random.js";

const ActInput = z.object({ agent: z.number(), step: z.number(), persona: z.string(), memory: z.string(), observations: z.array(z.string()), groupMates: z.array(z.string()) });
type ActInput = z.infer<typeof ActInput>;
const RouteInput = z.object({ step: z.number(), messages: z.array(z.object({ agent: z.number(), text: z.string(), addressedTo: z.array(z.string()) })) });
const ScenarioInput = z.object({
  step: z.number(),
  group: z.number(),
  participants: z.array(z.object({ personaId: z.number(), name: z.string() })),
  actions: z.array(z.object({ name: z.string(), action: z.string(), message: z.string() })),
  deliveries: z.array(z.string()),
});
/** What an act task wrote that routing reads (the action's message and whom it names). */
const ActOutput = z.looseObject({ message: z.unknown(), addressedTo: z.array(z.string()).optional() });
/** What the group task writes: each agent's group, and how profiles were compared. */
const GroupOutput = z.object({ groups: z.array(z.number()), method: z.string() });

const stateOf = (run: RunRow) => SimStateSchema.parse(run.state);
const paramsOfRun = (run: RunRow) => paramsOf(run, SimulationCreateSchema);

async function group(ctx: PipelineContext, run: RunRow) {
  const p = paramsOfRun(run);
  const agents = stateOf(run).agents;
  const embed = await ctx.embedder(p.embeddingModel ?? null);
  const { vectors, method } = await embed(agents.map((a) => a.description));
  const r = kmeans(vectors, p.groups, { random: mulberry32(fnv1a32Parts(p.seed, "kmeans")) });
  const sizes = Array.from({ length: p.groups }, (_, g) => r.assignments.filter((x) => x === g).length);
  return { output: { method, groups: r.assignments, sizes, inertia: r.inertia, iterations: r.iterations } };
}

async function act(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOfRun(run);
  const v = inputOf(task, ActInput);
  const out = await ctx.llm.json({ model: p.model, messages: messagesOf(ACT_PROMPT, { ...v, steps: p.steps }), schema: ActOut, schemaName: "agent_action", seed: fnv1a32Parts(p.seed, task.key) });
  return { output: { prompt: tagOf(ACT_PROMPT), ...out } };
}

async function route(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOfRun(run);
  const { agents, groups = [] } = stateOf(run);
  const v = inputOf(task, RouteInput);
  if (p.communication === "none" || v.messages.length === 0) return { output: { method: "none", deliveries: [], relayed: 0, dropped: 0 } };
  const embed = await ctx.embedder(p.embeddingModel ?? null);
  const { vectors, method } = await embed([...agents.map((a) => a.description), ...v.messages.map((m) => m.text)]);
  const routing = agents.map((a, i) => ({ id: String(i), name: a.name, group: groups[i] ?? 0, vector: vectors[i] ?? [] }));
  const messages = v.messages.map((m, j) => ({ from: String(m.agent), text: m.text, addressedTo: m.addressedTo, vector: vectors[agents.length + j] ?? [] }));
  const r = routeMessages(routing, messages, { mode: p.communication, random: mulberry32(fnv1a32Parts(p.seed, task.key)), fanout: p.fanout, relayThreshold: p.relayThreshold, inboxLimit: p.inboxLimit });
  const deliveries = r.deliveries.map((d) => ({ ...d, to: Number(d.to), from: Number(d.from) }));
  return { output: { method, deliveries, relayed: r.relayed, dropped: r.dropped } };
}

async function scenario(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOfRun(run);
  const v = inputOf(task, ScenarioInput);
  const out = await ctx.llm.json({ model: p.model, messages: messagesOf(SCENARIO_PROMPT, v), schema: ScenarioOut, schemaName: "scenario", seed: fnv1a32Parts(p.seed, task.key) });
  return {
    output: { prompt: tagOf(SCENARIO_PROMPT), ...out },
    write: async (tx: Db) => {
      const row = { simulationId: run.id, step: v.step, groupIndex: v.group, participants: v.participants, ...out };
      await tx.insert(genScenarios).values(row).onConflictDoNothing();
    },
  };
}

function actStage(run: RunRow, step: number, memories: string[], inboxes: string[][]): StagePlan {
  const p = paramsOfRun(run);
  const { agents, groups = [] } = stateOf(run);
  const tasks = agents.map((a: SimAgent, i) => {
    const mates = p.communication === "grouped" ? agents.filter((_, j) => j !== i && groups[j] === groups[i]).map((m) => m.name) : [];
    const input: ActInput = { agent: i, step, persona: a.description, memory: memories[i] ?? "", observations: inboxes[i] ?? [], groupMates: mates };
    return { kind: "act", key: `act:${step}:${i}`, input };
  });
  return { stage: numbered("act", step), tasks };
}

export const simulationPipeline: Pipeline = {
  async start(ctx, run) {
    const p = paramsOfRun(run);
    const rows = await samplePersonas(ctx.db, p.personaSet, p.agents, p.seed);
    if (rows.length < p.agents) throw badRequest(`agents: persona set '${p.personaSet}' has ${rows.length} personas, ${p.agents} needed`);
    const agents: SimAgent[] = rows.map((r) => ({ personaId: r.id, name: r.name, description: describePersona(personaView(r)) }));
    return { stage: "group", tasks: [{ kind: "group", key: "group", input: {} }], state: { agents } };
  },
  async handle(ctx, run, task) {
    if (task.kind === "group") return group(ctx, run);
    if (task.kind === "act") return act(ctx, run, task);
    if (task.kind === "route") return route(ctx, run, task);
    return scenario(ctx, run, task);
  },
  async next(_ctx, run, tx) {
    const p = paramsOfRun(run);
    const n = stateOf(run).agents.length;
    if (run.stage === "group") {
      const [g] = await tasksOfStage(tx, run.id, "group");
      const out = g?.status === "done" ? GroupOutput.parse(g.output) : null;
      if (!out) return null;
      const plan = actStage({ ...run, state: { ...run.state, groups: out.groups } }, 1, [], []);
      return { ...plan, state: { groups: out.groups, groupingMethod: out.method } };
    }
    const stage = decodeNumbered(run.stage);
    if (!stage || stage.n === null) return null;
    const step = stage.n;
    if (stage.name === "act") {
      const done = (await tasksOfStage(tx, run.id, run.stage)).filter((t) => t.status === "done");
      const messages = done.map((t) => {
        const out = ActOutput.parse(t.output ?? {});
        return { agent: inputOf(t, ActInput).agent, text: String(out.message ?? ""), addressedTo: out.addressedTo ?? [] };
      });
      const route = numbered("route", step);
      return { stage: route, tasks: [{ kind: "route", key: route, input: { step, messages } }] };
    }
    if (stage.name === "route") {
      const all = await tasksOfStage(tx, run.id, "", true);
      const plan = nextAfterRoute(stateOf(run), step, p.steps, all, n);
      return plan.kind === "act" ? actStage(run, step + 1, plan.memories, plan.inboxes) : { stage: "scenarios", tasks: plan.tasks };
    }
    return null;
  },
};
