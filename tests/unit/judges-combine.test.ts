// Position-swap combination: all 25 label pairs (hand-computed), nulls, the strict MT-bench rule, and
// single-grading combination.
import { describe, expect, it } from "vitest";
import { combinePairwise } from "../../judges/combine.js";
import { combineSingle } from "../../judges/combine-single.js";
import type { PairwiseLabel } from "../../judges/labels.js";

const ORDER: PairwiseLabel[] = ["A>>B", "A>B", "A=B", "B>A", "B>>A"];

// Worked by hand. Game 1 (A shown first) gives model A: A>>B 1, A>B .75, A=B .5, B>A .25, B>>A 0.
// Game 2 (B shown first) gives model A one minus that: A>>B 0, A>B .25, A=B .5, B>A .75, B>>A 1.
// Same side or one tie -> mean; opposite sides -> 0.5.
// Rows: game-1 label; columns: game-2 label, both in ORDER.
const SOFT: number[][] = [
  [0.5, 0.5, 0.75, 0.875, 1],
  [0.5, 0.5, 0.625, 0.75, 0.875],
  [0.25, 0.375, 0.5, 0.625, 0.75],
  [0.125, 0.25, 0.375, 0.5, 0.5],
  [0, 0.125, 0.25, 0.5, 0.5],
];
// Same category in both games: game 1 win needs game 2 label B>A or B>>A; tie needs A=B; loss needs A>B or A>>B.
const CONSISTENT: boolean[][] = [
  [false, false, false, true, true],
  [false, false, false, true, true],
  [false, false, true, false, false],
  [true, true, false, false, false],
  [true, true, false, false, false],
];
// Strict (MT-bench): any category difference is a tie, so only consistent pairs keep their mean.
const STRICT: number[][] = [
  [0.5, 0.5, 0.5, 0.875, 1],
  [0.5, 0.5, 0.5, 0.75, 0.875],
  [0.5, 0.5, 0.5, 0.5, 0.5],
  [0.125, 0.25, 0.5, 0.5, 0.5],
  [0, 0.125, 0.5, 0.5, 0.5],
];

const grid = ORDER.flatMap((g1, i) => ORDER.map((g2, j) => ({ g1, g2, i, j })));

describe("combinePairwise: all 25 label pairs", () => {
  it.each(grid)("$g1 then $g2", ({ g1, g2, i, j }) => {
    const soft = combinePairwise(g1, g2);
    expect(soft.outcome).toBeCloseTo(SOFT[i]?.[j] ?? NaN, 12);
    expect(soft.consistent).toBe(CONSISTENT[i]?.[j]);
    expect(soft.validGames).toBe(2);
    expect(soft.margin).toBeCloseTo(Math.abs((SOFT[i]?.[j] ?? NaN) - 0.5) * 2, 12);
    expect(combinePairwise(g1, g2, "strict").outcome).toBeCloseTo(STRICT[i]?.[j] ?? NaN, 12);
  });
});

describe("combinePairwise: invalid games", () => {
  const cases: { g1: PairwiseLabel | null; g2: PairwiseLabel | null; outcome: number | null; margin: number; valid: number }[] = [
    { g1: "A>>B", g2: null, outcome: 1, margin: 1, valid: 1 },
    { g1: "B>A", g2: null, outcome: 0.25, margin: 0.5, valid: 1 },
    { g1: null, g2: "A>B", outcome: 0.25, margin: 0.5, valid: 1 }, // B shown first and preferred: A's score 0.25
    { g1: null, g2: "B>>A", outcome: 1, margin: 1, valid: 1 },
    { g1: null, g2: "A=B", outcome: 0.5, margin: 0, valid: 1 },
    { g1: null, g2: null, outcome: null, margin: 0, valid: 0 },
  ];
  for (const tc of cases) {
    it(`${tc.g1} then ${tc.g2}`, () => {
      const r = combinePairwise(tc.g1, tc.g2);
      expect(r.outcome).toBe(tc.outcome);
      expect(r.margin).toBe(tc.margin);
      expect(r.validGames).toBe(tc.valid);
      expect(r.consistent).toBe(false);
    });
  }
  it("records the per-game scores from model A's side", () => {
    expect(combinePairwise("A>B", "A>B").gameScores).toEqual([0.75, 0.25]);
    expect(combinePairwise(null, "B>>A").gameScores).toEqual([null, 1]);
  });
});

describe("combineSingle", () => {
  const cases: { a: number | null; b: number | null; mode?: "soft" | "wtl"; tieBand?: number; outcome: number | null; valid: number }[] = [
    { a: 10, b: 1, outcome: 1, valid: 2 },
    { a: 1, b: 10, outcome: 0, valid: 2 },
    { a: 7, b: 7, outcome: 0.5, valid: 2 },
    { a: 8, b: 6, outcome: 0.5 + 2 / 18, valid: 2 }, // 0.6111
    { a: 6.5, b: 8, outcome: 0.5 - 1.5 / 18, valid: 2 },
    { a: 8, b: 6, mode: "wtl", outcome: 1, valid: 2 },
    { a: 6, b: 8, mode: "wtl", outcome: 0, valid: 2 },
    { a: 7, b: 7, mode: "wtl", outcome: 0.5, valid: 2 },
    { a: 8, b: 7, mode: "wtl", tieBand: 1, outcome: 0.5, valid: 2 },
    { a: 9, b: 7, mode: "wtl", tieBand: 1, outcome: 1, valid: 2 },
    { a: 8, b: null, outcome: null, valid: 1 },
    { a: null, b: null, outcome: null, valid: 0 },
    { a: 0, b: 5, outcome: null, valid: 1 }, // out of scale counts as invalid
  ];
  for (const tc of cases) {
    it(`${tc.a} vs ${tc.b} ${tc.mode ?? "soft"} band ${tc.tieBand ?? 0}`, () => {
      const r = combineSingle(tc.a, tc.b, { mode: tc.mode, tieBand: tc.tieBand });
      if (tc.outcome === null) expect(r.outcome).toBeNull();
      else expect(r.outcome).toBeCloseTo(tc.outcome, 12);
      expect(r.validGames).toBe(tc.valid);
      expect(r.consistent).toBe(tc.outcome !== null);
      expect(r.margin).toBeCloseTo(tc.outcome === null ? 0 : Math.abs(tc.outcome - 0.5) * 2, 12);
    });
  }
});
