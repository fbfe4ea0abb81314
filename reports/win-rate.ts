/**
 * Win-rate views of a battle set: the empirical pairwise matrix (row model's mean share against the
 * column model, ties as halves, weights respected), the matrix a rating set predicts, each model's
 * overall record, and `boardBy` to split battles per category or judge before rating each part.
 */
import type { Battle } from "./battle-log.js";
import { expectedScore } from "./rating-scale.js";

/** Square matrix over `models`; cell [i][j] is row i's share against column j, null where they never met. */
export interface WinRateMatrix {
  models: string[];
  rates: (number | null)[][];
  /** Weighted number of battles behind each cell. */
  counts: number[][];
}

/** Empirical share matrix. Pass `models` to fix the order (others are ignored), else first appearance. */
export function empiricalWinRates(battles: readonly Battle[], models?: readonly string[]): WinRateMatrix {
  const names = models ? [...models] : [...new Set(battles.flatMap((b) => [b.modelA, b.modelB]))];
  const index = new Map(names.map((m, i) => [m, i]));
  const won = names.map(() => new Array<number>(names.length).fill(0));
  const counts = names.map(() => new Array<number>(names.length).fill(0));
  for (const b of battles) {
    const i = index.get(b.modelA);
    const j = index.get(b.modelB);
    if (i === undefined || j === undefined) continue;
    const w = b.weight ?? 1;
    add(won, i, j, w * b.outcome);
    add(won, j, i, w * (1 - b.outcome));
    add(counts, i, j, w);
    add(counts, j, i, w);
  }
  const rates = won.map((row, i) => row.map((x, j) => {
    const n = counts[i]?.[j] ?? 0;
    return n > 0 ? x / n : null;
  }));
  return { models: names, rates, counts };
}

function add(m: number[][], i: number, j: number, v: number): void {
  const row = m[i];
  if (row) row[j] = (row[j] ?? 0) + v;
}

/** The matrix ratings predict: P(row beats column) = 1 / (1 + 10^((Rcol - Rrow)/400)); diagonal null. */
export function predictedWinRates(models: readonly string[], ratings: ArrayLike<number>): (number | null)[][] {
  return models.map((_, i) => models.map((__, j) => (i === j ? null : expectedScore(ratings[i] ?? 0, ratings[j] ?? 0))));
}

/**
 * Each model's number of battles (rows, unweighted), decisive battles among them (outcome other than
 * the 0.5 tie), and mean share over them (weighted).
 */
export function modelRecords(battles: readonly Battle[]): Map<string, { battles: number; decisive: number; winRate: number }> {
  const acc = new Map<string, { battles: number; decisive: number; won: number; weight: number }>();
  const bump = (m: string, share: number, w: number): void => {
    let r = acc.get(m);
    if (r === undefined) {
      r = { battles: 0, decisive: 0, won: 0, weight: 0 };
      acc.set(m, r);
    }
    r.battles += 1;
    if (share !== 0.5) r.decisive += 1;
    r.won += w * share;
    r.weight += w;
  };
  for (const b of battles) {
    const w = b.weight ?? 1;
    bump(b.modelA, b.outcome, w);
    bump(b.modelB, 1 - b.outcome, w);
  }
  const out = new Map<string, { battles: number; decisive: number; winRate: number }>();
  for (const [m, r] of acc) out.set(m, { battles: r.battles, decisive: r.decisive, winRate: r.weight > 0 ? r.won / r.weight : 0 });
  return out;
}

/**
 * Splits battles by a field ("category", "judge") or a key function; battles without a key are left out.
 * Per-category and per-judge boards are this plus the ordinary rating functions.
 */
export function boardBy(
  battles: readonly Battle[],
  key: "category" | "judge" | ((b: Battle) => string | undefined),
): Map<string, Battle[]> {
  const keyOf = typeof key === "function" ? key : (b: Battle) => b[key];
  const groups = new Map<string, Battle[]>();
  for (const b of battles) {
    const k = keyOf(b);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(b);
    else groups.set(k, [b]);
  }
  return groups;
}
