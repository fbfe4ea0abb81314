/**
 * Newman's method (M. E. J. Newman, "Efficient computation of rankings from pairwise comparisons",
 * JMLR 24, 2023), as evalica implements it: Bradley-Terry with an explicit tie parameter ν,
 *   P(i beats j) = π_i / D,  P(tie) = 2ν·√(π_i π_j) / D,  D = π_i + π_j + 2ν·√(π_i π_j),
 * fitted by Newman's fixed-point iteration from π = 1, ν = v_init, with evalica's defaults
 * v_init = 0.5, win_weight = tie_weight = 1, tolerance 1e-6 (on the L2 change of π) and limit 100:
 *   π_i ← Σ_j (W_ij + T_ij/2)(π_j + ν√(π_iπ_j))/D_ij  /  Σ_j (W_ji + T_ji/2)(1 + ν√(π_j/π_i))/D_ij
 *   ν ← Σ_ties (π_i+π_j)/D  /  (2 Σ_wins √(π_iπ_j)/D)          (both from the previous π and ν)
 * The reported ν is the one used in the last sweep (evalica returns the same). In Davidson's own
 * parameterisation (davidson.ts) the tie parameter is 2ν. Like evalica, a 0/0 becomes `tolerance`.
 * A model that never lost or tied (denominator 0), or never won or tied (numerator 0), has no finite
 * MLE; every sweep keeps π within [1/NEWMAN_BOUND, NEWMAN_BOUND] of the start value 1 (12 decades,
 * about 4800 Elo points end to end), so such a model sits at a bound and the sweep stays finite.
 */
import type { PairTally } from "./tally.js";

export const NEWMAN_V_INIT = 0.5;
export const NEWMAN_TOLERANCE = 1e-6;
export const NEWMAN_LIMIT = 100;
/** Strengths stay within [1/NEWMAN_BOUND, NEWMAN_BOUND]; ν is capped at NEWMAN_BOUND² (ties only). */
export const NEWMAN_BOUND = 1e6;

export interface NewmanOptions {
  vInit?: number;
  winWeight?: number;
  tieWeight?: number;
  tolerance?: number;
  limit?: number;
}

export interface NewmanFit {
  /** Strengths π (not normalised, as the iteration leaves them). */
  scores: Float64Array;
  /** Newman's tie parameter ν. */
  v: number;
  iterations: number;
}

const finiteOr = (x: number, fallback: number): number => (Number.isNaN(x) ? fallback : x);
/** ν from a sweep: 0/0 (no games at all) becomes `tolerance`, +∞ (ties only) the cap. */
const boundedV = (x: number, tol: number): number => (Number.isNaN(x) ? tol : Math.min(x, NEWMAN_BOUND * NEWMAN_BOUND));
const boundedPi = (x: number): number => Math.min(Math.max(x, 1 / NEWMAN_BOUND), NEWMAN_BOUND);

/** One sweep's sums: numerator and denominator per model, and ν's numerator and denominator. */
function sweep(t: PairTally, pi: Float64Array, v: number, ww: number, tw: number) {
  const num = new Float64Array(t.nModels);
  const den = new Float64Array(t.nModels);
  let vNum = 0;
  let vDen = 0;
  for (let p = 0; p < t.pairI.length; p++) {
    const i = t.pairI[p] ?? 0;
    const j = t.pairJ[p] ?? 0;
    const a = pi[i] ?? 1;
    const b = pi[j] ?? 1;
    const wi = ww * (t.winsI[p] ?? 0);
    const wj = ww * (t.winsJ[p] ?? 0);
    const tie = tw * (t.ties[p] ?? 0);
    const root = Math.sqrt(a * b);
    const d = a + b + 2 * v * root;
    num[i] = (num[i] ?? 0) + ((wi + tie / 2) * (b + v * root)) / d;
    num[j] = (num[j] ?? 0) + ((wj + tie / 2) * (a + v * root)) / d;
    den[i] = (den[i] ?? 0) + ((wj + tie / 2) * (1 + v * Math.sqrt(b / a))) / d;
    den[j] = (den[j] ?? 0) + ((wi + tie / 2) * (1 + v * Math.sqrt(a / b))) / d;
    vNum += (tie * (a + b)) / d;
    vDen += (2 * (wi + wj) * root) / d;
  }
  return { num, den, vNum, vDen };
}

/** Fits π and ν by Newman's iteration with evalica's defaults (see the header). */
export function fitNewman(t: PairTally, opts: NewmanOptions = {}): NewmanFit {
  const tol = opts.tolerance ?? NEWMAN_TOLERANCE;
  const limit = opts.limit ?? NEWMAN_LIMIT;
  const ww = opts.winWeight ?? 1;
  const tw = opts.tieWeight ?? 1;
  let pi = new Float64Array(t.nModels).fill(1);
  let vNew = opts.vInit ?? NEWMAN_V_INIT;
  let v = vNew;
  let iterations = 0;
  for (let converged = false; !converged && iterations < limit; ) {
    iterations++;
    v = boundedV(vNew, tol);
    const s = sweep(t, pi, v, ww, tw);
    const next = new Float64Array(t.nModels);
    let change = 0;
    for (let i = 0; i < t.nModels; i++) {
      const n = s.num[i] ?? 0;
      const d = s.den[i] ?? 0;
      next[i] = boundedPi(d > 0 ? finiteOr(n / d, tol) : n > 0 ? NEWMAN_BOUND : tol);
      change += ((next[i] ?? 0) - (pi[i] ?? 0)) ** 2;
    }
    vNew = s.vNum / s.vDen;
    converged = Math.sqrt(change) < tol;
    pi = next;
  }
  return { scores: pi, v, iterations };
}
