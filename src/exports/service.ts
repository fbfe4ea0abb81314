/**
 * The last stage of src/exports/ (groups -> withheld -> select -> format -> stream -> service), the
 * one the routes and the reports service call. Which rounds feed an export (a round, an iteration's
 * training round, or by default every round that is not a loop's evaluation round), what is withheld
 * from it (every instruction a loop holds out, by id and normalised text, and benchmark-colliding
 * prompts, unless the request names includeHeldOut / includeBenchmarkCollisions), the selection
 * policy, the format, and the streamed JSONL body.
 */
import { asc, eq, isNotNull, notInArray } from "drizzle-orm";
import { z } from "zod";
import { exportGroupPages } from "./groups.js";
import { mulberry32 } from "../../lib/random.js";
import type { RoundRow } from "../../battles/round-store.js";
import { createSelector, type InstructionGroup, type SelectionKind, type SelectionOptions, type Selector } from "./select.js";
import type { Db } from "../../db/client.js";
import { iterations, loops, rounds } from "../../db/schema/index.js";
import { renderDatasetCard } from "./dataset-card.js";
import { createWithholding, type Withholding, type WithheldFlags, type WithheldSets } from "./withheld.js";
import { datasetConfig } from "./dataset-info.js";
import { createFormatter, FORMATS, isFormat, traceLayout, type FormatOfKind } from "./format.js";
import { exportChunks, stringifyLines } from "./stream.js";
import { badRequest, conflict, notFound } from "../errors.js";
import { evalRoundOwner, loadWithheldSets } from "./withheld-sets.js";

export const KINDS = ["sft", "dpo", "reward", "kto"] as const;
export const DEFAULT_FORMAT: Record<SelectionKind, string> = { sft: "messages", dpo: "trl", reward: "scores", kto: "trl" };

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** Query parameters shared by every export kind (format is checked per kind). */
export const ExportQuerySchema = z.object({
  format: z.string().optional(),
  roundId: z.string().min(1).optional(),
  iterationId: z.string().min(1).optional(),
  minMargin: z.coerce.number().min(0).max(1).optional(),
  onlyTargetLoses: flag.optional(),
  perCategoryCap: z.coerce.number().int().min(1).optional(),
  curriculum: flag.optional(),
  dedup: flag.default(true),
  includeOpponentPairs: flag.optional(),
  lossRule: z.enum(["pooled", "any-loss"]).optional(),
  provenance: flag.optional(),
  traces: z.enum(["drop", "keep"]).optional().describe("drop (default): SFT and DPO rows carry final answers only; keep: each answer's reasoning trace as a <think> block at the start of the assistant content"),
  seed: z.coerce.number().int().min(0).default(0),
  includeHeldOut: flag.optional().describe("keep instructions that loops hold out for evaluation (by id or normalised text), and allow roundId of an evaluation round"),
  includeBenchmarkCollisions: flag.optional().describe("keep prompts that collide with an uploaded benchmark set (exact, or a shared 13-gram)"),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

export interface ExportPlan<K extends SelectionKind> {
  kind: K;
  format: FormatOfKind[K];
  rounds: RoundRow[];
  options: SelectionOptions;
  target: string | null;
  name: string;
  /** The file the JSONL body is saved as (the download's name, and what the card and loader configs point at). */
  fileName: string;
  /** Whether rows carry reasoning traces (`traces=keep`) or final answers only. */
  traces: "drop" | "keep";
  withheld: { sets: WithheldSets; flags: WithheldFlags; evalRound: EvalRound | null };
}

/** A loop's evaluation round named by roundId (only with includeHeldOut=true). */
export interface EvalRound {
  roundId: string;
  loop: string;
  iteration: number;
}

async function sourceRounds(db: Db, q: ExportQuery): Promise<{ rows: RoundRow[]; iteration?: { number: number; shards: number }; evalRound?: EvalRound }> {
  if (q.roundId) {
    const [r] = await db.select().from(rounds).where(eq(rounds.id, q.roundId));
    if (!r) throw notFound("round", q.roundId);
    const owner = await evalRoundOwner(db, r.id);
    if (owner === null) return { rows: [r] };
    if (!q.includeHeldOut) {
      throw conflict(
        `roundId: round '${r.id}' is the evaluation round of loop '${owner.loop}' iteration ${owner.iteration}; its instructions are held out and never training data. Add includeHeldOut=true to export it anyway (the dataset card will say it holds evaluation data)`,
        { roundId: r.id, loop: owner.loop, iteration: owner.iteration },
      );
    }
    return { rows: [r], evalRound: { roundId: r.id, ...owner } };
  }
  if (q.iterationId) {
    const [it] = await db.select({ roundId: iterations.roundId, number: iterations.number, shards: loops.shards }).from(iterations).innerJoin(loops, eq(loops.id, iterations.loopId)).where(eq(iterations.id, q.iterationId));
    if (!it) throw notFound("iteration", q.iterationId);
    const rows = await db.select().from(rounds).where(eq(rounds.id, it.roundId));
    return { rows, iteration: { number: it.number, shards: it.shards } };
  }
  const evalIds = (await db.select({ id: iterations.evalRoundId }).from(iterations).where(isNotNull(iterations.evalRoundId))).map((r) => r.id ?? "");
  const rows = await db
    .select()
    .from(rounds)
    .where(evalIds.length > 0 ? notInArray(rounds.id, evalIds) : undefined)
    .orderBy(asc(rounds.createdAt));
  return { rows };
}

export async function planExport<K extends SelectionKind>(db: Db, kind: K, q: ExportQuery): Promise<ExportPlan<K>> {
  const format = q.format ?? DEFAULT_FORMAT[kind];
  if (!isFormat(kind, format)) {
    throw badRequest(`format: '${q.format}' is not a ${kind} format; use one of ${FORMATS[kind].join(", ")}`);
  }
  const src = await sourceRounds(db, q);
  if (q.curriculum && !src.iteration) throw badRequest("curriculum: needs iterationId (the curriculum follows the iteration number)");
  const options: SelectionOptions = {
    minMargin: q.minMargin,
    onlyTargetLoses: q.onlyTargetLoses,
    perCategoryCap: q.perCategoryCap,
    dedup: q.dedup,
    includeOpponentPairs: q.includeOpponentPairs,
    lossRule: q.lossRule,
    curriculum: q.curriculum && src.iteration ? { iteration: src.iteration.number, totalIterations: src.iteration.shards } : undefined,
  };
  const targets = [...new Set(src.rows.map((r) => r.target).filter((t): t is string => t !== null))];
  // The file name carries includeHeldOut too, so a saved file says what it may hold without its card.
  const scope = q.iterationId ? `iteration-${src.iteration?.number}` : q.roundId ? `round-${q.roundId.slice(0, 8)}` : "all";
  const name = `matrix-arena-${kind}-${scope}${q.includeHeldOut ? "-with-held-out" : ""}`;
  const withheld = { sets: await loadWithheldSets(db), flags: { includeHeldOut: q.includeHeldOut ?? false, includeBenchmarkCollisions: q.includeBenchmarkCollisions ?? false }, evalRound: src.evalRound ?? null };
  const fileName = `${name}.${format}.jsonl`;
  return { kind, format, rounds: src.rows, options, target: targets.length === 1 ? (targets[0] ?? null) : null, name, fileName, withheld, traces: q.traces ?? "drop" };
}

/**
 * The JSONL body as chunks, and the selector and withholding whose summaries are complete once the
 * chunks are consumed. A withheld group goes to a second selector of the same policy (without the
 * export-wide cap), only to count the rows it would have given.
 */
export function runExport<K extends SelectionKind>(
  db: Db,
  plan: ExportPlan<K>,
  provenance?: boolean,
  seed = 0,
): { chunks: AsyncGenerator<Uint8Array>; selector: Selector<K>; withholding: Withholding; lines: () => number } {
  const selector = createSelector(plan.kind, plan.options, mulberry32(seed));
  const shadow = createSelector(plan.kind, { ...plan.options, perCategoryCap: undefined }, mulberry32(seed));
  const withholding = createWithholding(plan.withheld.sets, plan.withheld.flags);
  const formatOptions = { ...(provenance === undefined ? {} : { provenance }), traces: plan.traces };
  const write = stringifyLines(createFormatter(plan.kind, plan.format, formatOptions));
  const cols = { traces: traceLayout(plan.kind, formatOptions) !== null };
  let lines = 0;
  const rowsOf = (group: InstructionGroup) => withholding.rows(group, (g) => selector.next(g), (g) => shadow.next(g).length);
  const chunks = exportChunks(exportGroupPages(db, plan.rounds, cols), rowsOf, write, { onLines: (n) => void (lines += n) });
  return { chunks, selector, withholding, lines: () => lines };
}

/** Runs the whole export (without keeping it) and renders its Markdown dataset card. */
export async function datasetCard<K extends SelectionKind>(db: Db, plan: ExportPlan<K>, q: ExportQuery, now: Date): Promise<string> {
  const run = runExport(db, plan, q.provenance, q.seed);
  for await (const _chunk of run.chunks) {
    // Consumed only for the counts.
  }
  return renderDatasetCard({
    name: plan.name,
    kind: plan.kind,
    format: plan.format,
    fileName: plan.fileName,
    summary: run.selector.summary(),
    options: plan.options,
    formatOptions: { ...(q.provenance === undefined ? {} : { provenance: q.provenance }), traces: plan.traces },
    generatedAt: now,
    target: plan.target,
    lines: run.lines(),
    withheld: { summary: run.withholding.summary(), flags: plan.withheld.flags, evalRound: plan.withheld.evalRound },
  });
}

export function datasetInfo<K extends SelectionKind>(plan: ExportPlan<K>) {
  return datasetConfig(plan.name, plan.kind, plan.format, plan.fileName)?.config ?? null;
}

/** SFT rows and DPO pairs a round yields under the default policy and withholding (one pass over its groups). */
export async function countTrainingRows(db: Db, roundId: string): Promise<{ sftRows: number; dpoPairs: number } | null> {
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId));
  if (!round) return null;
  const sft = createSelector("sft", { dedup: true }, mulberry32(0));
  const dpo = createSelector("dpo", { dedup: true }, mulberry32(0));
  const withholding = createWithholding(await loadWithheldSets(db), { includeHeldOut: false, includeBenchmarkCollisions: false });
  const none = () => 0;
  let sftRows = 0;
  let dpoPairs = 0;
  for await (const page of exportGroupPages(db, [round])) {
    for (const g of page) {
      for (const kept of withholding.rows(g, (x) => [x], none)) {
        sftRows += sft.next(kept).length;
        dpoPairs += dpo.next(kept).length;
      }
    }
  }
  return { sftRows, dpoPairs };
}
