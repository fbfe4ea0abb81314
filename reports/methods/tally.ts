/**
 * Per-pair win and tie tallies for the counting, Newman, Davidson and spectral methods, summed from the
 * aggregate cells (pair-counts.ts) so a bootstrap resample of cell counts is one more pass over cells.
 * A tie (outcome exactly 0.5) is its own outcome here, unlike in BT where it is half a win each way;
 * a soft outcome y in (0, 1) other than 0.5 counts as y of a win for pairI and 1 - y for pairJ (these
 * methods, as in evalica, know only wins and ties). Battle weights multiply everything.
 */
import type { OutcomeCells } from "../pair-counts.js";

/** Pair p joins pairI[p] < pairJ[p]; winsI is pairI's won mass, winsJ pairJ's, ties the tied mass. */
export interface PairTally {
  nModels: number;
  pairI: Int32Array;
  pairJ: Int32Array;
  winsI: Float64Array;
  winsJ: Float64Array;
  ties: Float64Array;
}

/** Sums cells into tallies; `counts` replaces the observed cell counts (a bootstrap resample). */
export function tallyPairs(cells: OutcomeCells, counts: Float64Array = cells.cellCount): PairTally {
  const nPairs = cells.pairI.length;
  const winsI = new Float64Array(nPairs);
  const winsJ = new Float64Array(nPairs);
  const ties = new Float64Array(nPairs);
  for (let c = 0; c < cells.cellPair.length; c++) {
    const p = cells.cellPair[c] ?? 0;
    const mass = (counts[c] ?? 0) * (cells.cellWeight[c] ?? 1);
    const y = cells.cellOutcome[c] ?? 0;
    if (y === 0.5) ties[p] = (ties[p] ?? 0) + mass;
    else {
      winsI[p] = (winsI[p] ?? 0) + mass * y;
      winsJ[p] = (winsJ[p] ?? 0) + mass * (1 - y);
    }
  }
  return { nModels: cells.nModels, pairI: cells.pairI, pairJ: cells.pairJ, winsI, winsJ, ties };
}

/** Tallies straight from (i, j, wins of i, wins of j, ties) rows: for tests and hand-made cases. */
export function tallyFromRows(nModels: number, rows: readonly (readonly [number, number, number, number, number])[]): PairTally {
  const sorted = rows.map(([i, j, wi, wj, t]) => (i < j ? [i, j, wi, wj, t] : [j, i, wj, wi, t])).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0));
  return {
    nModels,
    pairI: Int32Array.from(sorted, (r) => r[0] ?? 0),
    pairJ: Int32Array.from(sorted, (r) => r[1] ?? 0),
    winsI: Float64Array.from(sorted, (r) => r[2] ?? 0),
    winsJ: Float64Array.from(sorted, (r) => r[3] ?? 0),
    ties: Float64Array.from(sorted, (r) => r[4] ?? 0),
  };
}

/** Share of the tallied mass that is ties (0 for an empty tally). */
export function tieShare(t: PairTally): number {
  let ties = 0;
  let total = 0;
  for (let p = 0; p < t.pairI.length; p++) {
    ties += t.ties[p] ?? 0;
    total += (t.winsI[p] ?? 0) + (t.winsJ[p] ?? 0) + (t.ties[p] ?? 0);
  }
  return total > 0 ? ties / total : 0;
}
