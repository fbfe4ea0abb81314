/**
 * One judge's outcome for a battle from its stored games, exactly as the round worker combined it:
 * pairwise games (orders "AB" and "BA") under the round's swap rule, single ratings (orders "A" and
 * "B") by `combineSingle`, reward scores (orders "A" and "B") by `rewardShare`. Per-judge boards
 * rebuild each battle's outcome with this from the judgments table.
 */
import { combineGameScores, type SwapRule } from "./combine.js";
import { combineSingle } from "./combine-single.js";

export type JudgeMode = "pairwise" | "single" | "reward";

/** Model A's share from two reward-model scores: the logistic of their difference (Bradley-Terry). */
export function rewardShare(scoreA: number, scoreB: number): number {
  return 1 / (1 + Math.exp(-(scoreA - scoreB)));
}

/** Valid game scores of one judge on one battle, by order. */
export type GameScores = Partial<Record<"AB" | "BA" | "A" | "B", number>>;

/** The judge's own outcome (model A's share), or null when its games do not decide one. */
export function judgeOutcome(mode: JudgeMode, games: GameScores, swapRule: SwapRule): number | null {
  if (mode === "pairwise") return combineGameScores(games.AB ?? null, games.BA ?? null, swapRule).outcome;
  if (mode === "single") return combineSingle(games.A ?? null, games.B ?? null).outcome;
  if (games.A === undefined || games.B === undefined) return null;
  return rewardShare(games.A, games.B);
}
