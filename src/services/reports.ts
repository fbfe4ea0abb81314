/**
 * The data behind reports: a round's report (progress, leaderboard, scores against the round's
 * baseline, win-rate matrices, judge quality, data yield, training-data counts) and the win-rate view of any board. Rendering it is pure
 * (reports/render); the route picks the format.
 */
import { roundJudgeStats } from "../../battles/judge-stats.js";
import { roundProgress } from "../../battles/progress.js";
import { findRound } from "../../battles/round-store.js";
import type { Db } from "../../db/client.js";
import { type BoardFilter, readBattles, readCounts } from "../../reports/queries.js";
import { dataYield, type RoundReport, winRatesFromCounts, type WinRates } from "../../reports/render/report-model.js";
import { notFound } from "../errors.js";
import { countTrainingRows } from "../exports/service.js";
import { leaderboard } from "./leaderboard.js";
import { roundScores } from "./scores.js";

/** Bradley-Terry ratings (point estimates) and the observed / predicted matrices, models best first. */
export async function winRateView(db: Db, f: BoardFilter): Promise<WinRates & { ratings: number[] }> {
  const board = await leaderboard(db, { ...f, method: "bt", bootstrap: 0, styleControl: false, seed: 0 });
  const models = board.items.map((i) => i.model);
  const ratings = board.items.map((i) => i.rating);
  return { ...winRatesFromCounts(await readCounts(db, f), models, ratings), ratings };
}

/** Everything a round's report shows; 404 naming the round unless it exists. */
export async function buildRoundReport(db: Db, now: () => Date, id: string, q: { bootstrap: number; seed: number; minBattles: number }): Promise<RoundReport> {
  const round = await findRound(db, id);
  if (!round) throw notFound("round", id);
  const progress = await roundProgress(db, round, now());
  const board = await leaderboard(db, { roundId: id, method: "bt", bootstrap: q.bootstrap, styleControl: false, seed: q.seed, minBattles: q.minBattles });
  const models = board.items.map((i) => i.model);
  const winRates = winRatesFromCounts(await readCounts(db, { roundId: id }), models, board.items.map((i) => i.rating));
  const scored = await readBattles(db, { roundId: id });
  return {
    generatedAt: now().toISOString(),
    round: progress,
    leaderboard: { ...board, bootstrap: q.bootstrap, minBattles: q.minBattles },
    winRates,
    judges: await roundJudgeStats(db, id),
    dataYield: dataYield(scored, progress.counts.invalid, progress.counts.failed),
    trainingData: await countTrainingRows(db, id),
    ...(round.baseline ? { scores: await roundScores(db, id, round.baseline, q) } : {}),
  };
}
