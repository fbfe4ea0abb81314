/**
 * Spectral rankings, with evalica's power iteration (start 1/n, L2-normalised each step, stop when
 * the L2 change is below tolerance 1e-6, at most limit 100 steps, a 0/0 becomes tolerance) over
 * M[i][j] = win_weight·wins(i over j) + tie_weight·ties(i, j), defaults win_weight 1, tie_weight 0.5.
 * - eigen: the principal eigenvector of M, s ∝ M·s: a win counts as much as the beaten model's own
 *   score (Bonacich 1987; Keener 1993). evalica iterates s ← Mᵀ·s, which with its wins-in-rows matrix
 *   ranks a model by the strength of those who beat it; a board must rank the stronger model higher,
 *   so the board iterates M·s (`transpose: true` gives evalica's literal iteration, for comparison).
 *   The board also iterates (M + c·I)·s, c = the mean row sum of M: the same eigenvector, but the
 *   plain iteration never settles on a bipartite comparison graph (two models, or a target against
 *   its opponents), where -λ is an eigenvalue as large as λ and the iterates swing between two vectors.
 *   Scores are the unit vector's components (between 0 and 1, Σ s² = 1).
 * - pagerank (Brin and Page 1998), as evalica builds it: every model hands its score to the models that
 *   beat it (row i of Mᵀ normalised; a model with no losses or ties spreads evenly over all models),
 *   with damping 0.85 (the rest teleports uniformly); scores are a probability vector (Σ = 1).
 */
import { TIE_WEIGHT, WIN_WEIGHT, type WinTieWeights } from "./counting.js";
import type { PairTally } from "./tally.js";

export const SPECTRAL_TOLERANCE = 1e-6;
export const SPECTRAL_LIMIT = 100;
export const PAGERANK_DAMPING = 0.85;

export interface SpectralOptions extends WinTieWeights {
  tolerance?: number;
  limit?: number;
}

/** Power iteration as evalica runs it; `apply(s, out)` writes the matrix-vector product into `out`. */
export function powerIteration(n: number, apply: (s: Float64Array, out: Float64Array) => void, tolerance = SPECTRAL_TOLERANCE, limit = SPECTRAL_LIMIT): { scores: Float64Array; iterations: number } {
  const s = new Float64Array(n).fill(1 / n);
  const next = new Float64Array(n);
  let iterations = 0;
  for (let converged = false; !converged && iterations < limit; ) {
    iterations++;
    next.fill(0);
    apply(s, next);
    let norm = 0;
    for (const x of next) norm += x * x;
    norm = Math.sqrt(norm);
    let change = 0;
    for (let i = 0; i < n; i++) {
      const x = norm > 0 ? (next[i] ?? 0) / norm : (next[i] ?? 0);
      next[i] = Number.isNaN(x) ? tolerance : x;
      change += ((next[i] ?? 0) - (s[i] ?? 0)) ** 2;
    }
    converged = Math.sqrt(change) < tolerance;
    s.set(next);
  }
  return { scores: s, iterations };
}

/** Mass of i over j and of j over i for pair p. */
function masses(t: PairTally, p: number, ww: number, tw: number): [number, number] {
  const tie = tw * (t.ties[p] ?? 0);
  return [ww * (t.winsI[p] ?? 0) + tie, ww * (t.winsJ[p] ?? 0) + tie];
}

/**
 * Eigenvector scores: s ∝ M·s iterated as (M + c·I)·s. With `transpose`, evalica's literal iteration
 * s ← Mᵀ·s with no shift (for comparison with its published values).
 */
export function eigenScores(t: PairTally, opts: SpectralOptions & { transpose?: boolean } = {}): Float64Array {
  const ww = opts.winWeight ?? WIN_WEIGHT;
  const tw = opts.tieWeight ?? TIE_WEIGHT;
  let shift = 0;
  if (!opts.transpose && t.nModels > 0) {
    for (let p = 0; p < t.pairI.length; p++) shift += masses(t, p, ww, tw).reduce((a, b) => a + b, 0);
    shift /= t.nModels;
  }
  const apply = (s: Float64Array, out: Float64Array): void => {
    for (let k = 0; k < t.nModels; k++) out[k] = shift * (s[k] ?? 0);
    for (let p = 0; p < t.pairI.length; p++) {
      const i = t.pairI[p] ?? 0;
      const j = t.pairJ[p] ?? 0;
      const [mij, mji] = masses(t, p, ww, tw);
      const [toI, toJ] = opts.transpose ? [mji, mij] : [mij, mji];
      out[i] = (out[i] ?? 0) + toI * (s[j] ?? 0);
      out[j] = (out[j] ?? 0) + toJ * (s[i] ?? 0);
    }
  };
  return powerIteration(t.nModels, apply, opts.tolerance, opts.limit).scores;
}

/** PageRank scores (probabilities) with evalica's construction and `damping` (default 0.85). */
export function pagerankScores(t: PairTally, opts: SpectralOptions & { damping?: number } = {}): Float64Array {
  const ww = opts.winWeight ?? WIN_WEIGHT;
  const tw = opts.tieWeight ?? TIE_WEIGHT;
  const d = opts.damping ?? PAGERANK_DAMPING;
  const n = t.nModels;
  const lost = new Float64Array(n);
  for (let p = 0; p < t.pairI.length; p++) {
    const [mij, mji] = masses(t, p, ww, tw);
    lost[t.pairI[p] ?? 0] = (lost[t.pairI[p] ?? 0] ?? 0) + mji;
    lost[t.pairJ[p] ?? 0] = (lost[t.pairJ[p] ?? 0] ?? 0) + mij;
  }
  const apply = (s: Float64Array, out: Float64Array): void => {
    let total = 0;
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      total += s[i] ?? 0;
      if (!((lost[i] ?? 0) > 0)) dangling += s[i] ?? 0;
    }
    for (let p = 0; p < t.pairI.length; p++) {
      const i = t.pairI[p] ?? 0;
      const j = t.pairJ[p] ?? 0;
      const [mij, mji] = masses(t, p, ww, tw);
      // i hands s_i·M[j][i]/lost_i to j (j beat i), and j hands s_j·M[i][j]/lost_j to i.
      if ((lost[i] ?? 0) > 0) out[j] = (out[j] ?? 0) + (d * mji * (s[i] ?? 0)) / (lost[i] ?? 1);
      if ((lost[j] ?? 0) > 0) out[i] = (out[i] ?? 0) + (d * mij * (s[j] ?? 0)) / (lost[j] ?? 1);
    }
    const spread = (d * dangling + (1 - d) * total) / n;
    for (let k = 0; k < n; k++) out[k] = (out[k] ?? 0) + spread;
  };
  const { scores } = powerIteration(n, apply, opts.tolerance, opts.limit);
  let sum = 0;
  for (const x of scores) sum += Math.abs(x);
  return sum > 0 ? scores.map((x) => x / sum) : scores;
}
