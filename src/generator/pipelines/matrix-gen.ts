/**
 * MATRIX-Gen: from (scenario, persona) pairs of a simulation, write instructions of every kind
 * (simple and complex SFT, code, safety, multi-turn, preference prompts), each tagged with a category
 * of the run's taxonomy and a complexity level. The category mix and complexity follow the plan
 * (algorithms/plan.ts), which feedback from an earlier round shifts.
 */
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { genPersonas } from "../../../db/schema/index.js";
import { badRequest } from "../../errors.js";
import { insertItems, type Message, type NewItem } from "../stores/items.js";
import { inputOf, paramsOf, type Pipeline, type PipelineContext } from "./pipeline.js";
import { personaView } from "../stores/personas.js";
import { planInstructions, categoryWeights } from "../algorithms/plan.js";
import { describePersona, WRITE_PROMPT } from "../prompts/matrix.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import type { RunRow, TaskRow } from "../engine/task-queue.js";
import { MatrixGenSchema } from "../requests.js";
import { AppliedFeedbackSchema } from "../stores/feedback-battles.js";
import { scenariosFor } from "../stores/scenarios.js";
import { CodeInstructionOut, MultiTurnOut, PreferenceInstructionOut, SafetyInstructionOut, SingleInstructionOut } from "../prompts/output-schemas.js";
import { DEFAULT_CATEGORIES, INSTRUCTION_KINDS } from "../taxonomy.js";
import { fnv1a32Parts } from "../../../lib/hash.js";
import { mulberry32 } from "../../../lib/random.js";

/** A write task: the prompt's variables (WriteVars, with the persona's id and name beside its description) and the scenario's id. */
const WriteInput = z.object({
  kind: z.enum(INSTRUCTION_KINDS),
  category: z.string(),
  complexity: z.number(),
  scenario: z.object({ title: z.string(), summary: z.string(), events: z.array(z.string()) }),
  scenarioId: z.number(),
  persona: z.object({ id: z.number(), name: z.string(), description: z.string() }),
});
type WriteInput = z.infer<typeof WriteInput>;


async function write(ctx: PipelineContext, run: RunRow, task: TaskRow): Promise<{ item: NewItem; raw: Record<string, unknown> }> {
  const p = paramsOf(run, MatrixGenSchema);
  const v = inputOf(task, WriteInput);
  const call = { model: p.model, messages: messagesOf(WRITE_PROMPT, { ...v, persona: v.persona.description }), seed: fnv1a32Parts(p.seed, task.key), temperature: p.temperature };
  const base = { kind: v.kind, category: v.category, complexity: v.complexity };
  const meta = { flow: "matrix-gen", scenarioId: v.scenarioId, personaId: v.persona.id, prompt: tagOf(WRITE_PROMPT) };
  const user = (content: string): Message[] => [{ role: "user", content }];
  switch (v.kind) {
    case "code": {
      const o = await ctx.llm.json({ ...call, schema: CodeInstructionOut, schemaName: "code_instruction" });
      return { raw: o, item: { ...base, messages: user(o.instruction), metadata: { ...meta, language: o.language } } };
    }
    case "safety": {
      const o = await ctx.llm.json({ ...call, schema: SafetyInstructionOut, schemaName: "safety_instruction" });
      return { raw: o, item: { ...base, messages: user(o.instruction), metadata: { ...meta, risk: o.risk, expectedBehavior: o.expectedBehavior } } };
    }
    case "preference": {
      const o = await ctx.llm.json({ ...call, schema: PreferenceInstructionOut, schemaName: "preference_prompt" });
      return { raw: o, item: { ...base, messages: user(o.instruction), metadata: { ...meta, qualityCriteria: o.qualityCriteria } } };
    }
    case "multi-turn": {
      const o = await ctx.llm.json({ ...call, schema: MultiTurnOut, schemaName: "conversation" });
      // User turns only: the conversation is answered turn by turn by each candidate (a multi-turn
      // instruction once published), never with the writer's invented assistant replies, kept in `raw`.
      const turns = [...o.turns.map((t) => t.userMessage), o.finalUserMessage].map((content): Message => ({ role: "user", content }));
      return { raw: o, item: { ...base, messages: turns, metadata: { ...meta, userTurns: turns.length } } };
    }
    default: {
      const o = await ctx.llm.json({ ...call, schema: SingleInstructionOut, schemaName: "instruction" });
      return { raw: o, item: { ...base, messages: user(o.instruction), metadata: meta } };
    }
  }
}

export const matrixGenPipeline: Pipeline = {
  async start(ctx, run) {
    const p = paramsOf(run, MatrixGenSchema);
    const scenarios = await scenariosFor(ctx.db, p.simulationId, p.scenarioIds);
    if (scenarios.length === 0) throw badRequest(p.simulationId ? `simulationId: simulation '${p.simulationId}' has no scenarios (is it finished?)` : "scenarioIds: no such scenarios");
    const personaIds = [...new Set(scenarios.flatMap((s) => s.participants.map((x) => x.personaId)))];
    const personas = personaIds.length > 0 ? await ctx.db.select().from(genPersonas).where(inArray(genPersonas.id, personaIds)) : [];
    const byId = new Map(personas.map((r) => [r.id, r]));
    const categories = p.categories ?? [...DEFAULT_CATEGORIES];
    const fb = AppliedFeedbackSchema.nullable().parse(run.feedback);
    const kinds = INSTRUCTION_KINDS.map((kind) => ({ kind, weight: p.kinds ? (p.kinds[kind] ?? 0) : 1 })).filter((k) => k.weight > 0);
    const plan = planInstructions({
      count: p.count,
      kinds,
      categories,
      weights: categoryWeights(categories, fb?.weights),
      adjustments: fb?.adjustments,
      complexity: p.complexity,
      scenarios: scenarios.length,
      random: mulberry32(fnv1a32Parts(p.seed, "matrix-gen")),
    });
    const tasks = plan.map((slot, i) => {
      const s = scenarios[slot.scenarioIndex] ?? scenarios[0];
      const parts = s?.participants ?? [];
      const who = parts[Math.floor(slot.personaDraw * parts.length)];
      const row = who ? byId.get(who.personaId) : undefined;
      const persona = row ? { id: row.id, name: row.name, description: describePersona(personaView(row)) } : { id: 0, name: who?.name ?? "a user", description: who?.name ?? "a user" };
      const scenario = { title: s?.title ?? "", summary: s?.summary ?? "", events: s?.events ?? [] };
      const input: WriteInput = { kind: slot.kind, category: slot.category, complexity: slot.complexity, scenarioId: s?.id ?? 0, scenario, persona };
      return { kind: "write", key: `write:${i}`, input };
    });
    return { stage: "write", tasks };
  },
  async handle(ctx, run, task) {
    const { item, raw } = await write(ctx, run, task);
    return { output: { prompt: tagOf(WRITE_PROMPT), value: raw }, write: (tx) => insertItems(tx, run.id, task.key, [item]) };
  },
  async next() {
    return null;
  },
};
