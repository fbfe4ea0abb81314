/**
 * Ratings, seeded bootstrap 95% intervals and the tie parameter for the tally methods (methods/), from
 * the aggregate cells. A resample draws N battles as a multinomial over the cells (as bootstrap.ts does
 * for BT) and refits the method on the resampled tallies; intervals are percentile intervals of the
 * ratings and of the tie parameter. Elo-scale methods are anchored like BT (mean or baseline at the
 * anchor rating); the other scales have a fixed origin, so a baseline is checked but moves nothing and
 * a baseline rating is refused.
 */
import { sampleMultinomial } from "./binomial.js";
import { CI_LEVEL, percentileIntervals, quantileSorted, type BootstrapSamples } from "./bootstrap.js";
import { METHOD_SPECS, type RatingScale, type TallyMethod } from "./methods/index.js";
import { tallyPairs, tieShare } from "./methods/tally.js";
import type { OutcomeCells } from "./pair-counts.js";
import { baselineIndex, RatingInputError, thetaToRatings, type Anchor } from "./rating-scale.js";
import type { Rng } from "../lib/random.js";

export interface TieParameter {
  value: number;
  ciLow: number;
  ciHigh: number;
}

export interface TallyBoardFit {
  ratings: Float64Array;
  low: Float64Array;
  high: Float64Array;
  scale: RatingScale;
  definition: string;
  /** Share of the battles' mass that is ties. */
  ties: number;
  tieParameter?: TieParameter;
}

export interface TallyBoardOptions extends Anchor {
  rounds: number;
  rng: Rng;
}

/** Fits `method` on the cells over `models` and bootstraps it; throws RatingInputError for a bad anchor. */
export function fitTallyMethod(method: TallyMethod, models: readonly string[], cells: OutcomeCells, opts: TallyBoardOptions): TallyBoardFit {
  const spec = METHOD_SPECS[method];
  const base = baselineIndex(models, opts);
  const elo = spec.scale === "elo";
  if (!elo && opts.baselineRating !== undefined) throw new RatingInputError("baselineRating", `applies only to Elo-scale methods; ${method} ratings are on the ${spec.scale} scale`);
  const toRatings = (values: Float64Array): Float64Array => (elo ? thetaToRatings(values, base, opts.baselineRating) : values);
  const tally = tallyPairs(cells);
  const full = spec.fit(tally);
  const ratings = toRatings(full.values);
  const n = models.length;
  const out: TallyBoardFit = { ratings, low: ratings, high: ratings, scale: spec.scale, definition: spec.definition, ties: tieShare(tally) };
  const tieSamples = new Float64Array(opts.rounds);
  if (opts.rounds > 0 && n > 0) {
    const boot: BootstrapSamples = { rounds: opts.rounds, nModels: n, samples: new Float64Array(opts.rounds * n) };
    const counts = new Float64Array(cells.cellCount.length);
    for (let r = 0; r < opts.rounds; r++) {
      sampleMultinomial(cells.nBattles, cells.cellCount, opts.rng, counts);
      const fit = spec.fit(tallyPairs(cells, counts), full.warm);
      boot.samples.set(toRatings(fit.values), r * n);
      tieSamples[r] = fit.tie ?? 0;
    }
    const { low, high } = percentileIntervals(boot);
    out.low = low;
    out.high = high;
  }
  if (full.tie !== undefined) {
    const sorted = tieSamples.sort();
    out.tieParameter =
      opts.rounds > 0
        ? { value: full.tie, ciLow: quantileSorted(sorted, (1 - CI_LEVEL) / 2), ciHigh: quantileSorted(sorted, (1 + CI_LEVEL) / 2) }
        : { value: full.tie, ciLow: full.tie, ciHigh: full.tie };
  }
  return out;
}
