/**
 * Evol-Instruct: rewrite instructions (a run's items or pool instructions) with an operator per round
 * (add constraints, deepen, concretize, increase reasoning, breadth). The last user turn evolves;
 * earlier turns are kept. In-depth operators raise complexity by one. Stages: evol:1..R; round 1
 * creates the item, later rounds revise it.
 */
import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { instructions } from "../../../db/schema/index.js";
import { badRequest } from "../../errors.js";
import { insertItems, itemByKey, itemsOfRun, reviseItem, type Message, MessageSchema } from "../stores/items.js";
import { inputOf, paramsOf, type Pipeline, type PipelineContext } from "./pipeline.js";
import { numbered, requireNumber } from "./stage.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import { EVOL_PROMPT } from "../prompts/agentinstruct.js";
import type { RunRow, TaskRow } from "../engine/task-queue.js";
import { type EvolParams, EvolSchema } from "../requests.js";
import { EvolOut } from "../prompts/output-schemas.js";
import { EVOL_DEEPENING, EVOL_OPERATORS } from "../taxonomy.js";
import { fnv1a32Parts } from "../../../lib/hash.js";

/** What a first-round task evolves: a run's item or a pool instruction, copied into the task. */
const SourceSchema = z.object({
  ref: z.object({ itemId: z.number().optional(), instructionId: z.number().optional() }),
  messages: z.array(MessageSchema),
  category: z.string(),
  complexity: z.number().nullable(),
});
type Source = z.infer<typeof SourceSchema>;
const EvolInput = z.object({ index: z.number(), round: z.number(), operator: z.string(), source: SourceSchema.optional() });

/** The operator of item `index` in `round`: a seeded choice, so reruns pick the same. */
export function operatorFor(operators: readonly string[], seed: number, index: number, round: number): string {
  return operators[fnv1a32Parts(seed, "evol", index, round) % operators.length] ?? "deepen";
}

async function sources(db: Db, p: EvolParams): Promise<Source[]> {
  if (p.fromRun) {
    const items = await itemsOfRun(db, p.fromRun, ["generated", "published"]);
    return items.map((it) => ({ ref: { itemId: it.id }, messages: it.messages, category: it.category, complexity: it.complexity }));
  }
  const rows = await db.select().from(instructions).where(inArray(instructions.id, p.instructionIds ?? [-1])).orderBy(instructions.id);
  return rows.map((r) => ({ ref: { instructionId: r.id }, messages: r.messages, category: r.category, complexity: r.complexity }));
}

function evolved(messages: readonly Message[], text: string): Message[] {
  const last = messages.findLastIndex((m) => m.role === "user");
  return last < 0 ? [{ role: "user", content: text }] : [...messages.slice(0, last), { role: "user", content: text }, ...messages.slice(last + 1)];
}

async function evolve(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOf(run, EvolSchema);
  const v = inputOf(task, EvolInput);
  const itemKey = numbered("evol", v.index);
  const current = v.source ? null : await itemByKey(ctx.db, run.id, itemKey);
  const messages = v.source?.messages ?? current?.messages ?? [];
  const before = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const vars = { instruction: before, operator: v.operator, description: EVOL_OPERATORS[v.operator] ?? v.operator };
  const out = await ctx.llm.json({ model: p.model, messages: messagesOf(EVOL_PROMPT, vars), schema: EvolOut, schemaName: "evolved_instruction", seed: fnv1a32Parts(p.seed, task.key), temperature: p.temperature });
  const base = v.source?.complexity ?? current?.complexity ?? null;
  const complexity = EVOL_DEEPENING.has(v.operator) ? Math.min(5, (base ?? 2) + 1) : base;
  const step = { round: v.round, operator: v.operator, before, prompt: tagOf(EVOL_PROMPT) };
  const next = evolved(messages, out.instruction);
  const write = async (tx: Db) => {
    if (v.source) {
      await insertItems(tx, run.id, itemKey, [{ kind: "evol", category: v.source.category, complexity, messages: next, metadata: { flow: "evol", source: v.source.ref, history: [step] } }]);
    } else if (current) {
      const history = [...(((current.metadata as { history?: unknown[] }).history) ?? []), step];
      await reviseItem(tx, current.id, next, complexity, { history });
    }
  };
  return { output: { operator: v.operator, instruction: out.instruction }, write };
}

export const evolPipeline: Pipeline = {
  async start(ctx, run) {
    const p = paramsOf(run, EvolSchema);
    const list = (await sources(ctx.db, p)).slice(0, p.limit);
    if (list.length === 0) throw badRequest(p.fromRun ? `fromRun: run '${p.fromRun}' has no items` : "instructionIds: no such instructions");
    const ops = p.operators ?? Object.keys(EVOL_OPERATORS);
    const tasks = list.map((source, index) => ({ kind: "evol", key: `evol:1:${index}`, input: { index, round: 1, operator: operatorFor(ops, p.seed, index, 1), source } }));
    return { stage: numbered("evol", 1), tasks };
  },
  handle: evolve,
  async next(_ctx, run, tx) {
    const p = paramsOf(run, EvolSchema);
    const round = requireNumber(run.stage, "evol") + 1;
    if (round > p.rounds) return null;
    const ops = p.operators ?? Object.keys(EVOL_OPERATORS);
    const items = await itemsOfRun(tx, run.id, ["generated"]);
    const tasks = items.map((it) => {
      const index = requireNumber(it.taskKey, "evol");
      return { kind: "evol", key: `evol:${round}:${index}`, input: { index, round, operator: operatorFor(ops, p.seed, index, round) } };
    });
    return { stage: numbered("evol", round), tasks };
  },
};
