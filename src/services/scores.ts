/**
 * Scores against a baseline from stored battles (GET /v1/leaderboard?score=...&baseline=M): reads
 * the battles that met the baseline with their per-game labels and lengths (reports/queries.ts),
 * turns them to the candidates' side and computes the named score (reports/scores). An unknown round
 * is a 404, and so is a baseline with no battles on the board, as for the rating boards. A round with
 * a baseline also shows every score in its report (`roundScores`).
 */
import type { Db } from "../../db/client.js";
import { type BoardFilter, readBaselineRows } from "../../reports/queries.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { computeScoreBoard, SCORE_NAMES, type ScoreBoard, type ScoreName, storedBattlesAgainst } from "../../reports/scores/index.js";
import { AppError, badRequest } from "../errors.js";
import { requireRound } from "./leaderboard.js";

export interface ScoreQuery extends BoardFilter {
  score: ScoreName;
  baseline: string;
  bootstrap: number;
  seed: number;
}

export async function scoreBoard(db: Db, q: ScoreQuery): Promise<ScoreBoard> {
  await requireRound(db, q.roundId);
  const filter: BoardFilter = { roundId: q.roundId, roundIds: q.roundIds, category: q.category, models: q.models };
  const { rows, notAgainstBaseline } = await readBaselineRows(db, { ...filter, baseline: q.baseline });
  const { battles } = storedBattlesAgainst(rows, q.baseline);
  try {
    return computeScoreBoard(q.score, battles, notAgainstBaseline, { baseline: q.baseline, bootstrap: q.bootstrap, seed: q.seed });
  } catch (e) {
    if (!(e instanceof RatingInputError)) throw e;
    if (e.field === "baseline") throw new AppError("not_found", `baseline '${q.baseline}' not found: it has no battles on this board`);
    throw badRequest(e.message);
  }
}

/** Every score of a round against its baseline, for the round's report; none while the baseline has no finished battle. */
export async function roundScores(db: Db, roundId: string, baseline: string, q: { bootstrap: number; seed: number }): Promise<ScoreBoard[]> {
  const { rows, notAgainstBaseline } = await readBaselineRows(db, { roundId, baseline });
  const { battles } = storedBattlesAgainst(rows, baseline);
  if (battles.length === 0) return [];
  return SCORE_NAMES.map((score) => computeScoreBoard(score, battles, notAgainstBaseline, { baseline, bootstrap: q.bootstrap, seed: q.seed }));
}
