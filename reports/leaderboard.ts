/**
 * The leaderboard: ratings (Bradley-Terry, online Elo, or style-controlled BT), seeded bootstrap 95%
 * intervals, non-overlap ranks, and each model's battle count and win rate, sorted by rating. The
 * output is CONTRACT.md's `{ method, items: [{ model, rating, ciLow, ciHigh, rank, battles, winRate }] }`.
 */
import type { Battle } from "./battle-log.js";
import { bootstrapBradleyTerry, BOOTSTRAP_ROUNDS, percentileIntervals, ranksFromIntervals, type BootstrapSamples } from "./bootstrap.js";
import { fitBradleyTerry } from "./bradley-terry.js";
import { bootstrapElo, eloOnColumns, timeOrder } from "./elo.js";
import { aggregateCells, pairTotals, toColumns } from "./pair-counts.js";
import { createRng, type Rng } from "./random.js";
import { anchorInPlace, baselineIndex, RatingInputError, thetaToRatings } from "./rating-scale.js";
import { bootstrapStyleControl, fitStyleControl, styleRows } from "./style-control.js";
import { summariseStyle, type StyleSummary } from "./style-summary.js";
import { modelRecords } from "./win-rate.js";

export { kendallTau, spearmanRho } from "./rank-correlation.js";

export type RatingMethod = "bt" | "elo";

export interface LeaderboardOptions {
  method: RatingMethod;
  /** Bootstrap rounds for the intervals (default 100; 0 gives point intervals). */
  bootstrap?: number;
  baseline?: string;
  /** The baseline's rating, or the mean rating without a baseline (default 1000). */
  baselineRating?: number;
  /** Seed of the bootstrap's random generator (default 0), so a board is reproducible. */
  seed?: number;
  /** Style-controlled BT (method "bt" only); uses the battles that carry style counts. */
  styleControl?: boolean;
  /** BT prior precision (see bradley-terry.ts). */
  prior?: number;
}

export interface LeaderboardItem {
  model: string;
  rating: number;
  ciLow: number;
  ciHigh: number;
  rank: number;
  battles: number;
  winRate: number;
}

export interface Leaderboard {
  method: RatingMethod;
  items: LeaderboardItem[];
  style?: StyleSummary;
}

interface Fitted {
  models: string[];
  ratings: Float64Array;
  boot: BootstrapSamples | null;
  used: readonly Battle[];
  style?: Leaderboard["style"];
}

/** Computes a whole board; throws RatingInputError for an unknown baseline or unusable options. */
export function computeLeaderboard(battles: readonly Battle[], opts: LeaderboardOptions): Leaderboard {
  const rounds = opts.bootstrap ?? BOOTSTRAP_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RatingInputError("bootstrap", "must be a non-negative integer");
  if (opts.method !== "bt" && opts.method !== "elo") throw new RatingInputError("method", "must be bt or elo");
  if (opts.styleControl && opts.method !== "bt") throw new RatingInputError("styleControl", "needs method bt");
  const rng = createRng(opts.seed ?? 0);
  const fitted = opts.styleControl
    ? fitStyle(battles, opts, rounds, rng)
    : opts.method === "bt"
      ? fitBt(battles, opts, rounds, rng)
      : fitElo(battles, opts, rounds, rng);
  const board: Leaderboard = { method: opts.method, items: toItems(fitted) };
  if (fitted.style) board.style = fitted.style;
  return board;
}

function fitBt(battles: readonly Battle[], opts: LeaderboardOptions, rounds: number, rng: Rng): Fitted {
  const cols = toColumns(battles);
  const base = baselineIndex(cols.models, opts);
  const cells = aggregateCells(cols);
  const fit = fitBradleyTerry(pairTotals(cells), { prior: opts.prior });
  const ratings = thetaToRatings(fit.theta, base, opts.baselineRating);
  const boot =
    rounds > 0
      ? bootstrapBradleyTerry(cells, { rounds, rng, init: fit.theta, prior: opts.prior, baseline: base, baselineRating: opts.baselineRating })
      : null;
  return { models: cols.models, ratings, boot, used: battles };
}

function fitElo(battles: readonly Battle[], opts: LeaderboardOptions, rounds: number, rng: Rng): Fitted {
  const cols = toColumns(timeOrder(battles));
  const base = baselineIndex(cols.models, opts);
  const anchored = base !== undefined || opts.baselineRating !== undefined;
  const ratings = eloOnColumns(cols);
  if (anchored) anchorInPlace(ratings, base, opts.baselineRating);
  const boot = rounds > 0 ? bootstrapElo(cols, { rounds, rng, baselineIndex: base, baselineRating: opts.baselineRating }) : null;
  return { models: cols.models, ratings, boot, used: battles };
}

function fitStyle(battles: readonly Battle[], opts: LeaderboardOptions, rounds: number, rng: Rng): Fitted {
  const { rows, skipped } = styleRows(battles);
  if (rows.y.length === 0) throw new RatingInputError("styleControl", "no battle carries style counts");
  const base = baselineIndex(rows.models, opts);
  const m = rows.models.length;
  const params = fitStyleControl(rows);
  const ratings = thetaToRatings(params.subarray(0, m), base, opts.baselineRating);
  const boot = rounds > 0 ? bootstrapStyleControl(rows, params, { rounds, rng, baseline: base, baselineRating: opts.baselineRating }) : null;
  const used = battles.filter((b) => b.styleA && b.styleB);
  return { models: rows.models, ratings, boot, used, style: summariseStyle(rows, params, boot?.coefficients ?? null, skipped) };
}

function toItems(f: Fitted): LeaderboardItem[] {
  const { low, high } = f.boot ? percentileIntervals(f.boot) : { low: f.ratings, high: f.ratings };
  const ranks = ranksFromIntervals(low, high);
  const records = modelRecords(f.used);
  const items = f.models.map((model, i) => ({
    model,
    rating: f.ratings[i] ?? 0,
    ciLow: low[i] ?? 0,
    ciHigh: high[i] ?? 0,
    rank: ranks[i] ?? 0,
    battles: records.get(model)?.battles ?? 0,
    winRate: records.get(model)?.winRate ?? 0,
  }));
  return items.sort((x, y) => y.rating - x.rating || x.model.localeCompare(y.model));
}
