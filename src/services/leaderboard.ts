/**
 * Leaderboards from stored battles. Plain Bradley-Terry boards come from the aggregate cells (fast at
 * any size); Elo (time order), style control (per-battle features) and per-judge boards read battles.
 */
import type { Db } from "../../db/client.js";
import { computeLeaderboard, type Leaderboard } from "../../reports/leaderboard.js";
import { leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { type BoardFilter, readBattles, readCounts, readJudgeBattles } from "../../reports/queries.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { badRequest } from "../errors.js";

export interface BoardQuery extends BoardFilter {
  method: "bt" | "elo";
  bootstrap: number;
  baseline?: string;
  baselineRating?: number;
  styleControl: boolean;
  seed: number;
}

export async function leaderboard(db: Db, q: BoardQuery): Promise<Leaderboard> {
  const filter: BoardFilter = { roundId: q.roundId, roundIds: q.roundIds, category: q.category, judge: q.judge, models: q.models };
  const opts = { bootstrap: q.bootstrap, baseline: q.baseline, baselineRating: q.baselineRating, seed: q.seed };
  try {
    if (q.method === "bt" && !q.styleControl && q.judge === undefined) {
      return leaderboardFromCounts(await readCounts(db, filter), opts);
    }
    const battles = q.judge !== undefined ? await readJudgeBattles(db, { ...filter, judge: q.judge }) : await readBattles(db, filter);
    if (battles.length === 0) return { method: q.method, items: [] };
    return computeLeaderboard(battles, { ...opts, method: q.method, styleControl: q.styleControl });
  } catch (e) {
    if (e instanceof RatingInputError) throw badRequest(e.message);
    throw e;
  }
}
