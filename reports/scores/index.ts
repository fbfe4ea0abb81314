/**
 * Scores against a baseline: one entry point that computes the named score for every candidate that
 * met the baseline, with its definition (the authors' definition, and how this service departs from
 * it), seeded bootstrap intervals (5% and 95% percentiles) and rows ordered best first.
 */
import { xoshiroRng } from "../../lib/random.js";
import { RatingInputError } from "../rating-scale.js";
import { ARENA_HARD_DEFINITION, arenaHardScores } from "./arena-hard.js";
import { LC_DEFINITION, lcScores } from "./lc.js";
import { CI_PERCENTILES, type BaselineBattle, type ScoreBoard, type ScoreItem, type ScoreName, type ScoreOptions } from "./types.js";
import { WILDBENCH_DEFINITION, wildBenchScores } from "./wildbench.js";
import { WINRATE_DEFINITION, winRateScores } from "./winrate.js";

export { isScoreName, SCORE_NAMES, type ScoreBoard, type ScoreItem, type ScoreName } from "./types.js";
export { logBattlesAgainst, storedBattlesAgainst, type StoredBaselineRow } from "./sides.js";

export const SCORE_DEFINITIONS: Readonly<Record<ScoreName, string>> = {
  winrate: WINRATE_DEFINITION,
  "arena-hard": ARENA_HARD_DEFINITION,
  wildbench: WILDBENCH_DEFINITION,
  lc: LC_DEFINITION,
};

/** Best first; models without a score last, by name. */
function order(items: ScoreItem[]): ScoreItem[] {
  return items.sort((x, y) => (y.score ?? -Infinity) - (x.score ?? -Infinity) || (x.model < y.model ? -1 : x.model > y.model ? 1 : 0));
}

/**
 * Computes `score` over battles already turned to the candidates' side. Throws RatingInputError
 * (field "baseline") when no battle meets the baseline, and for an unusable bootstrap count.
 */
export function computeScoreBoard(score: ScoreName, battles: readonly BaselineBattle[], notAgainstBaseline: number, opts: ScoreOptions): ScoreBoard {
  if (!Number.isInteger(opts.bootstrap) || opts.bootstrap < 0) throw new RatingInputError("bootstrap", "must be a non-negative integer");
  if (battles.length === 0) throw new RatingInputError("baseline", `'${opts.baseline}' has no battles on this board`);
  const rng = xoshiroRng(opts.seed);
  const skipped: ScoreBoard["skipped"] = { notAgainstBaseline };
  let items: ScoreItem[];
  if (score === "winrate") items = winRateScores(battles, opts.bootstrap, rng);
  else if (score === "wildbench") items = wildBenchScores(battles, opts.bootstrap, rng);
  else if (score === "arena-hard") {
    const r = arenaHardScores(battles, opts.bootstrap, rng);
    items = r.items;
    skipped.withInvalidGames = r.dropped;
  } else {
    const r = lcScores(battles, opts.bootstrap, rng);
    items = r.items;
    skipped.withoutLengths = r.withoutLengths;
  }
  return { score, baseline: opts.baseline, definition: SCORE_DEFINITIONS[score], ciPercentiles: [CI_PERCENTILES[0], CI_PERCENTILES[1]], bootstrap: opts.bootstrap, items: order(items), skipped };
}
