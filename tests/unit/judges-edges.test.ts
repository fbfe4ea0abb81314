// Edges of the judges' vocabulary and pooling that mutation testing found unpinned: the tie band's exact
// boundary, the label guard, and non-finite or out-of-range inputs, which must never count as verdicts.
import { describe, expect, it } from "vitest";
import { combineSingle } from "../../judges/combine-single.js";
import { poolJury } from "../../judges/jury.js";
import { isPairwiseLabel, outcomeCategory, TIE_EPSILON } from "../../judges/labels.js";

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
