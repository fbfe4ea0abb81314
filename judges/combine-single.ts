/**
 * Single-answer grading combined into model A's share. Each answer gets a 1-10 rating on its own
 * (no positions, so nothing to swap). Two mappings:
 *   - "soft" (default): share = 0.5 + (ratingA - ratingB) / 18, linear over the largest possible
 *     difference (9), so 10 vs 1 is 1, equal ratings are 0.5, 8 vs 6 is 0.6111;
 *   - "wtl": win / tie / loss by the difference, 1 / 0.5 / 0, with |difference| <= tieBand a tie
 *     (MT-bench's single-mode win rate uses a tie band of 0).
 * A missing rating on either side makes the outcome null: one score alone compares to nothing.
 */
import { MAX_RATING, MIN_RATING, marginOf } from "./labels.js";
import type { CombinedOutcome } from "./combine.js";

/** The largest possible difference between two 1-10 ratings. */
export const RATING_SPAN = MAX_RATING - MIN_RATING;

export interface SingleCombineOptions {
  mode?: "soft" | "wtl";
  /** For "wtl": differences up to this size are ties. Default 0. */
  tieBand?: number;
}

function validRating(r: number | null): r is number {
  return r !== null && Number.isFinite(r) && r >= MIN_RATING && r <= MAX_RATING;
}

/** Model A's share from the ratings of A's and B's answers (each in [1, 10], null when unparsed). */
export function combineSingle(
  ratingA: number | null,
  ratingB: number | null,
  options: SingleCombineOptions = {},
): CombinedOutcome {
  const okA = validRating(ratingA);
  const okB = validRating(ratingB);
  const validGames = (okA ? 1 : 0) + (okB ? 1 : 0);
  if (!okA || !okB) {
    return { outcome: null, margin: 0, consistent: false, validGames };
  }
  const diff = ratingA - ratingB;
  let outcome: number;
  if (options.mode === "wtl") {
    const band = options.tieBand ?? 0;
    outcome = Math.abs(diff) <= band ? 0.5 : diff > 0 ? 1 : 0;
  } else {
    outcome = 0.5 + diff / (2 * RATING_SPAN);
  }
  // No order to disagree with: two valid ratings are consistent by construction.
  return { outcome, margin: marginOf(outcome), consistent: true, validGames };
}
