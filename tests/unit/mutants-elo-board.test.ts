// Hand-computed cases for online Elo's options, the win-rate views' edges and the board's row order
// (reports/elo.ts, reports/win-rate.ts, reports/board-shape.ts), written to kill mutation survivors.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { comparisonComponents, shapeBoard, type RatedModel } from "../../reports/board-shape.js";
import { bootstrapElo, computeElo, eloOnColumns, timeOrder } from "../../reports/elo.js";
import { toColumns } from "../../reports/pair-counts.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";
import { empiricalWinRates, modelRecords } from "../../reports/win-rate.js";

const ratingsOf = (r: { models: string[]; ratings: Float64Array }): Record<string, number> => Object.fromEntries(r.models.map((m, i) => [m, r.ratings[i] ?? Number.NaN]));

describe("computeElo options", () => {
  // One battle at 1000 / 1000: E = 1/2, so each rating moves by K/2.
  const one: Battle[] = [{ modelA: "a", modelB: "b", outcome: 1 }];
  const cases: { name: string; opts: Parameters<typeof computeElo>[1]; want: Record<string, number> }[] = [
    { name: "default K = 4", opts: {}, want: { a: 1002, b: 998 } },
    { name: "K = 32", opts: { k: 32 }, want: { a: 1016, b: 984 } },
    // No baseline: the mean is pinned at the rating asked for, gaps kept.
    { name: "mean pinned at 1500", opts: { baselineRating: 1500 }, want: { a: 1502, b: 1498 } },
    { name: "baseline b at its default 1000", opts: { baseline: "b" }, want: { a: 1004, b: 1000 } },
    { name: "baseline a at 1200, K = 10", opts: { baseline: "a", baselineRating: 1200, k: 10 }, want: { a: 1200, b: 1190 } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = ratingsOf(computeElo(one, tc.opts));
      for (const [m, r] of Object.entries(tc.want)) expect(got[m]).toBeCloseTo(r, 9);
    });
  }
});

describe("timeOrder", () => {
  const cases: { name: string; tstamps: (number | undefined)[]; want: number[] }[] = [
    { name: "ascending tstamp", tstamps: [3, 1, 2], want: [1, 2, 0] },
    { name: "equal tstamps keep file order (stable)", tstamps: [2, 1, 2, 1], want: [1, 3, 0, 2] },
    { name: "one missing tstamp: file order", tstamps: [3, undefined, 1], want: [0, 1, 2] },
    { name: "tstamp 0 counts as present", tstamps: [5, 0], want: [1, 0] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const battles: Battle[] = tc.tstamps.map((tstamp, k) => ({ modelA: `m${k}`, modelB: "z", outcome: 1, ...(tstamp === undefined ? {} : { tstamp }) }));
      const got = timeOrder(battles);
      expect(got.map((b) => battles.indexOf(b))).toEqual(tc.want);
      expect(got).not.toBe(battles);
    });
  }
});

describe("eloOnColumns", () => {
  const cols = toColumns([
    { modelA: "a", modelB: "b", outcome: 1 },
    { modelA: "b", modelB: "c", outcome: 0 },
  ]);
  it("replays only the positions in order, repeats included", () => {
    // Battle 0 twice: a +2 (E 1/2), then E_a = 1/(1 + 10^(-4/400)) = 0.5057562, step 4·0.4942438 = 1.9769752.
    const r = eloOnColumns(cols, [0, 0]);
    expect(r[cols.models.indexOf("a")]).toBeCloseTo(1003.9769752, 6);
    expect(r[cols.models.indexOf("c")]).toBe(1000);
  });
  it("an empty order changes nothing; K and the start rating are parameters", () => {
    expect(Array.from(eloOnColumns(cols, []))).toEqual([1000, 1000, 1000]);
    // Start 1500, K 8: battle 0 moves a, b by 4; battle 1, c beats b (b at 1496, c at 1500):
    // E_b = 1/(1 + 10^(4/400)) = 0.4942438, so both move by 8·0.4942438.
    const r = eloOnColumns(cols, undefined, 8, 1500);
    expect(r[cols.models.indexOf("a")]).toBeCloseTo(1504, 9);
    expect(r[cols.models.indexOf("b")]).toBeCloseTo(1496 - 8 * 0.4942438, 5);
    expect(r[cols.models.indexOf("c")]).toBeCloseTo(1500 + 8 * 0.4942438, 5);
  });
});

describe("bootstrapElo options", () => {
  const cols = toColumns([
    { modelA: "a", modelB: "b", outcome: 1 },
    { modelA: "b", modelB: "c", outcome: 1 },
    { modelA: "c", modelB: "a", outcome: 0.5 },
  ]);
  const cases: { name: string; opts: { k?: number; baselineIndex?: number; baselineRating?: number }; check: (row: number[]) => void }[] = [
    { name: "K = 0 keeps every resample at 1000", opts: { k: 0 }, check: (row) => expect(row).toEqual([1000, 1000, 1000]) },
    { name: "a baseline index is pinned at 1000", opts: { baselineIndex: 2 }, check: (row) => expect(row[2]).toBeCloseTo(1000, 9) },
    { name: "a baseline index is pinned at its rating", opts: { baselineIndex: 1, baselineRating: 1300 }, check: (row) => expect(row[1]).toBeCloseTo(1300, 9) },
    { name: "no baseline: the mean is pinned at the rating", opts: { baselineRating: 700 }, check: (row) => expect(row.reduce((s, x) => s + x, 0) / 3).toBeCloseTo(700, 9) },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const boot = bootstrapElo(cols, { rounds: 6, rng: xoshiroRng(11), ...tc.opts });
      expect(boot).toMatchObject({ rounds: 6, nModels: 3 });
      expect(boot.samples).toHaveLength(18);
      for (let r = 0; r < 6; r++) tc.check(Array.from(boot.samples.subarray(r * 3, r * 3 + 3)));
    });
  }
  it("each round replays exactly N draws of randomInt(rng, N), rounds drawn one after the other", () => {
    // FastChat's law: a round is N battle indices drawn uniformly with replacement; replaying the same
    // generator by hand gives the same orders, so round r's ratings are Elo over the r-th draw.
    const boot = bootstrapElo(cols, { rounds: 4, rng: xoshiroRng(7) });
    const rng = xoshiroRng(7);
    for (let r = 0; r < 4; r++) {
      const order = Int32Array.from({ length: 3 }, () => randomInt(rng, 3));
      expect(Array.from(boot.samples.subarray(r * 3, r * 3 + 3))).toEqual(Array.from(eloOnColumns(cols, order)));
    }
  });
  it("a K = 32 bootstrap moves ratings 8 times as far as K = 4 after one draw", () => {
    // One battle: every round draws it once, so a moves by K/2.
    const single = toColumns([{ modelA: "a", modelB: "b", outcome: 1 }]);
    const boot = bootstrapElo(single, { rounds: 2, rng: xoshiroRng(1), k: 32 });
    expect(Array.from(boot.samples)).toEqual([1016, 984, 1016, 984]);
  });
});

describe("win-rate edges", () => {
  it("a models list leaves other models' battles out", () => {
    const m = empiricalWinRates(
      [
        { modelA: "x", modelB: "y", outcome: 1 },
        { modelA: "x", modelB: "q", outcome: 0 },
        { modelA: "q", modelB: "y", outcome: 0 },
      ],
      ["y", "x"],
    );
    expect(m).toEqual({ models: ["y", "x"], rates: [[null, 0], [1, null]], counts: [[0, 1], [1, 0]] });
  });
  it("a pair met only at weight 0 has no rate; a model with only weight-0 battles has win rate 0", () => {
    const battles: Battle[] = [{ modelA: "x", modelB: "y", outcome: 1, weight: 0 }];
    expect(empiricalWinRates(battles).rates).toEqual([[null, null], [null, null]]);
    expect(Object.fromEntries(modelRecords(battles))).toEqual({ x: { battles: 1, decisive: 1, winRate: 0 }, y: { battles: 1, decisive: 1, winRate: 0 } });
  });
});

describe("board row order and components", () => {
  const row = (model: string, rating: number): RatedModel => ({ model, rating, ciLow: rating - 10, ciHigh: rating + 10, battles: 50, decisive: 50, winRate: 0.5 });
  it("equal rank and rating fall back to the name", () => {
    const board = shapeBoard([row("c", 1000), row("a", 1000), row("b", 1000)], [0, 1], [1, 2]);
    expect(board.items.map((i) => i.model)).toEqual(["a", "b", "c"]);
    expect(board.components).toEqual([["a", "b", "c"]]);
  });
  it("equal-sized components are ordered by their smallest model name, through shapeBoard too", () => {
    // {c, a} and {b, d}: smallest names a < b, though c (the first by index) > b.
    expect(comparisonComponents(["c", "a", "b", "d"], [0, 2], [1, 3]).members).toEqual([[0, 1], [2, 3]]);
    const board = shapeBoard([row("x", 1000), row("y", 1000), row("a", 1000), row("b", 1000)], [0, 2], [1, 3]);
    expect(board.components).toEqual([["a", "b"], ["x", "y"]]);
  });
  it("no models: connected, no components", () => {
    expect(shapeBoard([], [], [])).toEqual({ connected: true, components: [], items: [] });
  });
  it("a long chain joined from its far end collapses to one component", () => {
    // Edges 4-3, 3-2, 2-1, 1-0 then 0-4 again: union-find with path halving must still find one root.
    const names = ["a", "b", "c", "d", "e", "f"];
    const got = comparisonComponents(names, [4, 3, 2, 1, 0, 5], [3, 2, 1, 0, 4, 5]);
    expect(got.members).toEqual([[0, 1, 2, 3, 4], [5]]);
    expect(Array.from(got.componentOf)).toEqual([0, 0, 0, 0, 0, 1]);
  });
});
