import { describe, expect, it } from "vitest";
import { categoryShares, countCategory, nextInstruction, type PoolInstruction } from "../../battles/instruction-choice.js";
import { mulberry32, shuffled } from "../../lib/random.js";

const ins = (id: number, category: string | null): PoolInstruction => ({ id, category });
const met = (o: Record<string, number>) => new Map(Object.entries(o));

describe("categoryShares", () => {
  it("each category's share of the pool; no category counts as one", () => {
    expect([...categoryShares([{ category: "coding", n: 3 }, { category: "math", n: 1 }])]).toEqual([["coding", 0.75], ["math", 0.25]]);
    expect([...categoryShares([{ category: null, n: 2 }, { category: "math", n: 2 }])]).toEqual([["", 0.5], ["math", 0.5]]);
    expect([...categoryShares([])]).toEqual([]);
  });
});

describe("nextInstruction: the pair's next battle goes to the category furthest below its share", () => {
  const pool = [ins(1, "coding"), ins(2, "coding"), ins(3, "math"), ins(4, "coding"), ins(5, "math")];
  const halves = met({});
  const even = new Map([["coding", 0.5], ["math", 0.5]]);
  const cases: { name: string; used: number[]; met: Record<string, number>; shares: Map<string, number>; lookahead?: number; want: number | null }[] = [
    { name: "nothing met: the first instruction", used: [], met: {}, shares: even, want: 1 },
    { name: "one coding met: math, skipping coding 2", used: [1], met: { coding: 1 }, shares: even, want: 3 },
    { name: "balanced: the first unmet, whatever its category", used: [1, 3], met: { coding: 1, math: 1 }, shares: even, want: 2 },
    // Shares 3:1. After 3 coding, math is due (0.25·4 - 0 = 1 against 0.75·4 - 3 = 0).
    { name: "3:1 pool, three coding met: math", used: [1, 2, 4], met: { coding: 3 }, shares: new Map([["coding", 0.75], ["math", 0.25]]), want: 3 },
    // After 2 coding and 1 math, coding is due (0.75·4 - 2 = 1 against 0.25·4 - 1 = 0).
    { name: "3:1 pool, 2 coding and 1 math met: coding", used: [1, 3], met: { coding: 2, math: 1 }, shares: new Map([["coding", 0.75], ["math", 0.25]]), want: 2 },
    { name: "the category it is short of lies past the lookahead: the first unmet", used: [], met: { math: 2 }, shares: even, lookahead: 2, want: 1 },
    { name: "every instruction met: none", used: [1, 2, 3, 4, 5], met: { coding: 3, math: 2 }, shares: even, want: null },
    { name: "a category the shares do not know counts as share 0", used: [], met: {}, shares: new Map([["math", 1]]), want: 3 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(nextInstruction(pool, new Set(tc.used), met(tc.met), tc.shares, tc.lookahead)?.id ?? null).toBe(tc.want);
    });
  }
  it("a pool of one category, or none, gives the first unmet instruction", () => {
    const one = [ins(7, null), ins(8, null), ins(9, null)];
    expect(nextInstruction(one, new Set([7]), met({ "": 1 }), new Map([["", 1]]))?.id).toBe(8);
    expect(nextInstruction(one, new Set([8]), halves, new Map([["", 1]]))?.id).toBe(7);
  });

  it("over a long run in a shuffled pool, a pair's count in every category stays within 1 of its share (a plain draw: far off)", () => {
    const shares = new Map([["coding", 0.4], ["math", 0.3], ["writing", 0.2], ["roleplay", 0.1]]);
    const base: PoolInstruction[] = [];
    for (const [c, s] of shares) for (let k = 0; k < 1000 * s; k++) base.push(ins(base.length, c));
    const order = shuffled(mulberry32(11), base);
    const used = new Set<number>();
    const count = new Map<string, number>();
    let worst = 0;
    for (let n = 1; n <= 600; n++) {
      const next = nextInstruction(order, used, count, shares);
      if (!next) throw new Error("pool exhausted");
      used.add(next.id);
      countCategory(count, next.category);
      for (const [c, s] of shares) worst = Math.max(worst, Math.abs((count.get(c) ?? 0) - s * n));
    }
    expect(worst).toBeLessThanOrEqual(1 + 1e-9);
    // A plain draw (the first unmet instruction) strays far further on the same pool.
    let plain = 0;
    const drawn = new Map<string, number>();
    order.slice(0, 600).forEach((x, k) => {
      drawn.set(x.category ?? "", (drawn.get(x.category ?? "") ?? 0) + 1);
      for (const [c, s] of shares) plain = Math.max(plain, Math.abs((drawn.get(c) ?? 0) - s * (k + 1)));
    });
    expect(plain).toBeGreaterThan(5);
  });
});
