/**
 * Online Elo (FastChat's compute_elo): battles applied one at a time in time order, every model starts
 * at 1000, P(A wins) = 1 / (1 + 10^((Rb - Ra)/400)), and both ratings move by K·(outcome - P) with K = 4.
 * Ties are 0.5 and soft outcomes are used as they are; a battle's weight multiplies its step.
 * Unlike Bradley-Terry, the result depends on the order of battles.
 */
import type { Battle } from "./battle-log.js";
import type { BootstrapSamples } from "./bootstrap.js";
import { toColumns, type BattleColumns } from "./pair-counts.js";
import { anchorInPlace, baselineIndex, ELO_BASE, ELO_SCALE, INIT_RATING, type Anchor } from "./rating-scale.js";
import { randomInt, type Rng } from "../lib/random.js";

export const ELO_K = 4;
/** ln(10)/400: 10^(x/400) = e^(ALPHA·x), and exp is cheaper than pow in the update loop. */
const ALPHA = Math.log(ELO_BASE) / ELO_SCALE;

/**
 * Battles in time order: stably sorted by `tstamp` when every battle has one, else as given (a log with
 * partial timestamps has no trustworthy order but its own).
 */
export function timeOrder(battles: readonly Battle[]): Battle[] {
  if (!battles.every((b) => b.tstamp !== undefined)) return [...battles];
  return [...battles].sort((x, y) => (x.tstamp ?? 0) - (y.tstamp ?? 0));
}

/**
 * Runs Elo over the battles at positions `order` (default: every battle in column order); returns
 * unanchored ratings starting from `initRating`.
 */
export function eloOnColumns(cols: BattleColumns, order?: ArrayLike<number>, k = ELO_K, initRating = INIT_RATING): Float64Array {
  const ratings = new Float64Array(cols.models.length).fill(initRating);
  const steps = order ? order.length : cols.a.length;
  const { a, b, outcome, weight } = cols;
  for (let s = 0; s < steps; s++) {
    const idx = order ? (order[s] ?? 0) : s;
    const i = a[idx] ?? 0;
    const j = b[idx] ?? 0;
    const ri = ratings[i] ?? initRating;
    const rj = ratings[j] ?? initRating;
    const expected = 1 / (1 + Math.exp(ALPHA * (rj - ri)));
    const update = k * (weight ? (weight[idx] ?? 1) : 1) * ((outcome[idx] ?? 0) - expected);
    ratings[i] = ri + update;
    ratings[j] = rj - update;
  }
  return ratings;
}

export interface EloOptions extends Anchor {
  k?: number;
}

/** Online Elo ratings in time order, anchored only if a baseline is given (otherwise the mean stays 1000). */
export function computeElo(battles: readonly Battle[], opts: EloOptions = {}): { models: string[]; ratings: Float64Array } {
  const cols = toColumns(timeOrder(battles));
  const base = baselineIndex(cols.models, opts);
  const ratings = eloOnColumns(cols, undefined, opts.k);
  if (base !== undefined || opts.baselineRating !== undefined) anchorInPlace(ratings, base, opts.baselineRating);
  return { models: cols.models, ratings };
}

export interface EloBootstrapOptions {
  rounds: number;
  rng: Rng;
  k?: number;
  /** Index (in the columns' model order) of the model pinned at `baselineRating`. */
  baselineIndex?: number;
  baselineRating?: number;
}

/**
 * FastChat's bootstrap for Elo: each round replays N battles drawn with replacement in random order
 * (which both resamples the data and shuffles the order Elo depends on).
 */
export function bootstrapElo(cols: BattleColumns, opts: EloBootstrapOptions): BootstrapSamples {
  const n = cols.models.length;
  const nBattles = cols.a.length;
  const samples = new Float64Array(opts.rounds * n);
  const order = new Int32Array(nBattles);
  for (let r = 0; r < opts.rounds; r++) {
    for (let s = 0; s < nBattles; s++) order[s] = randomInt(opts.rng, nBattles);
    const ratings = eloOnColumns(cols, order, opts.k);
    const anchored = opts.baselineIndex !== undefined || opts.baselineRating !== undefined;
    if (anchored) anchorInPlace(ratings, opts.baselineIndex, opts.baselineRating);
    samples.set(ratings, r * n);
  }
  return { rounds: opts.rounds, nModels: n, samples };
}
