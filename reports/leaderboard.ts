/**
 * The leaderboard: ratings (Bradley-Terry, online Elo, style-controlled BT, or one of the tally methods
 * of methods/: newman, davidson, counting, average-win-rate, eigen, pagerank), seeded bootstrap 95%
 * intervals, and each model's battle counts and win rate, shaped by board-shape.ts (components of the
 * comparison graph, ranks within a component, provisional flags, row order). The output is CONTRACT.md's
 * `{ method, connected, components, items: [{ model, rating, ciLow, ciHigh, rank, battles, winRate, component, provisional }] }`
 * plus the scale the ratings are on, the method's definition, the share of ties and, for newman and
 * davidson, the fitted tie parameter with its interval.
 */
import type { Battle } from "./battle-log.js";
import { MIN_DECISIVE_BATTLES, shapeBoard, type ShapedItem } from "./board-shape.js";
import { bootstrapBradleyTerry, BOOTSTRAP_ROUNDS, percentileIntervals, type BootstrapSamples } from "./bootstrap.js";
import { fitBradleyTerry } from "./bradley-terry.js";
import { bootstrapElo, eloOnColumns, timeOrder } from "./elo.js";
import { fitTallyMethod, type TieParameter } from "./method-board.js";
import { isTallyMethod, type RatingScale, type TallyMethod } from "./methods/index.js";
import { aggregateCells, pairTotals, toColumns } from "./pair-counts.js";
import { anchorInPlace, baselineIndex, RatingInputError, thetaToRatings } from "./rating-scale.js";
import { bootstrapStyleControl, fitStyleControl, styleRows } from "./style-control.js";
import { summariseStyle, type StyleSummary } from "./style-summary.js";
import { modelRecords } from "./win-rate.js";
import { type Rng, xoshiroRng } from "../lib/random.js";

export { kendallTau, spearmanRho } from "./rank-correlation.js";

/** Every rating method, as a tuple (the HTTP query's enum); the tally methods in methods/index.ts's order. */
export const RATING_METHODS = ["bt", "elo", "newman", "davidson", "counting", "average-win-rate", "eigen", "pagerank"] as const satisfies readonly ("bt" | "elo" | TallyMethod)[];
export type RatingMethod = (typeof RATING_METHODS)[number];
export const isRatingMethod = (m: string): m is RatingMethod => (RATING_METHODS as readonly string[]).includes(m);

export const BT_DEFINITION =
  "Bradley-Terry maximum likelihood (FastChat's compute_bt): P(i beats j) = π_i/(π_i+π_j), a tie is half a win each way; Newton's method with prior 1e-3; rating = 400·log10 π";
export const ELO_DEFINITION = "online Elo (FastChat's compute_elo): start 1000, K = 4, battles in time order, a tie scores 0.5 each";

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
  /** Decisive (non-tie) battles below which a model is provisional (default MIN_DECISIVE_BATTLES = 30). */
  minBattles?: number;
}

/** A row: rating, interval, rank within its component, battles (all, and decisive), win rate, flags. */
export type LeaderboardItem = ShapedItem;

export interface Leaderboard {
  method: RatingMethod;
  /** False when some models never met, directly or through others: ratings across components mean nothing. */
  connected: boolean;
  /** Model names of each component of the comparison graph, in row order; items carry their index. */
  components: string[][];
  items: LeaderboardItem[];
  style?: StyleSummary;
  /** What the ratings are: Elo points (bt, elo, newman, davidson) or the method's own units. */
  scale?: RatingScale;
  definition?: string;
  /** Share of the rated battles (by weight) that are ties. */
  ties?: number;
  /** newman / davidson: the fitted tie parameter with its bootstrap 95% interval. */
  tieParameter?: TieParameter;
}

interface Fitted {
  models: string[];
  ratings: Float64Array;
  boot: BootstrapSamples | null;
  /** Intervals computed by the method itself (tally methods); else from `boot`. */
  intervals?: { low: Float64Array; high: Float64Array };
  used: readonly Battle[];
  /** Pairs (or battles) that met, as indices into `models`: the comparison graph's edges. */
  edges: { a: ArrayLike<number>; b: ArrayLike<number> };
  style?: Leaderboard["style"];
}

/** Computes a whole board; throws RatingInputError for an unknown baseline or unusable options. */
export function computeLeaderboard(battles: readonly Battle[], opts: LeaderboardOptions): Leaderboard {
  const rounds = opts.bootstrap ?? BOOTSTRAP_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RatingInputError("bootstrap", "must be a non-negative integer");
  if (!isRatingMethod(opts.method)) throw new RatingInputError("method", `must be one of ${RATING_METHODS.join(", ")}`);
  if (opts.styleControl && opts.method !== "bt") throw new RatingInputError("styleControl", "needs method bt");
  checkMinBattles(opts.minBattles);
  const rng = xoshiroRng(opts.seed ?? 0);
  const method = opts.method;
  if (isTallyMethod(method)) return tallyBoard(battles, method, opts, rounds, rng);
  const fitted = opts.styleControl ? fitStyle(battles, opts, rounds, rng) : method === "bt" ? fitBt(battles, opts, rounds, rng) : fitElo(battles, opts, rounds, rng);
  const board: Leaderboard = {
    method,
    ...toItems(fitted, opts.minBattles ?? MIN_DECISIVE_BATTLES),
    scale: "elo",
    definition: method === "bt" ? BT_DEFINITION : ELO_DEFINITION,
    ties: battleTieShare(fitted.used),
  };
  if (fitted.style) board.style = fitted.style;
  return board;
}

/** Share of the battles' weight whose outcome is a tie (0.5). */
export function battleTieShare(battles: readonly Battle[]): number {
  let ties = 0;
  let total = 0;
  for (const b of battles) {
    const w = b.weight ?? 1;
    total += w;
    if (b.outcome === 0.5) ties += w;
  }
  return total > 0 ? ties / total : 0;
}

function tallyBoard(battles: readonly Battle[], method: TallyMethod, opts: LeaderboardOptions, rounds: number, rng: Rng): Leaderboard {
  const cols = toColumns(battles);
  const cells = aggregateCells(cols);
  const fit = fitTallyMethod(method, cols.models, cells, { rounds, rng, baseline: opts.baseline, baselineRating: opts.baselineRating });
  const fitted: Fitted = { models: cols.models, ratings: fit.ratings, boot: null, intervals: { low: fit.low, high: fit.high }, used: battles, edges: { a: cells.pairI, b: cells.pairJ } };
  const board: Leaderboard = { method, ...toItems(fitted, opts.minBattles ?? MIN_DECISIVE_BATTLES), scale: fit.scale, definition: fit.definition, ties: fit.ties };
  if (fit.tieParameter) board.tieParameter = fit.tieParameter;
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
  return { models: cols.models, ratings, boot, used: battles, edges: { a: cells.pairI, b: cells.pairJ } };
}

/** Throws RatingInputError unless `minBattles` is absent or a non-negative integer. */
export function checkMinBattles(minBattles: number | undefined): void {
  if (minBattles !== undefined && !(Number.isInteger(minBattles) && minBattles >= 0)) throw new RatingInputError("minBattles", "must be a non-negative integer");
}

function fitElo(battles: readonly Battle[], opts: LeaderboardOptions, rounds: number, rng: Rng): Fitted {
  const cols = toColumns(timeOrder(battles));
  const base = baselineIndex(cols.models, opts);
  const anchored = base !== undefined || opts.baselineRating !== undefined;
  const ratings = eloOnColumns(cols);
  if (anchored) anchorInPlace(ratings, base, opts.baselineRating);
  const boot = rounds > 0 ? bootstrapElo(cols, { rounds, rng, baselineIndex: base, baselineRating: opts.baselineRating }) : null;
  return { models: cols.models, ratings, boot, used: battles, edges: { a: cols.a, b: cols.b } };
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
  return { models: rows.models, ratings, boot, used, edges: { a: rows.a, b: rows.b }, style: summariseStyle(rows, params, boot?.coefficients ?? null, skipped) };
}

function toItems(f: Fitted, minBattles: number): Omit<Leaderboard, "method"> {
  const { low, high } = f.intervals ?? (f.boot ? percentileIntervals(f.boot) : { low: f.ratings, high: f.ratings });
  const records = modelRecords(f.used);
  const rows = f.models.map((model, i) => ({
    model,
    rating: f.ratings[i] ?? 0,
    ciLow: low[i] ?? 0,
    ciHigh: high[i] ?? 0,
    battles: records.get(model)?.battles ?? 0,
    decisive: records.get(model)?.decisive ?? 0,
    winRate: records.get(model)?.winRate ?? 0,
  }));
  return shapeBoard(rows, f.edges.a, f.edges.b, minBattles);
}
