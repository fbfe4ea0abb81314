/**
 * Leaderboards from aggregated counts: rows of (modelA, modelB, outcome, count), as the service keeps
 * them in its `battle_cells` table. Bradley-Terry, the tally methods (methods/) and their bootstraps
 * depend on the battles only through these counts, so the board equals `computeLeaderboard` on the
 * expanded battles (shaped the same way by board-shape.ts: components, ranks within a component,
 * provisional flags). Online Elo depends on battle order and is not available here.
 */
import { MIN_DECISIVE_BATTLES, shapeBoard } from "./board-shape.js";
import { bootstrapBradleyTerry, BOOTSTRAP_ROUNDS, percentileIntervals } from "./bootstrap.js";
import { fitBradleyTerry } from "./bradley-terry.js";
import { BT_DEFINITION, checkMinBattles, type Leaderboard } from "./leaderboard.js";
import { fitTallyMethod } from "./method-board.js";
import type { TallyMethod } from "./methods/index.js";
import { tallyPairs, tieShare } from "./methods/tally.js";
import type { OutcomeCells } from "./pair-counts.js";
import { pairTotals } from "./pair-counts.js";
import { baselineIndex, RatingInputError, thetaToRatings } from "./rating-scale.js";
import { xoshiroRng } from "../lib/random.js";

/** `count` battles between modelA and modelB, each with model A's share `outcome`. */
export interface CountRow {
  modelA: string;
  modelB: string;
  outcome: number;
  count: number;
}

/** Canonical cells (models sorted, pairs by (i, j), cells by outcome), as `aggregateCells` lays them out. */
export function cellsFromCounts(rows: readonly CountRow[]): { models: string[]; cells: OutcomeCells } {
  const models = [...new Set(rows.flatMap((r) => [r.modelA, r.modelB]))].sort();
  const index = new Map(models.map((m, i) => [m, i]));
  const merged = new Map<string, { i: number; j: number; y: number; count: number }>();
  let nBattles = 0;
  for (const r of rows) {
    if (r.count <= 0 || r.modelA === r.modelB) continue;
    const a = index.get(r.modelA) ?? 0;
    const b = index.get(r.modelB) ?? 0;
    const [i, j, y] = a < b ? [a, b, r.outcome] : [b, a, 1 - r.outcome];
    const key = `${i}|${j}|${y}`;
    const cell = merged.get(key);
    if (cell) cell.count += r.count;
    else merged.set(key, { i, j, y, count: r.count });
    nBattles += r.count;
  }
  const sorted = [...merged.values()].sort((x, z) => x.i - z.i || x.j - z.j || x.y - z.y);
  const pairI: number[] = [];
  const pairJ: number[] = [];
  const cellPair = new Int32Array(sorted.length);
  sorted.forEach((c, k) => {
    const last = pairI.length - 1;
    if (last < 0 || pairI[last] !== c.i || pairJ[last] !== c.j) {
      pairI.push(c.i);
      pairJ.push(c.j);
    }
    cellPair[k] = pairI.length - 1;
  });
  const cells: OutcomeCells = {
    nModels: models.length,
    nBattles,
    pairI: Int32Array.from(pairI),
    pairJ: Int32Array.from(pairJ),
    cellPair,
    cellOutcome: Float64Array.from(sorted, (c) => c.y),
    cellWeight: new Float64Array(sorted.length).fill(1),
    cellCount: Float64Array.from(sorted, (c) => c.count),
  };
  return { models, cells };
}

export interface CountsBoardOptions {
  /** bt (default) or a tally method. */
  method?: "bt" | TallyMethod;
  bootstrap?: number;
  baseline?: string;
  baselineRating?: number;
  seed?: number;
  /** Decisive battles below which a model is provisional (default 30). */
  minBattles?: number;
}

/** Per model: battles fought, decisive ones (outcome other than a 0.5 tie) and mean share won, from the cells. */
function records(models: string[], cells: OutcomeCells): { battles: Float64Array; decisive: Float64Array; won: Float64Array } {
  const battles = new Float64Array(models.length);
  const decisive = new Float64Array(models.length);
  const won = new Float64Array(models.length);
  for (let c = 0; c < cells.cellPair.length; c++) {
    const p = cells.cellPair[c] ?? 0;
    const i = cells.pairI[p] ?? 0;
    const j = cells.pairJ[p] ?? 0;
    const n = cells.cellCount[c] ?? 0;
    const y = cells.cellOutcome[c] ?? 0;
    battles[i] = (battles[i] ?? 0) + n;
    battles[j] = (battles[j] ?? 0) + n;
    won[i] = (won[i] ?? 0) + n * y;
    won[j] = (won[j] ?? 0) + n * (1 - y);
    if (y !== 0.5) {
      decisive[i] = (decisive[i] ?? 0) + n;
      decisive[j] = (decisive[j] ?? 0) + n;
    }
  }
  return { battles, decisive, won };
}

/** BT ratings and percentile intervals from the cells. */
function btFromCells(models: string[], cells: OutcomeCells, opts: CountsBoardOptions, rounds: number) {
  const base = baselineIndex(models, opts);
  const fit = fitBradleyTerry(pairTotals(cells));
  const ratings = thetaToRatings(fit.theta, base, opts.baselineRating);
  const boot = rounds > 0 && models.length > 0 ? bootstrapBradleyTerry(cells, { rounds, rng: xoshiroRng(opts.seed ?? 0), init: fit.theta, baseline: base, baselineRating: opts.baselineRating }) : null;
  const { low, high } = boot ? percentileIntervals(boot) : { low: ratings, high: ratings };
  return { ratings, low, high, scale: "elo" as const, definition: BT_DEFINITION, ties: tieShare(tallyPairs(cells)) };
}

/** A board (BT by default) with seeded bootstrap intervals, from counts; an unknown baseline throws RatingInputError. */
export function leaderboardFromCounts(rows: readonly CountRow[], opts: CountsBoardOptions = {}): Leaderboard {
  const rounds = opts.bootstrap ?? BOOTSTRAP_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RatingInputError("bootstrap", "must be a non-negative integer");
  checkMinBattles(opts.minBattles);
  const method = opts.method ?? "bt";
  const { models, cells } = cellsFromCounts(rows);
  const fit =
    method === "bt"
      ? btFromCells(models, cells, opts, rounds)
      : fitTallyMethod(method, models, cells, { rounds, rng: xoshiroRng(opts.seed ?? 0), baseline: opts.baseline, baselineRating: opts.baselineRating });
  const { ratings, low, high } = fit;
  const rec = records(models, cells);
  const items = models.map((model, i) => ({
    model,
    rating: ratings[i] ?? 0,
    ciLow: low[i] ?? 0,
    ciHigh: high[i] ?? 0,
    battles: rec.battles[i] ?? 0,
    decisive: rec.decisive[i] ?? 0,
    winRate: (rec.battles[i] ?? 0) > 0 ? (rec.won[i] ?? 0) / (rec.battles[i] ?? 1) : 0,
  }));
  const board: Leaderboard = {
    method,
    ...shapeBoard(items, cells.pairI, cells.pairJ, opts.minBattles ?? MIN_DECISIVE_BATTLES),
    scale: fit.scale,
    definition: fit.definition,
    ties: fit.ties,
  };
  if ("tieParameter" in fit && fit.tieParameter) board.tieParameter = fit.tieParameter;
  return board;
}
