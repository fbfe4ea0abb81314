/**
 * Adaptive rounds in the database: the round row locked for a wave, the battles it has so far (pair
 * counts and the instructions each pair has met), the instruction pool in the round's seeded order,
 * and one wave written. The caller (src/services/adaptive-rounds.ts) holds one transaction around
 * lock -> read -> write, so two workers that both see a settled wave write it once: the second finds
 * the first one's battles open once the lock is free, and the plan index (battles_round_plan_idx)
 * refuses a duplicate battle in any case.
 */
import { and, eq, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type AdaptiveState, battles, rounds } from "../db/schema/index.js";
import { mulberry32 } from "../lib/random.js";
import { pickWave, type WavePair } from "./adaptive-plan.js";
import { CATEGORY_LOOKAHEAD, categoryShares, countCategory, nextInstruction } from "./instruction-choice.js";
import { poolQuery } from "./instruction-pool.js";
import { type PairingMode, planPairs } from "./pairing.js";
import type { RoundRow } from "./round-store.js";

type Tx = Pick<Db, "select" | "update" | "insert">;

export const isAdaptive = (round: Pick<RoundRow, "options">): boolean => round.options.sampling === "adaptive";

/** The round row, locked, when it is an active adaptive round with no battle pending or running; else null. */
export async function lockSettledAdaptiveRound(tx: Tx, roundId: string): Promise<RoundRow | null> {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
  if (!round || !isAdaptive(round) || !["pending", "running"].includes(round.status)) return null;
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(battles)
    .where(and(eq(battles.roundId, roundId), inArray(battles.status, ["pending", "running"])));
  return Number(open?.n ?? 0) > 0 ? null : round;
}

/** Active adaptive rounds with nothing open: a crash between a wave's last battle and the next wave leaves one. */
export async function stalledAdaptiveRounds(db: Pick<Db, "select">): Promise<string[]> {
  const open = db
    .select({ one: sql`1` })
    .from(battles)
    .where(and(eq(battles.roundId, rounds.id), inArray(battles.status, ["pending", "running"])));
  const rows = await db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(isNotNull(rounds.adaptive), inArray(rounds.status, ["pending", "running"]), notExists(open)));
  return rows.map((r) => r.id);
}

/** One eligible pair of a round: its models and, from its battles so far, counts and instructions met. */
export interface RoundPair extends WavePair {
  x: string;
  y: string;
  /** Instructions the pair has met (any battle status). */
  used: Set<number>;
  /** How many of its battles (any status) fell in each category (categoryKey). */
  met: Map<string, number>;
}

export interface RoundBattles {
  models: string[];
  pairs: RoundPair[];
  /** Battles planned so far (any status). */
  planned: number;
  /** The last wave's battles: how many were judged (done) and how many failed for good. */
  lastWave: { done: number; failed: number };
  /** Each category's share of the round's pool (instruction-choice.ts stratifies by it). */
  shares: Map<string, number>;
}

/** The round's instruction pool in figures: how many instructions, and each category's share. */
export interface PoolStats {
  size: number;
  shares: Map<string, number>;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** The round's eligible pairs with their battles so far; the pool's size bounds each pair's capacity. */
export async function readRoundBattles(tx: Tx, round: RoundRow, pool: PoolStats): Promise<RoundBattles> {
  const models = [...round.candidates];
  const index = new Map(models.map((m, k) => [m, k]));
  const pairs: RoundPair[] = planPairs({ ...round, pairing: round.pairing as PairingMode }).map(([x, y]) => ({ x, y, i: index.get(x) ?? 0, j: index.get(y) ?? 0, count: 0, capacity: 0, sumY: 0, sumY2: 0, used: new Set<number>(), met: new Map<string, number>() }));
  const byKey = new Map(pairs.map((p) => [pairKey(p.x, p.y), p]));
  const rows = await tx
    .select({ instructionId: battles.instructionId, modelA: battles.modelA, modelB: battles.modelB, status: battles.status, outcome: battles.outcome, wave: battles.wave, category: battles.category })
    .from(battles)
    .where(eq(battles.roundId, round.id));
  const lastWave = { done: 0, failed: 0 };
  const current = round.adaptive?.wave ?? 0;
  for (const r of rows) {
    if (r.wave === current) {
      if (r.status === "done") lastWave.done++;
      if (r.status === "failed") lastWave.failed++;
    }
    const p = byKey.get(pairKey(r.modelA, r.modelB));
    if (!p) continue;
    if (r.instructionId !== null) p.used.add(r.instructionId);
    countCategory(p.met, r.category);
    if (r.status !== "done" || r.outcome === null) continue;
    // The outcome is model A's share; the planner reads it as the pair's first model's (x, index i).
    const y = r.modelA === p.x ? r.outcome : 1 - r.outcome;
    p.count++;
    p.sumY = (p.sumY ?? 0) + y;
    p.sumY2 = (p.sumY2 ?? 0) + y * y;
  }
  for (const p of pairs) p.capacity = Math.max(0, pool.size - p.used.size);
  return { models, pairs, planned: rows.length, lastWave, shares: pool.shares };
}

/** The figures of a pool already read (the round's creation reads it whole). */
export function poolStatsOf(items: readonly { category: string | null }[]): PoolStats {
  const counts = new Map<string | null, number>();
  for (const it of items) counts.set(it.category, (counts.get(it.category) ?? 0) + 1);
  return { size: items.length, shares: categoryShares([...counts].map(([category, n]) => ({ category, n }))) };
}

/** The round's pool in figures (its filter, `limit` applied), counted per category in one query. */
export async function poolStats(tx: Tx, round: RoundRow): Promise<PoolStats> {
  const pool = poolQuery(tx, round.options, round.options.instructions.limit).as("pool");
  const rows = (await tx.select({ category: pool.category, n: sql<number>`count(*)::int` }).from(pool).groupBy(pool.category)).map((r) => ({ category: r.category, n: Number(r.n) }));
  return { size: rows.reduce((s, r) => s + r.n, 0), shares: categoryShares(rows) };
}

/** The first `n` pool instructions in the round's seeded order, with their categories. */
async function poolHead(tx: Tx, round: RoundRow, n: number): Promise<{ id: number; category: string | null }[]> {
  const limit = round.options.instructions.limit;
  return poolQuery(tx, round.options, limit === undefined ? n : Math.min(n, limit));
}

/** The generator of wave `wave`'s choices: the round's seed and the wave number, nothing else. */
export function waveRng(round: Pick<RoundRow, "options">, wave: number): () => number {
  const seed = round.options.instructions.seed ?? 0;
  return mulberry32((seed ^ 0x2545f491 ^ Math.imul(wave, 0x9e3779b1)) >>> 0);
}

/** Wave 1, written with the round (no results yet: the warm-up, every eligible pair first). */
export async function writeFirstWave(tx: Tx, round: RoundRow, pool: PoolStats): Promise<number> {
  const rb = await readRoundBattles(tx, round, pool);
  const waveSize = Math.min(round.options.adaptive?.waveSize ?? 1, round.options.adaptive?.maxBattles ?? Number.POSITIVE_INFINITY);
  const picks = pickWave({ nModels: rb.models.length, pairs: rb.pairs, theta: new Float64Array(rb.models.length), waveSize, rng: waveRng(round, 1), focus: focusIndex(round) });
  const written = await writeWave(tx, round, rb, picks, 1);
  await saveAdaptiveState(tx, round.id, { wave: 1, ciWidth: null, stoppedBy: null });
  return written;
}

/** The model whose rating a target-vs-opponents (or vs-baseline) round is about, as an index into its candidates. */
export function focusIndex(round: Pick<RoundRow, "pairing" | "target" | "baseline" | "candidates">): number | null {
  const anchor = round.pairing === "target-vs-opponents" ? round.target : round.pairing === "vs-baseline" ? round.baseline : null;
  const k = anchor ? round.candidates.indexOf(anchor) : -1;
  return k >= 0 ? k : null;
}

/**
 * Writes wave `wave`: each picked pair meets the first pool instructions (seeded order) it has not met,
 * so the pairs of a wave share instructions and their answers; each battle's A/B slot is drawn from
 * a generator seeded by the round's seed and the wave. Returns the battles written.
 */
export async function writeWave(tx: Tx, round: RoundRow, rb: RoundBattles, picks: readonly number[], wave: number): Promise<number> {
  if (picks.length === 0) return 0;
  // A pair with u instructions met has CATEGORY_LOOKAHEAD unmet ones among the first u + CATEGORY_LOOKAHEAD.
  let widest = 0;
  for (const p of rb.pairs) widest = Math.max(widest, p.used.size);
  const pool = await poolHead(tx, round, widest + picks.length + CATEGORY_LOOKAHEAD);
  const seed = round.options.instructions.seed ?? 0;
  const random = mulberry32((seed ^ 0x5bd1e995 ^ Math.imul(wave, 0x9e3779b1)) >>> 0);
  const values: (typeof battles.$inferInsert)[] = [];
  for (const k of picks) {
    const p = rb.pairs[k];
    if (!p) continue;
    const next = nextInstruction(pool, p.used, p.met, rb.shares);
    if (!next) continue;
    p.used.add(next.id);
    countCategory(p.met, next.category);
    const flip = random() < 0.5;
    values.push({ roundId: round.id, instructionId: next.id, modelA: flip ? p.y : p.x, modelB: flip ? p.x : p.y, status: "pending", category: next.category, wave });
  }
  for (let i = 0; i < values.length; i += 1000) await tx.insert(battles).values(values.slice(i, i + 1000)).onConflictDoNothing();
  return values.length;
}

/** Records the round's wave state; `end` also closes the round. */
export async function saveAdaptiveState(tx: Tx, roundId: string, state: AdaptiveState, end?: { status: "done" | "failed"; error: string | null }): Promise<void> {
  await tx
    .update(rounds)
    .set(end ? { adaptive: state, status: end.status, error: end.error, finishedAt: sql`now()` } : { adaptive: state })
    .where(eq(rounds.id, roundId));
}
