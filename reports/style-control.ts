/**
 * Style control (Chatbot Arena's "contextual BT"): logistic regression of A's share on model strengths
 * and style features jointly, logit = θa - θb + Σ βf·xf, where xf = (a - b)/(a + b + 1) for answer length
 * and markdown counts, standardised over the battles. The θ are the style-adjusted strengths; β > 0 for
 * a feature means judges favour the side with more of it. L2 penalty (reg/2)·(|θ|² + |β|²) with
 * reg = STYLE_REG = 0.5 as in FastChat (there on log10-scale θ; here on natural-scale θ and β).
 * Fitted row by row, since each battle has its own features; battles without style counts are left out.
 */
import type { Battle } from "./battle-log.js";
import type { BootstrapSamples } from "./bootstrap.js";
import { minimiseNewton } from "./newton.js";
import { baselineIndex, thetaToRatings, type Anchor } from "./rating-scale.js";
import { STYLE_FEATURES, styleDiff, type StyleFeature } from "./style-features.js";
import type { Rng } from "../lib/random.js";

export const STYLE_REG = 0.5;
const F = STYLE_FEATURES.length;

/** Rows of the style regression: models a[r] vs b[r], A's share y[r], weight w[r], features x[r*F + f]. */
export interface StyleRows {
  models: string[];
  a: Int32Array;
  b: Int32Array;
  y: Float64Array;
  w: Float64Array;
  x: Float64Array;
}

/** Builds standardised rows from the battles that carry styleA and styleB; returns how many were skipped. */
export function styleRows(battles: readonly Battle[]): { rows: StyleRows; skipped: number } {
  const index = new Map<string, number>();
  const models: string[] = [];
  const idOf = (m: string): number => index.get(m) ?? (index.set(m, models.length), models.push(m) - 1);
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  const x: number[] = [];
  for (const battle of battles) {
    if (!battle.styleA || !battle.styleB) continue;
    a.push(idOf(battle.modelA));
    b.push(idOf(battle.modelB));
    y.push(battle.outcome);
    w.push(battle.weight ?? 1);
    x.push(...styleDiff(battle.styleA, battle.styleB));
  }
  const rows = { models, a: Int32Array.from(a), b: Int32Array.from(b), y: Float64Array.from(y), w: Float64Array.from(w), x: Float64Array.from(x) };
  standardise(rows.x, rows.y.length);
  return { rows, skipped: battles.length - rows.y.length };
}

/** Centres and scales each feature column to unit (population) sd; a constant column becomes 0. */
function standardise(x: Float64Array, n: number): void {
  for (let f = 0; f < F; f++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += x[r * F + f] ?? 0;
    mean /= n || 1;
    let variance = 0;
    for (let r = 0; r < n; r++) variance += ((x[r * F + f] ?? 0) - mean) ** 2;
    const sd = Math.sqrt(variance / (n || 1));
    for (let r = 0; r < n; r++) x[r * F + f] = sd > 1e-12 ? ((x[r * F + f] ?? 0) - mean) / sd : 0;
  }
}

const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

function logit(rows: StyleRows, params: Float64Array, r: number, nModels: number): number {
  let z = (params[rows.a[r] ?? 0] ?? 0) - (params[rows.b[r] ?? 0] ?? 0);
  for (let f = 0; f < F; f++) z += (params[nModels + f] ?? 0) * (rows.x[r * F + f] ?? 0);
  return z;
}

function objective(rows: StyleRows, params: Float64Array, mult: Float64Array | null, reg: number): number {
  const m = rows.models.length;
  let loss = 0;
  for (let r = 0; r < rows.y.length; r++) {
    const wr = (rows.w[r] ?? 1) * (mult ? (mult[r] ?? 0) : 1);
    if (wr === 0) continue;
    const z = logit(rows, params, r, m);
    const yr = rows.y[r] ?? 0;
    loss += wr * (yr * softplus(-z) + (1 - yr) * softplus(z));
  }
  for (const p of params) loss += 0.5 * reg * p * p;
  return loss;
}

/** Gradient and Hessian; each row's logit has the sparse design vector e_a - e_b + x_r. */
function gradHess(rows: StyleRows, params: Float64Array, mult: Float64Array | null, reg: number, g: Float64Array, h: Float64Array): void {
  const m = rows.models.length;
  const d = m + F;
  h.fill(0);
  for (let k = 0; k < d; k++) g[k] = reg * (params[k] ?? 0);
  for (let k = 0; k < d; k++) h[k * d + k] = reg;
  const idx = new Int32Array(2 + F);
  const val = new Float64Array(2 + F);
  for (let f = 0; f < F; f++) idx[2 + f] = m + f;
  for (let r = 0; r < rows.y.length; r++) {
    const wr = (rows.w[r] ?? 1) * (mult ? (mult[r] ?? 0) : 1);
    if (wr === 0) continue;
    const s = 1 / (1 + Math.exp(-logit(rows, params, r, m)));
    const resid = wr * (s - (rows.y[r] ?? 0));
    const curv = wr * s * (1 - s);
    idx[0] = rows.a[r] ?? 0;
    idx[1] = rows.b[r] ?? 0;
    val[0] = 1;
    val[1] = -1;
    for (let f = 0; f < F; f++) val[2 + f] = rows.x[r * F + f] ?? 0;
    for (let u = 0; u < 2 + F; u++) {
      const iu = idx[u] ?? 0;
      const vu = val[u] ?? 0;
      g[iu] = (g[iu] ?? 0) + resid * vu;
      for (let v = 0; v < 2 + F; v++) h[iu * d + (idx[v] ?? 0)] = (h[iu * d + (idx[v] ?? 0)] ?? 0) + curv * vu * (val[v] ?? 0);
    }
  }
}

export interface StyleFitOptions {
  reg?: number;
  /** Per-row multiplicities (a bootstrap resample); default all 1. */
  multiplicity?: Float64Array;
  init?: Float64Array;
  tol?: number;
}

/** Fits θ (natural scale) and β jointly; returns the parameter vector [θ_0..θ_{m-1}, β_0..β_{F-1}]. */
export function fitStyleControl(rows: StyleRows, opts: StyleFitOptions = {}): Float64Array {
  const reg = opts.reg ?? STYLE_REG;
  const mult = opts.multiplicity ?? null;
  const dim = rows.models.length + F;
  return minimiseNewton(
    {
      dim,
      objective: (p) => objective(rows, p, mult, reg),
      gradHess: (p, g, h) => gradHess(rows, p, mult, reg, g, h),
    },
    opts.init ?? new Float64Array(dim),
    opts.tol ?? 1e-9,
    100,
  ).x;
}

export interface StyleControlResult {
  models: string[];
  /** Style-adjusted ratings, Elo scale, anchored like the plain BT board. */
  ratings: Float64Array;
  /** β per feature: log-odds change per standard deviation of the feature. */
  coefficients: Record<StyleFeature, number>;
  params: Float64Array;
  rows: StyleRows;
  skipped: number;
}

/** Style-controlled Bradley-Terry ratings for battles that carry style counts. */
export function computeStyleControl(battles: readonly Battle[], opts: StyleFitOptions & Anchor = {}): StyleControlResult {
  const { rows, skipped } = styleRows(battles);
  const params = fitStyleControl(rows, opts);
  const m = rows.models.length;
  const ratings = thetaToRatings(params.subarray(0, m), baselineIndex(rows.models, opts), opts.baselineRating);
  return { models: rows.models, ratings, coefficients: coefficientsOf(params, m), params, rows, skipped };
}

export function coefficientsOf(params: Float64Array, nModels: number): Record<StyleFeature, number> {
  const out = {} as Record<StyleFeature, number>;
  STYLE_FEATURES.forEach((f, k) => (out[f] = params[nModels + k] ?? 0));
  return out;
}

/**
 * Bootstrap for style control (FastChat's compute_bootstrap_style_control): each round resamples the
 * rows with replacement, expressed as per-row multiplicities, and refits warm-started from `params`.
 * Row-level because each battle has its own features. Returns rounds × models Elo-scale ratings and,
 * in the same BootstrapSamples shape (one "model" per feature), rounds × features coefficients β.
 */
export function bootstrapStyleControl(
  rows: StyleRows,
  params: Float64Array,
  opts: { rounds: number; rng: Rng; baseline?: number; baselineRating?: number; reg?: number },
): BootstrapSamples & { coefficients: BootstrapSamples } {
  const m = rows.models.length;
  const n = rows.y.length;
  const samples = new Float64Array(opts.rounds * m);
  const betas = new Float64Array(opts.rounds * F);
  const mult = new Float64Array(n);
  for (let r = 0; r < opts.rounds; r++) {
    mult.fill(0);
    for (let k = 0; k < n; k++) {
      const idx = Math.floor(opts.rng() * n);
      mult[idx] = (mult[idx] ?? 0) + 1;
    }
    const fit = fitStyleControl(rows, { reg: opts.reg, multiplicity: mult, init: params });
    samples.set(thetaToRatings(fit.subarray(0, m), opts.baseline, opts.baselineRating), r * m);
    betas.set(fit.subarray(m, m + F), r * F);
  }
  return { rounds: opts.rounds, nModels: m, samples, coefficients: { rounds: opts.rounds, nModels: F, samples: betas } };
}
