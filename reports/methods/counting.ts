/**
 * Counting and average win rate, as evalica defines them (defaults win_weight = 1, tie_weight = 0.5).
 * With M[i][j] = win_weight·wins(i over j) + tie_weight·ties(i, j):
 * - counting: score_i = Σ_j M[i][j], the points a model collected (a win 1, a tie 0.5 to each side);
 * - average win rate: score_i = mean over the opponents j that i met of M[i][j] / (M[i][j] + M[j][i]),
 *   every opponent counting once however many battles the pair had; 0 for a model with no such opponent.
 */
import type { PairTally } from "./tally.js";

export const WIN_WEIGHT = 1;
export const TIE_WEIGHT = 0.5;

export interface WinTieWeights {
  winWeight?: number;
  tieWeight?: number;
}

/** Points per model: Σ win_weight per win + tie_weight per tie. */
export function countingScores(t: PairTally, w: WinTieWeights = {}): Float64Array {
  const ww = w.winWeight ?? WIN_WEIGHT;
  const tw = w.tieWeight ?? TIE_WEIGHT;
  const scores = new Float64Array(t.nModels);
  for (let p = 0; p < t.pairI.length; p++) {
    const i = t.pairI[p] ?? 0;
    const j = t.pairJ[p] ?? 0;
    const tie = tw * (t.ties[p] ?? 0);
    scores[i] = (scores[i] ?? 0) + ww * (t.winsI[p] ?? 0) + tie;
    scores[j] = (scores[j] ?? 0) + ww * (t.winsJ[p] ?? 0) + tie;
  }
  return scores;
}

/** Mean pairwise win rate per model over the opponents it met (pairs with positive weighted mass). */
export function averageWinRates(t: PairTally, w: WinTieWeights = {}): Float64Array {
  const ww = w.winWeight ?? WIN_WEIGHT;
  const tw = w.tieWeight ?? TIE_WEIGHT;
  const sum = new Float64Array(t.nModels);
  const opponents = new Float64Array(t.nModels);
  for (let p = 0; p < t.pairI.length; p++) {
    const i = t.pairI[p] ?? 0;
    const j = t.pairJ[p] ?? 0;
    const mi = ww * (t.winsI[p] ?? 0) + tw * (t.ties[p] ?? 0);
    const mj = ww * (t.winsJ[p] ?? 0) + tw * (t.ties[p] ?? 0);
    if (!(mi + mj > 0)) continue;
    sum[i] = (sum[i] ?? 0) + mi / (mi + mj);
    sum[j] = (sum[j] ?? 0) + mj / (mi + mj);
    opponents[i] = (opponents[i] ?? 0) + 1;
    opponents[j] = (opponents[j] ?? 0) + 1;
  }
  return sum.map((s, i) => ((opponents[i] ?? 0) > 0 ? s / (opponents[i] ?? 1) : 0));
}
