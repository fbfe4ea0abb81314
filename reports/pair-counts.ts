/**
 * Aggregation of battles for Bradley-Terry: battles become columns of model indices, then distinct
 * (pair, outcome, weight) cells with battle counts. BT's likelihood depends on the data only through
 * these counts, so fitting and bootstrapping never touch per-battle rows again.
 */
import type { Battle } from "./battle-log.js";

/** Battles as columns: a[k], b[k] index `models`; outcome[k] is A's share; weight null when all are 1. */
export interface BattleColumns {
  models: string[];
  a: Int32Array;
  b: Int32Array;
  outcome: Float64Array;
  weight: Float64Array | null;
}

/**
 * Distinct (pair, outcome, weight) cells. Pair p joins models pairI[p] < pairJ[p]. Cell c belongs to pair
 * cellPair[c]; its outcome is pairI's share; it holds cellCount[c] battles of weight cellWeight[c] each.
 */
export interface OutcomeCells {
  nModels: number;
  nBattles: number;
  pairI: Int32Array;
  pairJ: Int32Array;
  cellPair: Int32Array;
  cellOutcome: Float64Array;
  cellWeight: Float64Array;
  cellCount: Float64Array;
}

/** Per-pair sufficient statistics: total weight and pairI's won weight (ties and soft outcomes as shares). */
export interface PairTotals {
  nModels: number;
  pairI: Int32Array;
  pairJ: Int32Array;
  total: Float64Array;
  winsI: Float64Array;
}

/**
 * Indexes model names in sorted (code-unit) order, so the columns, and every result derived from them,
 * do not depend on which battle mentioned a model first.
 */
export function toColumns(battles: readonly Battle[]): BattleColumns {
  const index = new Map<string, number>();
  const names: string[] = [];
  const add = (name: string): number => {
    index.set(name, names.length);
    return names.push(name) - 1;
  };
  const n = battles.length;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const outcome = new Float64Array(n);
  let weight: Float64Array | null = null;
  for (let k = 0; k < n; k++) {
    const battle = battles[k] as Battle;
    a[k] = index.get(battle.modelA) ?? add(battle.modelA);
    b[k] = index.get(battle.modelB) ?? add(battle.modelB);
    outcome[k] = battle.outcome;
    if (battle.weight !== undefined && battle.weight !== 1) {
      weight ??= new Float64Array(n).fill(1);
      weight[k] = battle.weight;
    }
  }
  const sorted = [...names].sort();
  const rank = Int32Array.from(names, (m) => sorted.indexOf(m));
  for (let k = 0; k < n; k++) {
    a[k] = rank[a[k] ?? 0] ?? 0;
    b[k] = rank[b[k] ?? 0] ?? 0;
  }
  return { models: sorted, a, b, outcome, weight };
}

// Hard outcomes at weight 1 are counted straight into a dense (i, j, outcome) array while it stays
// under this many slots (24 MB, ~1000 models); soft or weighted battles, and larger arenas, use a Map.
const DENSE_CELL_LIMIT = 3 << 20;

/** Hard outcome codes for the dense path, in ascending outcome order: pairI lost, tie, pairI won. */
const HARD_OUTCOMES = [0, 0.5, 1];

function hardCode(outcome: number): number {
  return outcome === 0 ? 0 : outcome === 0.5 ? 1 : outcome === 1 ? 2 : -1;
}

interface Cell {
  i: number;
  j: number;
  y: number;
  w: number;
  count: number;
}

/**
 * Counts battles into (pair, outcome, weight) cells in one pass over the columns, then lays them out
 * in canonical order (pairs by (i, j), cells by outcome then weight): the same battles in any order give
 * identical arrays, hence identical fits and, for a given seed, identical bootstrap draws.
 */
export function aggregateCells(cols: BattleColumns): OutcomeCells {
  const n = cols.models.length;
  const dense = 3 * n * n <= DENSE_CELL_LIMIT ? new Float64Array(3 * n * n) : null;
  const other = new Map<string, Cell>();
  const { a, b, outcome, weight } = cols;
  for (let k = 0; k < a.length; k++) {
    const ak = a[k] ?? 0;
    const bk = b[k] ?? 0;
    const swap = ak > bk;
    const i = swap ? bk : ak;
    const j = swap ? ak : bk;
    const y = swap ? 1 - (outcome[k] ?? 0) : (outcome[k] ?? 0);
    const w = weight ? (weight[k] ?? 1) : 1;
    const code = w === 1 ? hardCode(y) : -1;
    if (dense && code >= 0) {
      const slot = (i * n + j) * 3 + code;
      dense[slot] = (dense[slot] ?? 0) + 1;
      continue;
    }
    const key = `${i}|${j}|${y}|${w}`;
    const cell = other.get(key);
    if (cell) cell.count++;
    else other.set(key, { i, j, y, w, count: 1 });
  }
  return layout(n, a.length, collectCells(n, dense, other));
}

/** Dense cells come out in canonical order already; Map cells force a merge sort. */
function collectCells(n: number, dense: Float64Array | null, other: Map<string, Cell>): Cell[] {
  const cells: Cell[] = [];
  if (dense) {
    for (let slot = 0; slot < dense.length; slot++) {
      const count = dense[slot] ?? 0;
      if (count === 0) continue;
      const pair = Math.floor(slot / 3);
      cells.push({ i: Math.floor(pair / n), j: pair % n, y: HARD_OUTCOMES[slot % 3] ?? 0, w: 1, count });
    }
  }
  if (other.size === 0) return cells;
  cells.push(...other.values());
  return cells.sort((x, z) => x.i - z.i || x.j - z.j || x.y - z.y || x.w - z.w);
}

function layout(nModels: number, nBattles: number, cells: Cell[]): OutcomeCells {
  const pairI: number[] = [];
  const pairJ: number[] = [];
  const cellPair = new Int32Array(cells.length);
  cells.forEach((c, k) => {
    const last = pairI.length - 1;
    if (last < 0 || pairI[last] !== c.i || pairJ[last] !== c.j) {
      pairI.push(c.i);
      pairJ.push(c.j);
    }
    cellPair[k] = pairI.length - 1;
  });
  return {
    nModels,
    nBattles,
    pairI: Int32Array.from(pairI),
    pairJ: Int32Array.from(pairJ),
    cellPair,
    cellOutcome: Float64Array.from(cells, (c) => c.y),
    cellWeight: Float64Array.from(cells, (c) => c.w),
    cellCount: Float64Array.from(cells, (c) => c.count),
  };
}

/** Sums cells into per-pair totals; `counts` replaces the observed cell counts (a bootstrap resample). */
export function pairTotals(cells: OutcomeCells, counts: Float64Array = cells.cellCount): PairTotals {
  const nPairs = cells.pairI.length;
  const total = new Float64Array(nPairs);
  const winsI = new Float64Array(nPairs);
  const { cellPair, cellOutcome, cellWeight } = cells;
  for (let c = 0; c < cellPair.length; c++) {
    const p = cellPair[c] ?? 0;
    const mass = (counts[c] ?? 0) * (cellWeight[c] ?? 1);
    total[p] = (total[p] ?? 0) + mass;
    winsI[p] = (winsI[p] ?? 0) + mass * (cellOutcome[c] ?? 0);
  }
  return { nModels: cells.nModels, pairI: cells.pairI, pairJ: cells.pairJ, total, winsI };
}
