/**
 * Leaderboards from stored battles. Plain Bradley-Terry boards, and the tally methods (newman,
 * davidson, counting, average-win-rate, eigen, pagerank), come from the aggregate cells (fast at any
 * size); Elo (time order), style control (per-battle features) and per-judge boards read battles.
 * A board names what it cannot answer: an unknown round or a baseline with no battles on the board is
 * a 404, never an empty 200. With a BoardCache (the HTTP route passes the process's one), a board is
 * computed once per query and data version (src/services/board-cache.ts).
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { findRound } from "../../battles/round-store.js";
import type { Db } from "../../db/client.js";
import { battleCells } from "../../db/schema/index.js";
import { judgeOutcome, type JudgeMode } from "../../judges/index.js";
import { computeLeaderboard, type Leaderboard, type RatingMethod } from "../../reports/leaderboard.js";
import { leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { type BoardFilter, type CombineGames, readBattles, readBoardVersion, readCounts, readJudgeBattles } from "../../reports/queries.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { AppError, badRequest, notFound } from "../errors.js";
import type { BoardCache } from "./board-cache.js";

const JUDGE_MODES: ReadonlySet<string> = new Set<JudgeMode>(["pairwise", "single", "reward"]);

/** One judge's games combined as the worker combines them; a round of an unknown judge mode decides nothing. */
export const combineJudgeGames: CombineGames = (mode, games, swapRule) => (JUDGE_MODES.has(mode) ? judgeOutcome(mode as JudgeMode, games, swapRule) : null);

export interface BoardQuery extends BoardFilter {
  method: RatingMethod;
  bootstrap: number;
  baseline?: string;
  baselineRating?: number;
  styleControl: boolean;
  seed: number;
  /** Decisive battles below which a model is provisional (default 30). */
  minBattles?: number;
}

/** Throws 404 naming the round unless it exists. */
export async function requireRound(db: Db, roundId: string | undefined): Promise<void> {
  if (roundId !== undefined && !(await findRound(db, roundId))) throw notFound("round", roundId);
}

const baselineNotFound = (name: string) => new AppError("not_found", `baseline '${name}' not found: it has no battles on this board`);

/**
 * Every field of the query that changes the answer, in a fixed order: two queries share a cache entry
 * only when they ask for the same board. Lists keep their order (a different order is only a miss).
 */
export function boardKey(q: BoardQuery): string {
  return JSON.stringify([
    q.method,
    q.roundId ?? null,
    q.roundIds ?? null,
    q.category ?? null,
    q.judge ?? null,
    q.models ?? null,
    q.bootstrap,
    q.baseline ?? null,
    q.baselineRating ?? null,
    q.styleControl,
    q.seed,
    q.minBattles ?? null,
  ]);
}

/** The board of `q`; from `cache` when it holds it at the data's current version. */
export async function leaderboard(db: Db, q: BoardQuery, cache?: BoardCache<Leaderboard>): Promise<Leaderboard> {
  if (!cache?.enabled) return computeBoard(db, q);
  // The version first: the board computed after it is at least that new. Errors (404, 400) are not stored.
  const version = await cache.readVersion(JSON.stringify([q.roundId ?? null, q.roundIds ?? null]), () => readBoardVersion(db, q));
  return cache.get(boardKey(q), version, () => computeBoard(db, q));
}

async function computeBoard(db: Db, q: BoardQuery): Promise<Leaderboard> {
  await requireRound(db, q.roundId);
  const filter: BoardFilter = { roundId: q.roundId, roundIds: q.roundIds, category: q.category, judge: q.judge, models: q.models };
  const opts = { bootstrap: q.bootstrap, baseline: q.baseline, baselineRating: q.baselineRating, seed: q.seed, minBattles: q.minBattles };
  try {
    if (q.method !== "elo" && !q.styleControl && q.judge === undefined) {
      return leaderboardFromCounts(await readCounts(db, filter), { ...opts, method: q.method });
    }
    const battles = q.judge !== undefined ? await readJudgeBattles(db, { ...filter, judge: q.judge }, combineJudgeGames) : await readBattles(db, filter);
    if (battles.length === 0) {
      if (q.baseline !== undefined) throw baselineNotFound(q.baseline);
      return { method: q.method, connected: true, components: [], items: [] };
    }
    return computeLeaderboard(battles, { ...opts, method: q.method, styleControl: q.styleControl });
  } catch (e) {
    if (e instanceof RatingInputError) throw e.field === "baseline" && q.baseline !== undefined ? baselineNotFound(q.baseline) : badRequest(e.message);
    throw e;
  }
}

/** Categories with rated battles (optionally in one round, which must exist), with battle counts. */
export async function boardCategories(db: Db, roundId: string | undefined): Promise<{ category: string; battles: number }[]> {
  await requireRound(db, roundId);
  const conds = [ne(battleCells.category, ""), ...(roundId ? [eq(battleCells.roundId, roundId)] : [])];
  const rows = await db
    .select({ category: battleCells.category, battles: sql<number>`sum(${battleCells.count})::float8` })
    .from(battleCells)
    .where(and(...conds))
    .groupBy(battleCells.category)
    .orderBy(battleCells.category);
  return rows.map((x) => ({ category: x.category, battles: Number(x.battles) }));
}
