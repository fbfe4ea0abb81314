/**
 * Seeded bootstrap confidence intervals for Bradley-Terry ratings (FastChat's compute_bootstrap_bt).
 * A resample of N battles is drawn as a multinomial over the distinct (pair, outcome, weight) cells,
 * with probabilities equal to the observed cell frequencies, which has exactly the law of N battles
 * drawn with replacement, without touching rows. Each resample is refitted from the full-data fit by
 * chord iterations with the full-data Hessian (refitBradleyTerry); intervals are 95% percentile
 * intervals and ranks follow the non-overlap rule.
 */
import { fitBradleyTerry, hessianFactor, refitBradleyTerry, type BtFitOptions } from "./bradley-terry.js";
import { sampleMultinomial } from "./binomial.js";
import { pairTotals, type OutcomeCells } from "./pair-counts.js";
import { thetaToRatings } from "./rating-scale.js";
import type { Rng } from "../lib/random.js";

export const BOOTSTRAP_ROUNDS = 100;
export const CI_LEVEL = 0.95;
/**
 * Refit tolerance for resamples (nats). The chord iteration contracts by a few percent a step, so the
 * error left is far below 1e-8 nats ≈ 2e-6 Elo points, invisible next to any interval's width.
 */
export const BOOTSTRAP_TOL = 1e-8;

/** Bootstrap ratings: row r (length nModels) of `samples` holds resample r's Elo-scale ratings. */
export interface BootstrapSamples {
  rounds: number;
  nModels: number;
  samples: Float64Array;
}

export interface BtBootstrapOptions extends Omit<BtFitOptions, "init"> {
  rounds?: number;
  rng: Rng;
  /** Full-data θ to start from (saves a fit; changes no result beyond tolerance). */
  init?: Float64Array;
  /** Index (in the cells' model order) of the model pinned at `baselineRating`; none: mean pinned. */
  baseline?: number;
  baselineRating?: number;
}

/** Resamples the cells' counts `rounds` times and refits BT on each. */
export function bootstrapBradleyTerry(cells: OutcomeCells, opts: BtBootstrapOptions): BootstrapSamples {
  const rounds = opts.rounds ?? BOOTSTRAP_ROUNDS;
  const n = cells.nModels;
  const samples = new Float64Array(rounds * n);
  const counts = new Float64Array(cells.cellCount.length);
  const full = pairTotals(cells);
  const start = opts.init ?? fitBradleyTerry(full, opts).theta;
  const factor = hessianFactor(full, start, opts.prior);
  const fitOpts = { prior: opts.prior, tol: opts.tol ?? BOOTSTRAP_TOL, maxIter: opts.maxIter };
  for (let r = 0; r < rounds; r++) {
    sampleMultinomial(cells.nBattles, cells.cellCount, opts.rng, counts);
    const pairs = pairTotals(cells, counts);
    const fit = factor ? refitBradleyTerry(pairs, factor, start, fitOpts) : fitBradleyTerry(pairs, { ...fitOpts, init: start });
    samples.set(thetaToRatings(fit.theta, opts.baseline, opts.baselineRating), r * n);
  }
  return { rounds, nModels: n, samples };
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const x = sorted[lo] ?? Number.NaN;
  return x + (pos - lo) * ((sorted[hi] ?? x) - x);
}

/** Percentile interval per model: [(1-level)/2, (1+level)/2] quantiles of its bootstrap ratings. */
export function percentileIntervals(boot: BootstrapSamples, level = CI_LEVEL): { low: Float64Array; high: Float64Array } {
  const { rounds, nModels, samples } = boot;
  const low = new Float64Array(nModels);
  const high = new Float64Array(nModels);
  const column = new Float64Array(rounds);
  for (let i = 0; i < nModels; i++) {
    for (let r = 0; r < rounds; r++) column[r] = samples[r * nModels + i] ?? 0;
    column.sort();
    low[i] = quantileSorted(column, (1 - level) / 2);
    high[i] = quantileSorted(column, (1 + level) / 2);
  }
  return { low, high };
}

/**
 * Arena ranks: 1 + the number of models whose lower bound is above this model's upper bound, so models
 * with overlapping intervals share a rank. O(n log n) via a sorted array of lower bounds.
 */
export function ranksFromIntervals(low: ArrayLike<number>, high: ArrayLike<number>): Int32Array {
  const sortedLow = Float64Array.from(low).sort();
  const ranks = new Int32Array(high.length);
  for (let i = 0; i < high.length; i++) {
    const h = high[i] ?? 0;
    // first index whose value is > h
    let lo = 0;
    let hi = sortedLow.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sortedLow[mid] ?? 0) > h) hi = mid;
      else lo = mid + 1;
    }
    ranks[i] = 1 + sortedLow.length - lo;
  }
  return ranks;
}
