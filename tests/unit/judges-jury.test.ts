// Jury pooling (PoLL): mean and majority with mean tie-break, invalid jurors left out, agreement share.
import { describe, expect, it } from "vitest";
import { poolJury, type JuryMethod } from "../../judges/jury.js";
import { combinePairwise } from "../../judges/combine.js";

const cases: {
  name: string;
  outcomes: (number | null)[];
  method: JuryMethod;
  outcome: number | null;
  agreement: number;
  valid: number;
}[] = [
  { name: "mean of three", outcomes: [1, 0.75, 0.25], method: "mean", outcome: 2 / 3, agreement: 2 / 3, valid: 3 },
  { name: "mean skips invalid jurors", outcomes: [1, null, 0.5], method: "mean", outcome: 0.75, agreement: 1 / 2, valid: 2 },
  { name: "mean landing on a tie nobody voted", outcomes: [1, 0], method: "mean", outcome: 0.5, agreement: 0, valid: 2 },
  // Majority: two wins (0.75, 0.875) against one loss -> mean of the win camp.
  { name: "majority keeps the camp's strength", outcomes: [0.75, 0.875, 0.25], method: "majority", outcome: 0.8125, agreement: 2 / 3, valid: 3 },
  { name: "majority of ties", outcomes: [0.5, 0.5, 1], method: "majority", outcome: 0.5, agreement: 2 / 3, valid: 3 },
  // One win, one tie, one loss: no majority -> mean of all (0.9 + 0.5 + 0.4) / 3 = 0.6 -> win category.
  { name: "three-way split breaks with the mean", outcomes: [0.9, 0.5, 0.4], method: "majority", outcome: 0.6, agreement: 1 / 3, valid: 3 },
  // 1-1 split between win and loss: mean (0.625 + 0) / 2 = 0.3125.
  { name: "two-way split breaks with the mean", outcomes: [0.625, 0, null], method: "majority", outcome: 0.3125, agreement: 1 / 2, valid: 2 },
  { name: "unanimous", outcomes: [0, 0.25, 0.125], method: "majority", outcome: 0.125, agreement: 1, valid: 3 },
  { name: "single juror", outcomes: [0.75], method: "majority", outcome: 0.75, agreement: 1, valid: 1 },
  { name: "no valid juror", outcomes: [null, null], method: "mean", outcome: null, agreement: 0, valid: 0 },
  { name: "empty jury", outcomes: [], method: "majority", outcome: null, agreement: 0, valid: 0 },
];

describe("poolJury", () => {
  for (const tc of cases) {
    it(`${tc.method}: ${tc.name}`, () => {
      const r = poolJury(tc.outcomes.map((outcome, i) => ({ judge: `j${i}`, outcome })), tc.method);
      if (tc.outcome === null) expect(r.outcome).toBeNull();
      else expect(r.outcome).toBeCloseTo(tc.outcome, 12);
      expect(r.agreement).toBeCloseTo(tc.agreement, 12);
      expect(r.validJudges).toBe(tc.valid);
      expect(r.margin).toBeCloseTo(tc.outcome === null ? 0 : Math.abs(tc.outcome - 0.5) * 2, 12);
    });
  }

  it("accepts combinePairwise results directly", () => {
    // j1: 1 and 0.75 -> 0.875; j2: only game 2 valid, B>A shown -> A's 0.75; j3: no valid game.
    const jurors = [combinePairwise("A>>B", "B>A"), combinePairwise(null, "B>A"), combinePairwise(null, null)];
    const r = poolJury(jurors, "mean");
    expect(r.outcome).toBeCloseTo((0.875 + 0.75) / 2, 12);
    expect(r.validJudges).toBe(2);
  });
});
