import { describe, expect, it } from "vitest";
import { apportion, categoryWeights, levelsOf, planInstructions } from "../../src/generator/algorithms/plan.js";
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

describe("planInstructions with a complexity target", () => {
  const kinds = INSTRUCTION_KINDS.map((kind) => ({ kind, weight: 1 }));
  const base = { count: 60, kinds, categories: ["math", "writing"], weights: [0.5, 0.5], scenarios: 4 };
  const plan = (extra: Partial<Parameters<typeof planInstructions>[0]>) => planInstructions({ ...base, random: mulberry32(7), ...extra });
  const levels = (ps: ReturnType<typeof planInstructions>) => ps.map((p) => p.complexity);
  const countsOf = (xs: number[]) => [1, 2, 3, 4, 5].map((l) => xs.filter((x) => x === l).length);

  it("one level for every kind sets each item's level and leaves everything else as drawn without it", () => {
    const without = plan({});
    const with4 = plan({ complexity: 4 });
    expect(levels(with4)).toEqual(new Array(60).fill(4));
    expect(with4.map(({ complexity: _c, ...rest }) => rest)).toEqual(without.map(({ complexity: _c, ...rest }) => rest));
  });

  it("the feedback's shift applies on top of the target, clamped to 1-5", () => {
    const got = plan({ complexity: 5, adjustments: { math: 1, writing: -2 } });
    for (const p of got) expect(p.complexity).toBe(p.category === "math" ? 5 : 3);
    const low = plan({ complexity: 1, adjustments: { math: -1 } });
    for (const p of low) expect(p.complexity).toBe(1);
  });

  // Ten items per kind (60 over six kinds): a 1:3:1 distribution over levels 1, 3, 5 gives exactly 2, 6, 2.
  const cases: { name: string; dist: Record<string, number>; want: number[] }[] = [
    { name: "1:3:1 over levels 1, 3, 5", dist: { "1": 1, "3": 3, "5": 1 }, want: [2, 0, 6, 0, 2] },
    { name: "all on level 2", dist: { "2": 0.7 }, want: [0, 10, 0, 0, 0] },
    // quotas 3.33 each: floors 3, 3, 3 and the one left to the lowest level (ties to the lower index)
    { name: "equal thirds of 10", dist: { "2": 1, "3": 1, "4": 1 }, want: [0, 4, 3, 3, 0] },
  ];
  for (const tc of cases) {
    it(`a distribution per kind is dealt exactly: ${tc.name}`, () => {
      const got = plan({ complexity: { distribution: tc.dist } });
      for (const k of INSTRUCTION_KINDS) expect(countsOf(levels(got.filter((p) => p.kind === k)))).toEqual(tc.want);
    });
  }

  it("per-kind targets leave the other kinds in their default range", () => {
    const got = plan({ complexity: { code: 5, "sft-simple": { distribution: { "1": 1, "2": 1 } } } });
    expect(got.filter((p) => p.kind === "code").every((p) => p.complexity === 5)).toBe(true);
    expect(countsOf(levels(got.filter((p) => p.kind === "sft-simple")))).toEqual([5, 5, 0, 0, 0]);
    for (const p of got.filter((q) => q.kind !== "code" && q.kind !== "sft-simple")) {
      const [lo, hi] = KIND_COMPLEXITY[p.kind];
      expect(p.complexity).toBeGreaterThanOrEqual(lo);
      expect(p.complexity).toBeLessThanOrEqual(hi);
    }
  });

  it("is seeded: the same seed deals the same levels, another seed another order", () => {
    const t = { distribution: { "1": 1, "5": 1 } };
    expect(levels(plan({ complexity: t }))).toEqual(levels(plan({ complexity: t })));
    expect(levels(planInstructions({ ...base, random: mulberry32(8), complexity: t }))).not.toEqual(levels(plan({ complexity: t })));
  });
});

describe("levelsOf", () => {
  it("returns n levels in exact proportions", () => {
    const got = levelsOf({ distribution: { "1": 1, "4": 3 } }, 8, mulberry32(1));
    expect(got).toHaveLength(8);
    expect(got.filter((x) => x === 1)).toHaveLength(2);
    expect(got.filter((x) => x === 4)).toHaveLength(6);
  });
  it("rejects a distribution without weight", () => expect(() => levelsOf({ distribution: {} }, 3, mulberry32(1))).toThrow(RangeError));
});
