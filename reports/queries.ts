/**
 * The one place reports/ reads the database: aggregate cells for Bradley-Terry boards, raw
 * battles (time-ordered) for Elo, style control and per-judge boards, and battles against a
 * baseline with their per-game labels and answer lengths for the scores (reports/scores), and the
 * version of what a board reads (for the board cache).
 */
import { and, asc, eq, inArray, isNotNull, not, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battleCells, battles, boardVersions, judgments, rounds } from "../db/schema/index.js";
import type { Battle } from "./battle-log.js";
import type { CountRow } from "./leaderboard-counts.js";
import type { StoredBaselineRow } from "./scores/sides.js";

export interface BoardFilter {
  roundId?: string;
  /** Several rounds pooled (e.g. a loop's evaluation rounds). */
  roundIds?: string[];
  category?: string;
  judge?: string;
  /** Only battles among these models (e.g. an iteration's versions and opponents). */
  models?: string[];
}

/**
 * The version of what a board over `f` reads: the sum of the change counters of the rounds it can see
 * (one round, the pooled rounds, or every round and the imports). It grows with every committed change
 * to those rounds' battles (battles/cells.ts `markBoardsChanged`), so two equal reads saw the same data.
 * One indexed read of a table with at most 16 rows per round.
 */
export async function readBoardVersion(db: Db, f: Pick<BoardFilter, "roundId" | "roundIds">): Promise<number> {
  const cond =
    f.roundId !== undefined ? eq(boardVersions.roundId, f.roundId) : f.roundIds !== undefined ? inArray(boardVersions.roundId, f.roundIds.length > 0 ? f.roundIds : [""]) : undefined;
  const [row] = await db
    .select({ v: sql<number>`coalesce(sum(${boardVersions.changes}), 0)::float8` })
    .from(boardVersions)
    .where(cond);
  return Number(row?.v ?? 0);
}

export async function readCounts(db: Db, f: BoardFilter): Promise<CountRow[]> {
  const conds: SQL[] = [];
  if (f.roundId !== undefined) conds.push(eq(battleCells.roundId, f.roundId));
  if (f.roundIds !== undefined) conds.push(inArray(battleCells.roundId, f.roundIds.length > 0 ? f.roundIds : [""]));
  if (f.category !== undefined) conds.push(eq(battleCells.category, f.category));
  const rows = await db
    .select({ modelA: battleCells.modelA, modelB: battleCells.modelB, outcome: battleCells.outcome, count: sql<number>`sum(${battleCells.count})::float8` })
    .from(battleCells)
    .where(and(...conds))
    .groupBy(battleCells.modelA, battleCells.modelB, battleCells.outcome);
  const keep = f.models ? new Set(f.models) : null;
  return rows
    .map((r) => ({ ...r, count: Number(r.count) }))
    .filter((r) => !keep || (keep.has(r.modelA) && keep.has(r.modelB)));
}

/** Finished battles with an outcome, in time order (tstamp for imports, finish time otherwise). */
export async function readBattles(db: Db, f: BoardFilter): Promise<Battle[]> {
  const conds: SQL[] = [eq(battles.status, "done"), isNotNull(battles.outcome)];
  if (f.roundId !== undefined) conds.push(eq(battles.roundId, f.roundId));
  if (f.roundIds !== undefined) conds.push(inArray(battles.roundId, f.roundIds.length > 0 ? f.roundIds : [""]));
  if (f.category !== undefined) conds.push(eq(battles.category, f.category));
  if (f.judge !== undefined) conds.push(eq(battles.judge, f.judge));
  const rows = await db
    .select({ id: battles.id, modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome, tstamp: battles.tstamp, finishedAt: battles.finishedAt, category: battles.category, judge: battles.judge, styleA: battles.styleA, styleB: battles.styleB })
    .from(battles)
    .where(and(...conds))
    .orderBy(asc(battles.id));
  const keep = f.models ? new Set(f.models) : null;
  const out: Battle[] = [];
  for (const r of rows) {
    if (keep && !(keep.has(r.modelA) && keep.has(r.modelB))) continue;
    const b: Battle = { modelA: r.modelA, modelB: r.modelB, outcome: r.outcome ?? 0.5, tstamp: r.tstamp ?? (r.finishedAt ? r.finishedAt.getTime() / 1000 : r.id) };
    if (r.category) b.category = r.category;
    if (r.judge) b.judge = r.judge;
    if (r.styleA && r.styleB) {
      b.styleA = r.styleA;
      b.styleB = r.styleB;
    }
    out.push(b);
  }
  return out;
}

/** One battle's stored scores of one judge, by game: pairwise orders AB/BA, single answers A/B. */
export type StoredGames = Partial<Record<"AB" | "BA" | "A" | "B", number>>;
/** Model A's share from one judge's games under the round's judge mode and swap rule, or null (no decision). */
export type CombineGames = (judgeMode: string, games: StoredGames, swapRule: "soft" | "strict") => number | null;

/**
 * One judge's board over round battles: each battle's outcome is that judge's own games combined
 * exactly as the worker combined them: `combine` is judges/ `judgeOutcome` (swapped pairwise games
 * under the round's swap rule, single ratings or reward scores by their rules), passed in by the
 * caller because reports/ may import only db/. Imported battles name their judge directly and are
 * included as they are.
 */
export async function readJudgeBattles(db: Db, f: BoardFilter & { judge: string }, combine: CombineGames): Promise<Battle[]> {
  const conds: SQL[] = [eq(battles.status, "done"), eq(judgments.judge, f.judge), eq(judgments.valid, true), isNotNull(judgments.score)];
  if (f.roundId !== undefined) conds.push(eq(battles.roundId, f.roundId));
  if (f.roundIds !== undefined) conds.push(inArray(battles.roundId, f.roundIds.length > 0 ? f.roundIds : [""]));
  if (f.category !== undefined) conds.push(eq(battles.category, f.category));
  const rows = await db
    .select({
      id: battles.id,
      modelA: battles.modelA,
      modelB: battles.modelB,
      finishedAt: battles.finishedAt,
      judgeMode: rounds.judgeMode,
      options: rounds.options,
      order: judgments.order,
      score: judgments.score,
    })
    .from(battles)
    .innerJoin(judgments, eq(judgments.battleId, battles.id))
    .innerJoin(rounds, eq(rounds.id, battles.roundId))
    .where(and(...conds))
    .orderBy(asc(battles.id));
  const keep = f.models ? new Set(f.models) : null;
  const own: Battle[] = [];
  // Rows come grouped by battle (ordered by id): combine each battle's games when the next begins.
  for (let i = 0; i < rows.length; ) {
    const first = rows[i];
    if (first === undefined) break;
    const games: StoredGames = {};
    for (; i < rows.length && rows[i]?.id === first.id; i++) {
      const r = rows[i];
      if (r && r.score !== null && (r.order === "AB" || r.order === "BA" || r.order === "A" || r.order === "B")) games[r.order] = r.score;
    }
    if (keep && !(keep.has(first.modelA) && keep.has(first.modelB))) continue;
    const outcome = combine(first.judgeMode, games, first.options?.swapRule ?? "soft");
    if (outcome === null) continue;
    own.push({ modelA: first.modelA, modelB: first.modelB, outcome, tstamp: first.finishedAt ? first.finishedAt.getTime() / 1000 : first.id, judge: f.judge });
  }
  const imported = f.roundId === undefined && f.roundIds === undefined ? await readBattles(db, f) : [];
  return [...imported, ...own];
}

/**
 * Finished battles with the baseline on one side, each with its pairwise games (orders AB and BA,
 * every judge; the label is null for an invalid judgment) and its answer lengths, for the scores
 * against a baseline (reports/scores). Also counts the board's other finished battles.
 */
export async function readBaselineRows(db: Db, f: BoardFilter & { baseline: string }): Promise<{ rows: StoredBaselineRow[]; notAgainstBaseline: number }> {
  const conds: SQL[] = [eq(battles.status, "done"), isNotNull(battles.outcome)];
  if (f.roundId !== undefined) conds.push(eq(battles.roundId, f.roundId));
  if (f.roundIds !== undefined) conds.push(inArray(battles.roundId, f.roundIds.length > 0 ? f.roundIds : [""]));
  if (f.category !== undefined) conds.push(eq(battles.category, f.category));
  const against = or(eq(battles.modelA, f.baseline), eq(battles.modelB, f.baseline));
  const rows = await db
    .select({
      id: battles.id,
      modelA: battles.modelA,
      modelB: battles.modelB,
      outcome: battles.outcome,
      instructionId: battles.instructionId,
      category: battles.category,
      styleA: battles.styleA,
      styleB: battles.styleB,
      order: judgments.order,
      verdict: judgments.verdict,
    })
    .from(battles)
    .leftJoin(judgments, and(eq(judgments.battleId, battles.id), inArray(judgments.order, ["AB", "BA"])))
    .where(and(...conds, against))
    .orderBy(asc(battles.id), asc(judgments.id));
  const [other] = await db
    .select({ n: sql<number>`count(*)::float8` })
    .from(battles)
    .where(and(...conds, not(against ?? sql`false`)));
  const keep = f.models ? new Set(f.models) : null;
  const out: StoredBaselineRow[] = [];
  let last: number | null = null;
  for (const r of rows) {
    if (keep && !(keep.has(r.modelA) && keep.has(r.modelB))) continue;
    if (r.id !== last) {
      const len = (s: { length?: unknown } | null): number | null => (s && typeof s.length === "number" ? s.length : null);
      out.push({ modelA: r.modelA, modelB: r.modelB, outcome: r.outcome ?? 0.5, instructionId: r.instructionId, category: r.category, lengthA: len(r.styleA), lengthB: len(r.styleB), games: [] });
      last = r.id;
    }
    if (r.order === "AB" || r.order === "BA") out[out.length - 1]?.games.push({ order: r.order, verdict: r.verdict });
  }
  return { rows: out, notAgainstBaseline: Number(other?.n ?? 0) };
}
