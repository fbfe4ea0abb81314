/**
 * Maximum-likelihood Bradley-Terry on pair counts (FastChat's compute_bt, solved by Newton's method
 * instead of L-BFGS): P(i beats j) = σ(θi - θj), ties and soft outcomes count as fractional wins, and
 * battle weights multiply the log-likelihood. Ratings are reported on the Elo scale (400·log10 strength).
 *
 * Regularisation: a Gaussian prior (λ/2)·Σθ² with λ = BT_PRIOR = 1e-3 on natural-scale θ, i.e. a prior
 * standard deviation of ~32 nats (~5500 Elo points). It shrinks a gap backed by n battles at win rate
 * p by a relative λ / (2·n·p·(1-p)), under 0.1% once a pair has a few battles, but it keeps θ finite
 * for a model with no wins (or no losses) and centres each component of a disconnected comparison
 * graph at the same mean instead of leaving their offsets undefined. Pass prior 0 for the plain MLE.
 */
import type { Battle } from "./battle-log.js";
import { choleskyInPlace, choleskySolve } from "./linalg.js";
import { minimiseNewton } from "./newton.js";
import { aggregateCells, pairTotals, toColumns, type PairTotals } from "./pair-counts.js";
import { baselineIndex, thetaToRatings, type Anchor } from "./rating-scale.js";

export const BT_PRIOR = 1e-3;
/** Newton stops when no θ moves more than this (natural units; 1e-10 nats ≈ 2e-8 Elo points). */
export const BT_TOL = 1e-10;
export const BT_MAX_ITER = 100;

export interface BtFitOptions {
  prior?: number;
  tol?: number;
  maxIter?: number;
  /** Starting θ (warm start, e.g. the full-data fit for a bootstrap resample). */
  init?: Float64Array;
}

export interface BtFit {
  /** Natural-scale log-strengths, one per model, mean zero. */
  theta: Float64Array;
  iterations: number;
  converged: boolean;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** log(1 + e^x) without overflow. */
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Negative penalised log-likelihood at θ. */
export function btObjective(pairs: PairTotals, theta: Float64Array, prior: number): number {
  let f = 0;
  for (let p = 0; p < pairs.total.length; p++) {
    const d = (theta[pairs.pairI[p] ?? 0] ?? 0) - (theta[pairs.pairJ[p] ?? 0] ?? 0);
    const w = pairs.winsI[p] ?? 0;
    const t = pairs.total[p] ?? 0;
    f += w * softplus(-d) + (t - w) * softplus(d);
  }
  for (const x of theta) f += 0.5 * prior * x * x;
  return f;
}

// Beyond this |θ| the strengths e^θ could overflow; then σ(d) is computed from d directly.
const SAFE_EXP = 300;

/**
 * P(i beats j) for every pair into `out`. With strengths s = e^θ it is s_i / (s_i + s_j): n exponentials
 * instead of one per pair, the hot loop of the bootstrap refits.
 */
function pairProbabilities(pairs: PairTotals, theta: Float64Array, out: Float64Array): void {
  let maxAbs = 0;
  for (const x of theta) maxAbs = Math.max(maxAbs, Math.abs(x));
  const { pairI, pairJ } = pairs;
  if (maxAbs > SAFE_EXP) {
    for (let p = 0; p < pairI.length; p++) out[p] = sigmoid((theta[pairI[p] ?? 0] ?? 0) - (theta[pairJ[p] ?? 0] ?? 0));
    return;
  }
  const strength = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) strength[i] = Math.exp(theta[i] ?? 0);
  for (let p = 0; p < pairI.length; p++) {
    const si = strength[pairI[p] ?? 0] ?? 1;
    out[p] = si / (si + (strength[pairJ[p] ?? 0] ?? 1));
  }
}

/** Gradient of the objective at θ into `grad`; `probs` (one per pair) receives P(i beats j). */
export function btGradient(pairs: PairTotals, theta: Float64Array, prior: number, grad: Float64Array, probs = new Float64Array(pairs.pairI.length)): void {
  pairProbabilities(pairs, theta, probs);
  for (let i = 0; i < theta.length; i++) grad[i] = prior * (theta[i] ?? 0);
  const { pairI, pairJ, total, winsI } = pairs;
  for (let p = 0; p < pairI.length; p++) {
    const i = pairI[p] ?? 0;
    const j = pairJ[p] ?? 0;
    const r = (total[p] ?? 0) * (probs[p] ?? 0) - (winsI[p] ?? 0);
    grad[i] = (grad[i] ?? 0) + r;
    grad[j] = (grad[j] ?? 0) - r;
  }
}

/**
 * Fills `grad` and `hess` (n×n, row-major) at θ. The likelihood Hessian is a weighted graph Laplacian;
 * the rank-one term c·11ᵀ fixes the shift gauge (θ and θ+k fit equally well) without moving the
 * optimum, because the gradient stays orthogonal to 1 while θ has mean zero.
 */
function gradHess(pairs: PairTotals, theta: Float64Array, prior: number, grad: Float64Array, hess: Float64Array): void {
  const n = theta.length;
  const probs = new Float64Array(pairs.pairI.length);
  btGradient(pairs, theta, prior, grad, probs);
  hess.fill(0);
  for (let p = 0; p < pairs.total.length; p++) {
    const i = pairs.pairI[p] ?? 0;
    const j = pairs.pairJ[p] ?? 0;
    const s = probs[p] ?? 0;
    const h = (pairs.total[p] ?? 0) * s * (1 - s);
    hess[i * n + i] = (hess[i * n + i] ?? 0) + h;
    hess[j * n + j] = (hess[j * n + j] ?? 0) + h;
    hess[i * n + j] = (hess[i * n + j] ?? 0) - h;
    hess[j * n + i] = (hess[j * n + i] ?? 0) - h;
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += hess[i * n + i] ?? 0;
  const gauge = trace / (n * n) + 1e-12;
  for (let k = 0; k < n * n; k++) hess[k] = (hess[k] ?? 0) + gauge;
  for (let i = 0; i < n; i++) hess[i * n + i] = (hess[i * n + i] ?? 0) + prior;
}

function centre(theta: Float64Array): void {
  let mean = 0;
  for (const x of theta) mean += x;
  mean /= theta.length || 1;
  for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] ?? 0) - mean;
}

/**
 * Maximum-likelihood θ by damped Newton. θ is kept at mean zero: with the prior that is where the
 * optimum lies, and without it the likelihood does not see the shift.
 */
export function fitBradleyTerry(pairs: PairTotals, opts: BtFitOptions = {}): BtFit {
  const prior = opts.prior ?? BT_PRIOR;
  const maxIter = opts.maxIter ?? BT_MAX_ITER;
  const result = minimiseNewton(
    {
      dim: pairs.nModels,
      objective: (theta) => btObjective(pairs, theta, prior),
      gradHess: (theta, grad, hess) => gradHess(pairs, theta, prior, grad, hess),
      project: centre,
    },
    opts.init ?? new Float64Array(pairs.nModels),
    opts.tol ?? BT_TOL,
    maxIter,
  );
  return { theta: result.x, iterations: result.iterations, converged: result.converged };
}

export interface BtOptions extends BtFitOptions, Anchor {}

/** Bradley-Terry ratings of `battles` on the Elo scale, anchored (mean 1000 unless a baseline is given). */
export function computeBradleyTerry(
  battles: readonly Battle[],
  opts: BtOptions = {},
): { models: string[]; ratings: Float64Array; fit: BtFit } {
  const cols = toColumns(battles);
  const base = baselineIndex(cols.models, opts);
  const fit = fitBradleyTerry(pairTotals(aggregateCells(cols)), opts);
  return { models: cols.models, ratings: thetaToRatings(fit.theta, base, opts.baselineRating), fit };
}

/** Cholesky factor of the objective's Hessian at θ (gauge term included), or null if not positive definite. */
export function hessianFactor(pairs: PairTotals, theta: Float64Array, prior = BT_PRIOR): Float64Array | null {
  const n = pairs.nModels;
  const hess = new Float64Array(n * n);
  gradHess(pairs, theta, prior, new Float64Array(n), hess);
  return choleskyInPlace(hess, n) ? hess : null;
}

const CHORD_MAX_ITER = 60;

/**
 * Refits with a fixed Hessian factor (the chord method): θ ← θ - H0⁻¹·g(θ), each step O(pairs + n²)
 * instead of Newton's O(n³). A bootstrap resample's Hessian is close to the full data's, so the map
 * contracts quickly to the same optimum Newton finds; if it stops contracting, Newton takes over.
 */
export function refitBradleyTerry(pairs: PairTotals, factor: Float64Array, init: Float64Array, opts: BtFitOptions = {}): BtFit {
  const n = pairs.nModels;
  const prior = opts.prior ?? BT_PRIOR;
  const tol = opts.tol ?? BT_TOL;
  const theta = Float64Array.from(init);
  centre(theta);
  const grad = new Float64Array(n);
  const probs = new Float64Array(pairs.pairI.length);
  let previous = Number.POSITIVE_INFINITY;
  for (let iter = 1; iter <= CHORD_MAX_ITER; iter++) {
    btGradient(pairs, theta, prior, grad, probs);
    choleskySolve(factor, n, grad);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      theta[i] = (theta[i] ?? 0) - (grad[i] ?? 0);
      moved = Math.max(moved, Math.abs(grad[i] ?? 0));
    }
    centre(theta);
    if (moved < tol) return { theta, iterations: iter, converged: true };
    if (!(moved < 0.9 * previous) && iter > 3) break;
    previous = moved;
  }
  return fitBradleyTerry(pairs, { ...opts, init });
}
