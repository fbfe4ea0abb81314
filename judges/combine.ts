/**
 * Position-swap combination. Every pair is judged twice: game 1 shows (A, B), game 2 shows (B, A),
 * and the judge's labels are relative to the positions it was shown. Each game is mapped to model A's
 * score; a strong verdict weighs more than a plain one. Then:
 *   - both games favour the same model, or one is a tie: the mean of the two scores
 *     (a tie and a win is a half-agreement, kept as a smaller win rather than thrown away);
 *   - the games favour opposite models: a tie, 0.5 (the MT-bench rule: position bias, not preference);
 *   - rule "strict" (MT-bench exactly): any difference in win/tie/loss category is a tie;
 *   - a null (unparsable) game is left out; one valid game is used alone; none gives outcome null.
 */
import { marginOf, outcomeCategory, type PairwiseLabel } from "./labels.js";

/** Model A's score for a strong win (`A>>B` shown in A's position). */
export const STRONG_WIN_SCORE = 1;
/** Model A's score for a plain win (`A>B`). */
export const WIN_SCORE = 0.75;
export const TIE_SCORE = 0.5;

/** Score of the answer shown in position A, for each label. */
export const LABEL_SCORES: Readonly<Record<PairwiseLabel, number>> = {
  "A>>B": STRONG_WIN_SCORE,
  "A>B": WIN_SCORE,
  "A=B": TIE_SCORE,
  "B>A": 1 - WIN_SCORE,
  "B>>A": 1 - STRONG_WIN_SCORE,
};

export type SwapRule = "soft" | "strict";

export interface CombinedOutcome {
  /** Model A's share in [0, 1]; null when no game was valid (the battle is invalid). */
  outcome: number | null;
  /** How decisive the outcome is, in [0, 1]: |outcome - 0.5| * 2; 0 when invalid. */
  margin: number;
  /** True only when both games are valid and fall in the same win/tie/loss category. */
  consistent: boolean;
  validGames: number;
  /**
   * Pairwise only: model A's score from each game (game 1 = AB order, game 2 = BA order), null for an
   * invalid game. Absent for single grading, where each answer is rated on its own.
   */
  gameScores?: readonly [number | null, number | null];
}

/** Model A's score from one game. `order` "BA" means model A was shown in position B. */
export function gameScore(label: PairwiseLabel | null, order: "AB" | "BA"): number | null {
  if (label === null) return null;
  const shownA = LABEL_SCORES[label];
  return order === "AB" ? shownA : 1 - shownA;
}

/** Combines two scores (model A's side) under the swap rule; both must be valid. */
export function combineScores(s1: number, s2: number, rule: SwapRule = "soft"): number {
  const c1 = outcomeCategory(s1);
  const c2 = outcomeCategory(s2);
  if (c1 === c2) return (s1 + s2) / 2;
  const opposite = (c1 === "win" && c2 === "loss") || (c1 === "loss" && c2 === "win");
  if (opposite || rule === "strict") return TIE_SCORE;
  return (s1 + s2) / 2;
}

/**
 * Combines game 1 (order AB) and game 2 (order BA) labels into model A's outcome.
 * @param game1 the judge's label when model A was shown first, or null if unparsable
 * @param game2 the judge's label when model B was shown first, or null if unparsable
 */
export function combinePairwise(
  game1: PairwiseLabel | null,
  game2: PairwiseLabel | null,
  rule: SwapRule = "soft",
): CombinedOutcome {
  const s1 = gameScore(game1, "AB");
  const s2 = gameScore(game2, "BA");
  return combineGameScores(s1, s2, rule);
}

/** As `combinePairwise`, from model-A scores already computed per game. */
export function combineGameScores(s1: number | null, s2: number | null, rule: SwapRule = "soft"): CombinedOutcome {
  const gameScores = [s1, s2] as const;
  if (s1 !== null && s2 !== null) {
    const outcome = combineScores(s1, s2, rule);
    const consistent = outcomeCategory(s1) === outcomeCategory(s2);
    return { outcome, margin: marginOf(outcome), consistent, validGames: 2, gameScores };
  }
  const single = s1 ?? s2;
  if (single === null) return { outcome: null, margin: 0, consistent: false, validGames: 0, gameScores };
  return { outcome: single, margin: marginOf(single), consistent: false, validGames: 1, gameScores };
}
