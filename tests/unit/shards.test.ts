import { describe, expect, it } from "vitest";
import { type PoolItem, splitPool } from "../../battles/shards.js";
import { mulberry32 } from "../../lib/random.js";

const item = (id: number, category: string, complexity: number | null, length = 100): PoolItem => ({ id, category, complexity, length });

describe("splitPool", () => {
  const pool: PoolItem[] = [
    item(1, "math", 5),
    item(2, "math", 1),
    item(3, "code", 4, 500),
    item(4, "code", 4, 900),
    item(5, "writing", 2),
    item(6, "writing", null),
    item(7, "math", 3),
    item(8, "code", 1),
    item(9, "writing", 1),
    item(10, "math", 2),
  ];

  it("holds out the hardest items first (complexity, then length, then id)", () => {
    const s = splitPool(pool, { shards: 2, evalHard: 3, evalDiverse: 0 }, mulberry32(1));
    expect(s.eval).toEqual([
      { id: 1, kind: "hard" },
      { id: 4, kind: "hard" },
      { id: 3, kind: "hard" },
    ]);
  });

  it("takes the diverse subset round robin over categories", () => {
    const s = splitPool(pool, { shards: 2, evalHard: 0, evalDiverse: 3 }, mulberry32(1));
    const cats = s.eval.map((e) => pool.find((p) => p.id === e.id)?.category);
    expect(cats).toEqual(["code", "math", "writing"]);
    expect(s.eval.every((e) => e.kind === "diverse")).toBe(true);
  });

  const cases = [
    { shards: 1, evalHard: 0, evalDiverse: 0 },
    { shards: 3, evalHard: 2, evalDiverse: 2 },
    { shards: 4, evalHard: 1, evalDiverse: 5 },
    { shards: 20, evalHard: 0, evalDiverse: 0 },
  ];
  for (const tc of cases) {
    it(`partitions the pool with no overlap: ${JSON.stringify(tc)}`, () => {
      const s = splitPool(pool, tc, mulberry32(7));
      const all = [...s.eval.map((e) => e.id), ...s.shards.flat()].sort((a, b) => a - b);
      expect(all).toEqual(pool.map((p) => p.id));
      expect(s.shards).toHaveLength(tc.shards);
      const sizes = s.shards.map((x) => x.length).filter((n) => n > 0);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(Math.ceil((pool.length - s.eval.length) / tc.shards));
      expect(s.eval).toHaveLength(tc.evalHard + tc.evalDiverse);
    });
  }

  it("is deterministic for a seed, different across seeds, and independent of input order", () => {
    const opts = { shards: 3, evalHard: 1, evalDiverse: 2 };
    const a = splitPool(pool, opts, mulberry32(5));
    expect(splitPool([...pool].reverse(), opts, mulberry32(5))).toEqual(a);
    expect(splitPool(pool, opts, mulberry32(6)).shards).not.toEqual(a.shards);
  });

  it("rejects a bad shard count", () => expect(() => splitPool(pool, { shards: 0, evalHard: 0, evalDiverse: 0 }, mulberry32(1))).toThrow(RangeError));
});
