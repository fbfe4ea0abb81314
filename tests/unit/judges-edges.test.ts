// Edges of the judges' vocabulary and pooling that mutation testing found unpinned: the tie band's exact
// boundary, the label guard, and non-finite or out-of-range inputs, which must never count as verdicts.
import { describe, expect, it } from "vitest";
import { combineSingle } from "../../judges/combine-single.js";
import { poolJury } from "../../judges/jury.js";
import { judgeQuality, type JudgmentRecord } from "../../judges/judge-quality.js";
import { cohenKappa, fleissKappa } from "../../judges/kappa.js";
import { isPairwiseLabel, outcomeCategory, type PairwiseLabel, TIE_EPSILON } from "../../judges/labels.js";
import { getPairwiseTemplate, getSingleTemplate } from "../../judges/prompts/registry.js";

describe("outcomeCategory: ties within TIE_EPSILON of 0.5, boundaries included", () => {
  const cases: [number, string][] = [
    [0.5, "tie"],
    [0.5 + TIE_EPSILON, "tie"],
    [0.5 - TIE_EPSILON, "tie"],
    [0.5 + 2 * TIE_EPSILON, "win"],
    [0.5 - 2 * TIE_EPSILON, "loss"],
    [1, "win"],
    [0, "loss"],
  ];
  for (const [outcome, want] of cases) it(`${outcome} -> ${want}`, () => expect(outcomeCategory(outcome)).toBe(want));
});

describe("isPairwiseLabel", () => {
  const cases: [unknown, boolean][] = [["A>>B", true], ["B>A", true], ["A=B", true], ["a>b", false], ["A>A", false], ["", false], [null, false], [3, false], [["A>B"], false]];
  for (const [value, want] of cases) it(`${JSON.stringify(value)} -> ${want}`, () => expect(isPairwiseLabel(value)).toBe(want));
});

describe("combineSingle refuses ratings that are not finite numbers in [1, 10]", () => {
  const cases: [number | null, number | null, number][] = [
    [Number.NaN, 5, 1],
    [5, Number.POSITIVE_INFINITY, 1],
    [0.5, 5, 1],
    [5, 10.5, 1],
    [null, null, 0],
  ];
  for (const [a, b, validGames] of cases) {
    it(`${a} vs ${b}`, () => expect(combineSingle(a, b)).toEqual({ outcome: null, margin: 0, consistent: false, validGames }));
  }
  it("accepts both ends of the scale", () => expect(combineSingle(1, 10).outcome).toBeCloseTo(0, 12));
});

describe("poolJury leaves out non-finite outcomes", () => {
  it("a NaN juror does not count", () => {
    const pooled = poolJury([{ outcome: Number.NaN }, { outcome: 1 }, { outcome: null }]);
    expect(pooled.outcome).toBe(1);
    expect(pooled.validJudges).toBe(1);
  });
});

describe("judgeQuality edges", () => {
  const rec = (judge: string, battleId: string, order: "AB" | "BA", label: PairwiseLabel | null, lenA = 10, lenB = 10): JudgmentRecord => ({ judge, battleId, order, label, lenA, lenB });
  it("sorts any number of judges by name, whatever order they come in", () => {
    const names = ["d", "b", "e", "a", "c"];
    expect(judgeQuality(names.map((j) => rec(j, "b1", "AB", "A>B"))).map((q) => q.judge)).toEqual(["a", "b", "c", "d", "e"]);
  });
  it("counts the shorter answer winning, and a battle judged only in the swapped order", () => {
    // b1: model A shorter (5 vs 50) wins in the AB game; b2 only has its BA game, won by the longer model B.
    const [q] = judgeQuality([rec("j", "b1", "AB", "A>B", 5, 50), rec("j", "b2", "BA", "A>B", 5, 50)]);
    expect(q).toMatchObject({ judgments: 2, decisive: 2, lengthDecisive: 2, longerAnswerWinRate: 0.5, swapPairs: 0, firstPositionWinRate: 1 });
  });
});

describe("Fleiss kappa refuses malformed tables", () => {
  const cases: { name: string; counts: number[][] }[] = [
    { name: "a negative count", counts: [[3, -1], [1, 1]] },
    { name: "rows of different rater totals", counts: [[2, 0], [1, 2]] },
    { name: "rows of different widths", counts: [[2, 0], [2]] },
    { name: "fewer than two raters", counts: [[1, 0], [0, 1]] },
    { name: "everyone in one category (kappa undefined)", counts: [[2, 0], [2, 0]] },
  ];
  for (const tc of cases) it(tc.name, () => expect(fleissKappa(tc.counts)).toBeNull());
  it("Cohen on arrays of different lengths is null", () => expect(cohenKappa(["a"], ["a", "b"])).toBeNull());
});

describe("template lookups by kind", () => {
  it("unknown versions are null for every kind of lookup", () => {
    expect(getPairwiseTemplate("no-such@1")).toBeNull();
    expect(getSingleTemplate("no-such@1")).toBeNull();
  });
});
