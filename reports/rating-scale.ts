/**
 * The Elo scale shared by every rating method (FastChat's constants): 400 points per factor 10 in odds,
 * 1000 as the starting / mean rating, and anchoring so a chosen baseline model gets a chosen rating.
 */

export const ELO_BASE = 10;
export const ELO_SCALE = 400;
export const INIT_RATING = 1000;
/** Natural log-odds -> Elo points: 400 / ln 10 ≈ 173.7. */
export const NATURAL_TO_ELO = ELO_SCALE / Math.log(ELO_BASE);

/** Bad input to the rating code (an unknown baseline, a bad option); `field` names the culprit. */
export class RatingInputError extends Error {
  readonly code = "invalid_rating_input";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "RatingInputError";
  }
}

/** Where to pin the scale: a baseline model and its rating, or (no baseline) the mean rating. */
export interface Anchor {
  baseline?: string;
  /** The baseline's rating, or the mean rating without a baseline. Default 1000. */
  baselineRating?: number;
}

/** Index of the baseline model, undefined without one; throws RatingInputError if it never battled. */
export function baselineIndex(models: readonly string[], anchor: Anchor): number | undefined {
  if (anchor.baseline === undefined) return undefined;
  const idx = models.indexOf(anchor.baseline);
  if (idx < 0) throw new RatingInputError("baseline", `model ${JSON.stringify(anchor.baseline)} has no battles`);
  return idx;
}

/** Shifts ratings in place so the baseline (or, without one, the mean) sits at the anchor rating. */
export function anchorInPlace(ratings: Float64Array, baseline: number | undefined, target = INIT_RATING): Float64Array {
  if (ratings.length === 0) return ratings;
  let shift: number;
  if (baseline === undefined) {
    let sum = 0;
    for (const r of ratings) sum += r;
    shift = target - sum / ratings.length;
  } else {
    shift = target - (ratings[baseline] ?? 0);
  }
  for (let i = 0; i < ratings.length; i++) ratings[i] = (ratings[i] ?? 0) + shift;
  return ratings;
}

/** Natural-scale log-strengths -> anchored Elo-scale ratings (a new array). */
export function thetaToRatings(theta: Float64Array, baseline: number | undefined, target = INIT_RATING): Float64Array {
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = (theta[i] ?? 0) * NATURAL_TO_ELO;
  return anchorInPlace(out, baseline, target);
}

/** P(A beats B) for Elo-scale ratings. */
export function expectedScore(ratingA: number, ratingB: number): number {
  return 1 / (1 + ELO_BASE ** ((ratingB - ratingA) / ELO_SCALE));
}
