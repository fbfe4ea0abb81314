import { describe, expect, it } from "vitest";
import { checkPairing, planBattles, planPairs, type PairingInput } from "../../battles/pairing.js";
import { mulberry32 } from "../../lib/random.js";

const C = ["a", "b", "c", "d"];

describe("planPairs", () => {
  const cases: { input: PairingInput; pairs: [string, string][] }[] = [
    { input: { candidates: C, pairing: "all-pairs" }, pairs: [["a", "b"], ["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"], ["c", "d"]] },
    { input: { candidates: C, pairing: "target-vs-opponents", target: "c" }, pairs: [["c", "a"], ["c", "b"], ["c", "d"]] },
    { input: { candidates: C, pairing: "vs-baseline", baseline: "a" }, pairs: [["a", "b"], ["a", "c"], ["a", "d"]] },
    { input: { candidates: ["x", "y"], pairing: "all-pairs" }, pairs: [["x", "y"]] },
  ];
  for (const tc of cases) {
    it(`${tc.input.pairing} over ${tc.input.candidates.length}`, () => expect(planPairs(tc.input)).toEqual(tc.pairs));
  }
});

describe("checkPairing", () => {
  const cases: { input: PairingInput; fields: string[] }[] = [
    { input: { candidates: C, pairing: "all-pairs" }, fields: [] },
    { input: { candidates: ["a"], pairing: "all-pairs" }, fields: ["candidates"] },
    { input: { candidates: ["a", "a", "b"], pairing: "all-pairs" }, fields: ["candidates"] },
    { input: { candidates: C, pairing: "target-vs-opponents" }, fields: ["target"] },
    { input: { candidates: C, pairing: "target-vs-opponents", target: "z" }, fields: ["target"] },
    { input: { candidates: C, pairing: "vs-baseline", baseline: "z" }, fields: ["baseline"] },
    { input: { candidates: C, pairing: "vs-baseline", baseline: "b" }, fields: [] },
  ];
  for (const tc of cases) {
    it(`${JSON.stringify(tc.input)} -> [${tc.fields}]`, () => expect(checkPairing(tc.input).map((p) => p.field)).toEqual(tc.fields));
  }
});

describe("planBattles", () => {
  it("crosses instructions and pairs, seeded, with both slots used", () => {
    const pairs = planPairs({ candidates: C, pairing: "all-pairs" });
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    const a = planBattles(ids, pairs, mulberry32(7));
    const b = planBattles(ids, pairs, mulberry32(7));
    expect(a).toHaveLength(300);
    expect(a).toEqual(b);
    const aFirst = a.filter((x) => x.modelA === "a").length;
    const aTotal = a.filter((x) => x.modelA === "a" || x.modelB === "a").length;
    expect(aTotal).toBe(150);
    // Binomial(150, 0.5): 5 standard deviations either side.
    expect(Math.abs(aFirst - 75)).toBeLessThan(31);
    expect(new Set(a.map((x) => `${x.instructionId}:${[x.modelA, x.modelB].sort().join()}`)).size).toBe(300);
  });
});
