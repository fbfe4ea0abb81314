/**
 * The Arena Learning loop as a service: create a loop (pool split into seeded shards plus a held-out
 * evaluation set), start iterations (the current target version vs its opponents on the next unused
 * shard, and on the evaluation set), and read progress (each version's rating on the evaluation set).
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { mulberry32 } from "../../lib/random.js";
import { roundProgress } from "../../battles/progress.js";
import { findRound } from "../../battles/round-store.js";
import { splitPool } from "../../battles/shards.js";
import type { Db } from "../../db/client.js";
import { instructions, iterations, loops, loopShards } from "../../db/schema/index.js";
import { AppError, badRequest, conflict, notFound } from "../errors.js";
import { leaderboard } from "./leaderboard.js";
import { getModelRow, MODEL_NAME_RE } from "./models.js";
import { RoundCreateSchema, startRound } from "./rounds.js";

export const LoopCreateSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, . _ - (max 64)"),
  shards: z.number().int().min(1).max(1000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  evalHard: z.number().int().min(0).max(100_000).default(20),
  evalDiverse: z.number().int().min(0).max(100_000).default(40),
  instructions: z.strictObject({ source: z.string().min(1).optional(), category: z.string().min(1).optional() }).optional(),
});
export type LoopCreate = z.infer<typeof LoopCreateSchema>;

const Name = z.string().regex(MODEL_NAME_RE);
export const IterationStartSchema = z.strictObject({
  target: Name,
  opponents: z.array(Name).min(1).max(32),
  judges: z.array(Name).min(1).max(16),
  judgeMode: RoundCreateSchema.shape.judgeMode,
  jury: RoundCreateSchema.shape.jury,
  promptVersion: z.string().min(1).optional(),
  invalidRetries: RoundCreateSchema.shape.invalidRetries,
  maxAttempts: RoundCreateSchema.shape.maxAttempts,
  budget: RoundCreateSchema.shape.budget,
  /** Both rounds of the iteration: reviewed battles take people's verdict (boards, exports, the next iteration's data). */
  humanOverride: RoundCreateSchema.shape.humanOverride,
  /** Both rounds: judges see the candidates' reasoning traces. */
  judgeSeesTraces: RoundCreateSchema.shape.judgeSeesTraces,
  /** Both rounds: multi-turn instructions judged on the whole conversation or the last turn. */
  judgeTurns: RoundCreateSchema.shape.judgeTurns,
  /** Skip the evaluation round (e.g. to save cost); progress then has no rating for this version. */
  skipEval: z.boolean().default(false),
});
export type IterationStart = z.infer<typeof IterationStartSchema>;

export type LoopRow = typeof loops.$inferSelect;
export type IterationRow = typeof iterations.$inferSelect;

/** `createdBy`: the API key whose request creates the loop (null in local mode). */
export async function createLoop(db: Db, input: LoopCreate, createdBy: string | null = null, random = mulberry32(input.seed)) {
  const conds: SQL[] = [];
  if (input.instructions?.source) conds.push(eq(instructions.source, input.instructions.source));
  if (input.instructions?.category) conds.push(eq(instructions.category, input.instructions.category));
  const pool = await db
    .select({ id: instructions.id, category: instructions.category, complexity: instructions.complexity, length: sql<number>`length(${instructions.text})` })
    .from(instructions)
    .where(and(...conds));
  const heldOut = input.evalHard + input.evalDiverse;
  if (pool.length < heldOut + input.shards) {
    throw new AppError("unprocessable", `instructions: the pool has ${pool.length} matching instructions; ${heldOut} held out for evaluation plus ${input.shards} shards need at least ${heldOut + input.shards}`);
  }
  const split = splitPool(pool.map((p) => ({ ...p, length: Number(p.length) })), input, random);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: loops.id }).from(loops).where(eq(loops.name, input.name));
    if (existing) throw conflict(`loop '${input.name}' already exists`);
    await tx.insert(loops).values({ id, name: input.name, shards: input.shards, seed: input.seed, createdBy, options: { evalHard: input.evalHard, evalDiverse: input.evalDiverse, instructions: input.instructions ?? {} } });
    const rows = [
      ...split.eval.map((e) => ({ loopId: id, instructionId: e.id, shard: -1, evalKind: e.kind })),
      ...split.shards.flatMap((ids, k) => ids.map((instructionId) => ({ loopId: id, instructionId, shard: k, evalKind: null }))),
    ];
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(loopShards).values(rows.slice(i, i + 1000));
  });
  return { id, name: input.name, shardSizes: split.shards.map((s) => s.length), eval: { hard: input.evalHard, diverse: split.eval.length - input.evalHard } };
}

export async function getLoop(db: Db, idOrName: string): Promise<LoopRow> {
  const [row] = await db.select().from(loops).where(sql`${loops.id} = ${idOrName} or ${loops.name} = ${idOrName}`);
  if (!row) throw notFound("loop", idOrName);
  return row;
}

async function shardIds(db: Db, loopId: string, shard: number): Promise<number[]> {
  const rows = await db.select({ id: loopShards.instructionId }).from(loopShards).where(and(eq(loopShards.loopId, loopId), eq(loopShards.shard, shard))).orderBy(asc(loopShards.instructionId));
  return rows.map((r) => r.id);
}

/** Starts the next iteration: checks lineage, takes the next unused shard, writes both rounds. */
/** `createdBy` is recorded on both rounds the iteration starts. */
export async function startIteration(db: Db, loopIdOrName: string, input: IterationStart, createdBy: string | null = null) {
  const loop = await getLoop(db, loopIdOrName);
  const [prev] = await db.select().from(iterations).where(eq(iterations.loopId, loop.id)).orderBy(desc(iterations.number)).limit(1);
  const target = await getModelRow(db, input.target).catch(() => {
    throw badRequest(`target: model '${input.target}' is not registered`);
  });
  if (prev && target.parent !== prev.target) {
    throw badRequest(`target: '${input.target}' must be registered with parent '${prev.target}' (the target of iteration ${prev.number}); it has parent ${target.parent ? `'${target.parent}'` : "none"}`);
  }
  const used = new Set((await db.select({ shard: iterations.shard }).from(iterations).where(eq(iterations.loopId, loop.id))).map((r) => r.shard));
  let shard = -1;
  let ids: number[] = [];
  for (let k = 0; k < loop.shards; k++) {
    if (used.has(k)) continue;
    ids = await shardIds(db, loop.id, k);
    if (ids.length > 0) {
      shard = k;
      break;
    }
  }
  if (shard < 0) throw conflict(`loop '${loop.name}': all ${loop.shards} shards are used; create a new loop to continue`);
  const number = (prev?.number ?? 0) + 1;
  const id = randomUUID();
  const base = {
    candidates: [input.target, ...input.opponents],
    pairing: "target-vs-opponents" as const,
    target: input.target,
    judges: input.judges,
    judgeMode: input.judgeMode,
    jury: input.jury,
    swapRule: "soft" as const,
    promptVersion: input.promptVersion,
    useReference: true,
    maxAttempts: input.maxAttempts,
    invalidRetries: input.invalidRetries,
    humanOverride: input.humanOverride,
    judgeSeesTraces: input.judgeSeesTraces,
    judgeTurns: input.judgeTurns,
    sampling: "fixed" as const,
    budget: input.budget,
  };
  const evalIds = await shardIds(db, loop.id, -1);
  // Both rounds and the iteration commit together; the unique (loop, shard) key stops a concurrent start.
  const { train, evalRound } = await db.transaction(async (tx) => {
    const train = await startRound(tx, { ...base, name: `${loop.name} #${number} train (shard ${shard})`, instructions: { ids } }, { iterationId: id, createdBy });
    const evalRound = input.skipEval || evalIds.length === 0 ? null : await startRound(tx, { ...base, name: `${loop.name} #${number} eval`, instructions: { ids: evalIds } }, { createdBy });
    await tx.insert(iterations).values({ id, loopId: loop.id, number, target: input.target, opponents: input.opponents, judges: input.judges, shard, roundId: train.round.id, evalRoundId: evalRound?.round.id ?? null });
    return { train, evalRound };
  });
  return { id, loopId: loop.id, number, shard, target: input.target, roundId: train.round.id, evalRoundId: evalRound?.round.id ?? null, battles: train.battles, evalBattles: evalRound?.battles ?? 0 };
}

export async function getIteration(db: Db, id: string): Promise<IterationRow> {
  const [row] = await db.select().from(iterations).where(eq(iterations.id, id));
  if (!row) throw notFound("iteration", id);
  return row;
}

export async function listIterations(db: Db, loopId?: string): Promise<IterationRow[]> {
  return db.select().from(iterations).where(loopId ? eq(iterations.loopId, loopId) : undefined).orderBy(asc(iterations.createdAt), asc(iterations.number));
}

/** The loop with each iteration's round status and the evaluation board across versions. */
export async function loopProgress(db: Db, loop: LoopRow, bootstrap = 100, minBattles?: number) {
  const its = await listIterations(db, loop.id);
  const status = async (roundId: string | null) => {
    if (!roundId) return null;
    const r = await findRound(db, roundId);
    return r ? (await roundProgress(db, r)).status : null;
  };
  const evalRoundIds = its.map((i) => i.evalRoundId).filter((x): x is string => x !== null);
  const board = evalRoundIds.length > 0 ? await leaderboard(db, { method: "bt", bootstrap, styleControl: false, seed: 0, roundIds: evalRoundIds, minBattles }) : { method: "bt" as const, connected: true, components: [], items: [] };
  const ratingOf = new Map(board.items.map((i) => [i.model, i]));
  const items = await Promise.all(
    its.map(async (i) => ({
      id: i.id,
      number: i.number,
      target: i.target,
      opponents: i.opponents,
      judges: i.judges,
      shard: i.shard,
      roundId: i.roundId,
      roundStatus: await status(i.roundId),
      evalRoundId: i.evalRoundId,
      evalRoundStatus: await status(i.evalRoundId),
      evalRating: ratingOf.get(i.target) ?? null,
      createdAt: i.createdAt.toISOString(),
    })),
  );
  const [counts] = await db
    .select({ eval: sql<number>`count(*) filter (where ${loopShards.shard} = -1)::int`, train: sql<number>`count(*) filter (where ${loopShards.shard} >= 0)::int` })
    .from(loopShards)
    .where(eq(loopShards.loopId, loop.id));
  return {
    id: loop.id,
    name: loop.name,
    shards: loop.shards,
    seed: loop.seed,
    options: loop.options,
    instructions: { eval: counts?.eval ?? 0, train: counts?.train ?? 0 },
    iterations: items,
    evalBoard: board,
    createdAt: loop.createdAt.toISOString(),
  };
}
