// Win-rate matrices (empirical and predicted), per-model records, and boardBy grouping.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { boardBy, empiricalWinRates, modelRecords, predictedWinRates } from "../../reports/win-rate.js";

const battles: Battle[] = [
  { modelA: "x", modelB: "y", outcome: 1, category: "code", judge: "j1" },
  { modelA: "y", modelB: "x", outcome: 0.5, category: "math", judge: "j1" },
  { modelA: "x", modelB: "y", outcome: 0.25, weight: 2, category: "code", judge: "j2" },
  { modelA: "x", modelB: "z", outcome: 0, judge: "j2" },
];

describe("empiricalWinRates", () => {
  it("gives the row model's weighted mean share, null where models never met", () => {
    // x vs y: shares 1 (w 1), 0.5 (w 1), 0.25 (w 2) -> (1 + 0.5 + 0.5) / 4 = 0.5; x vs z: 0.
    const m = empiricalWinRates(battles, ["x", "y", "z"]);
    expect(m.rates).toEqual([
      [null, 0.5, 0],
      [0.5, null, null],
      [1, null, null],
    ]);
    expect(m.counts).toEqual([
      [0, 4, 1],
      [4, 0, 0],
      [1, 0, 0],
    ]);
  });

  it("orders models by first appearance by default", () => {
    expect(empiricalWinRates(battles).models).toEqual(["x", "y", "z"]);
  });
});

describe("predictedWinRates: 1 / (1 + 10^((Rj - Ri)/400))", () => {
  const cases = [
    { ratings: [1000, 1000], expected: [[null, 0.5], [0.5, null]] },
    { ratings: [1400, 1000], expected: [[null, 10 / 11], [1 / 11, null]] },
    { ratings: [1000, 1200], expected: [[null, 1 / (1 + Math.sqrt(10))], [1 / (1 + 1 / Math.sqrt(10)), null]] },
  ];
  it.each(cases)("$ratings", ({ ratings, expected }) => {
    const got = predictedWinRates(["a", "b"], ratings);
    got.forEach((row, i) => row.forEach((v, j) => (v === null ? expect(expected[i]?.[j]).toBeNull() : expect(v).toBeCloseTo(expected[i]?.[j] ?? Number.NaN, 12))));
  });
});

it("modelRecords counts battles, decisive ones (not 0.5) and the weighted share", () => {
  // x: 1·1 + 0.5·1 + 0.25·2 + 0·1 = 2 over weight 5; y: 0 + 0.5 + 0.75·2 = 2 over 4; z: 1 over 1.
  const r = modelRecords(battles);
  expect(Object.fromEntries(r)).toEqual({
    x: { battles: 4, decisive: 3, winRate: 0.4 },
    y: { battles: 3, decisive: 2, winRate: 0.5 },
    z: { battles: 1, decisive: 1, winRate: 1 },
  });
});

describe("boardBy", () => {
  const cases: { name: string; key: Parameters<typeof boardBy>[1]; expected: Record<string, number[]> }[] = [
    { name: "category (missing left out)", key: "category", expected: { code: [0, 2], math: [1] } },
    { name: "judge", key: "judge", expected: { j1: [0, 1], j2: [2, 3] } },
    { name: "a key function", key: (b) => (b.outcome >= 0.5 ? "A-side" : "B-side"), expected: { "A-side": [0, 1], "B-side": [2, 3] } },
  ];
  it.each(cases)("$name", ({ key, expected }) => {
    const groups = boardBy(battles, key);
    expect(Object.fromEntries([...groups].map(([k, bs]) => [k, bs.map((b) => battles.indexOf(b))]))).toEqual(expected);
  });
});
