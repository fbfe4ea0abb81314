import { describe, expect, it } from "vitest";
import { apportion, categoryWeights, planInstructions } from "../../src/generator/algorithms/plan.js";
import { INSTRUCTION_KINDS, KIND_COMPLEXITY } from "../../src/generator/taxonomy.js";
import { mulberry32 } from "../../lib/random.js";

describe("apportion (largest remainder)", () => {
  const cases = [
    { total: 10, weights: [1, 1, 1], want: [4, 3, 3] },
    // quotas 3.5, 1.75, 1.75: floors 3, 1, 1; two left go to the .75 remainders
    { total: 7, weights: [0.5, 0.25, 0.25], want: [3, 2, 2] },
    { total: 5, weights: [0, 1], want: [0, 5] },
    { total: 0, weights: [1, 2], want: [0, 0] },
    { total: 3, weights: [1, 1, 1, 1], want: [1, 1, 1, 0] },
    // quotas 60 * (0.5, 0.3, 0.2) are whole numbers
    { total: 60, weights: [5, 3, 2], want: [30, 18, 12] },
  ];
  for (const tc of cases) it(`${tc.total} by ${tc.weights.join(":")}`, () => expect(apportion(tc.total, tc.weights)).toEqual(tc.want));
  it("rejects weights without a positive sum", () => expect(() => apportion(3, [0, 0])).toThrow(RangeError));
});

describe("categoryWeights", () => {
  const cases: { name: string; cats: string[]; fb: Record<string, number> | undefined; want: number[] }[] = [
    { name: "uniform without feedback", cats: ["a", "b", "c", "d"], fb: undefined, want: [0.25, 0.25, 0.25, 0.25] },
    // c is missing: it gets the mean of 0.5 and 0.3 (0.4); the sum 1.2 normalises
    { name: "fills a missing category with the mean", cats: ["a", "b", "c"], fb: { a: 0.5, b: 0.3 }, want: [0.5 / 1.2, 0.3 / 1.2, 0.4 / 1.2] },
    { name: "ignores categories outside the run", cats: ["a", "b"], fb: { a: 0.6, b: 0.2, z: 0.2 }, want: [0.75, 0.25] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = categoryWeights(tc.cats, tc.fb);
      tc.want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
    });
  }
});

describe("planInstructions", () => {
  const kinds = INSTRUCTION_KINDS.map((kind) => ({ kind, weight: 1 }));
  const cases: { name: string; count: number; cats: string[]; weights: number[]; adj: Record<string, number>; want: Record<string, number> }[] = [
    { name: "uniform", count: 48, cats: ["math", "writing", "coding"], weights: [1 / 3, 1 / 3, 1 / 3], adj: {}, want: { math: 16, writing: 16, coding: 16 } },
    { name: "weighted", count: 40, cats: ["math", "writing"], weights: [0.75, 0.25], adj: { math: 1, writing: -1 }, want: { math: 30, writing: 10 } },
  ];
  for (const tc of cases) {
    it(`${tc.name}: exact kind and category counts, complexity in range, scenarios cycled`, () => {
      const plan = planInstructions({ count: tc.count, kinds, categories: tc.cats, weights: tc.weights, adjustments: tc.adj, scenarios: 5, random: mulberry32(9) });
      expect(plan).toHaveLength(tc.count);
      const byCat: Record<string, number> = {};
      for (const p of plan) byCat[p.category] = (byCat[p.category] ?? 0) + 1;
      expect(byCat).toEqual(tc.want);
      const byKind = new Map<string, number>();
      for (const p of plan) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
      const perKind = apportion(tc.count, kinds.map(() => 1));
      INSTRUCTION_KINDS.forEach((k, i) => expect(byKind.get(k) ?? 0).toBe(perKind[i]));
      for (const p of plan) {
        const [lo, hi] = KIND_COMPLEXITY[p.kind];
        const shift = tc.adj[p.category] ?? 0;
        expect(p.complexity).toBeGreaterThanOrEqual(Math.max(1, lo + shift));
        expect(p.complexity).toBeLessThanOrEqual(Math.min(5, hi + shift));
      }
      const perScenario = [0, 0, 0, 0, 0];
      for (const p of plan) perScenario[p.scenarioIndex] = (perScenario[p.scenarioIndex] ?? 0) + 1;
      expect(Math.max(...perScenario) - Math.min(...perScenario)).toBeLessThanOrEqual(1);
    });
  }
});
