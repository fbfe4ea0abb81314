/**
 * The bootstrap every score uses for its interval: resample a model's rows with replacement, take
 * the statistic of each resample, and report the 5% and 95% percentiles (as arena-hard-auto prints
 * them). Rows are the score's own units: game rows for arena-hard, games for WildBench, battles for
 * the win rate and LC. The random generator is passed in, so an interval is reproducible.
 */
import { quantileSorted } from "../bootstrap.js";
import { randomInt, type Rng } from "../../lib/random.js";
import { CI_PERCENTILES } from "./types.js";

export interface Estimate {
  score: number;
  ciLow: number;
  ciHigh: number;
}

/** Mean of `values` with its bootstrap interval; rounds 0 gives a point interval. */
export function meanWithInterval(values: ArrayLike<number>, rounds: number, rng: Rng): Estimate {
  const n = values.length;
  const meanOf = (pick: (k: number) => number): number => {
    let total = 0;
    for (let k = 0; k < n; k++) total += values[pick(k)] ?? 0;
    return n > 0 ? total / n : Number.NaN;
  };
  const score = meanOf((k) => k);
  return { score, ...intervalOf(rounds, rng, () => meanOf(() => randomInt(rng, n)), score) };
}

/** Percentile interval of `draw()` over `rounds` resamples (the point itself when rounds is 0). */
export function intervalOf(rounds: number, rng: Rng, draw: () => number, point: number): { ciLow: number; ciHigh: number } {
  if (rounds <= 0) return { ciLow: point, ciHigh: point };
  const samples = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) samples[r] = draw();
  samples.sort();
  return { ciLow: quantileSorted(samples, CI_PERCENTILES[0]), ciHigh: quantileSorted(samples, CI_PERCENTILES[1]) };
}

/** Indices 0..n-1 drawn with replacement. */
export function resampleIndices(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = randomInt(rng, n);
  return idx;
}
