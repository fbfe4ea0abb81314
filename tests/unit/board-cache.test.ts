/**
 * The board cache on its own: an entry is served only at the version it was computed at, least
 * recently used keys go first, concurrent misses share one computation, an older computation never
 * replaces a newer entry, 0 entries computes every time; and the key tells every query field apart.
 */
import { describe, expect, it } from "vitest";
import { BoardCache } from "../../src/services/board-cache.js";
import { boardKey, type BoardQuery } from "../../src/services/leaderboard.js";

/** Computations that count their runs; each returns `${label}#${run}`. */
function counter() {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    fn: (label: string) => async () => `${label}#${++runs}`,
  };
}

describe("BoardCache", () => {
  it("serves an entry at the request's version or newer, never older", async () => {
    const c = new BoardCache<string>(4);
    const n = counter();
    expect(await c.get("k", 2, n.fn("k@2"))).toBe("k@2#1");
    expect(await c.get("k", 2, n.fn("k@2"))).toBe("k@2#1");
    // A request that read an older version is answered by the newer entry (it holds every change up to 2).
    expect(await c.get("k", 1, n.fn("k@1"))).toBe("k@2#1");
    expect(await c.get("k", 3, n.fn("k@3"))).toBe("k@3#2");
    expect(c.hits).toBe(2);
    expect(c.computed).toBe(2);
  });

  it("one computation per key at a time: newer requests meanwhile share one run after it", async () => {
    const c = new BoardCache<string>(4);
    const releases: (() => void)[] = [];
    let runs = 0;
    const gated = () => () => new Promise<string>((r) => {
      const run = ++runs;
      releases.push(() => r(`run${run}`));
    });
    const first = c.get("k", 1, gated());
    const sameVersion = c.get("k", 1, gated());
    const newer = [c.get("k", 2, gated()), c.get("k", 3, gated()), c.get("k", 2, gated())];
    await Promise.resolve();
    expect(runs).toBe(1); // the newer requests wait: nothing else started
    releases[0]?.();
    expect(await first).toBe("run1");
    expect(await sameVersion).toBe("run1");
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2); // one run for versions 2 and 3, started after all three had asked
    releases[1]?.();
    expect(await Promise.all(newer)).toEqual(["run2", "run2", "run2"]);
    // That run covered version 3: a request at 3 is a hit.
    expect(await c.get("k", 3, gated())).toBe("run2");
    expect(c.computed).toBe(2);
  });

  it("evicts the least recently used key beyond its size", async () => {
    const c = new BoardCache<string>(2);
    const n = counter();
    await c.get("a", 1, n.fn("a"));
    await c.get("b", 1, n.fn("b"));
    await c.get("a", 1, n.fn("a")); // a is now the most recent
    await c.get("c", 1, n.fn("c")); // b goes
    expect(c.size).toBe(2);
    expect(await c.get("a", 1, n.fn("a"))).toBe("a#1");
    expect(await c.get("b", 1, n.fn("b"))).toBe("b#4");
    expect(n.runs).toBe(4);
  });

  it("concurrent misses of one key and version share one computation; other keys do not wait on it", async () => {
    const c = new BoardCache<string>(8);
    const n = counter();
    const same = await Promise.all(Array.from({ length: 10 }, () => c.get("k", 7, n.fn("k"))));
    expect(new Set(same)).toEqual(new Set(["k#1"]));
    const other = await Promise.all([c.get("k", 8, n.fn("k8")), c.get("j", 7, n.fn("j"))]);
    expect(other).toEqual(["k8#2", "j#3"]);
  });

  it("a failed computation is not stored and the next request computes again", async () => {
    const c = new BoardCache<string>(4);
    await expect(c.get("k", 1, async () => Promise.reject(new Error("round 'x' not found")))).rejects.toThrow("not found");
    expect(c.size).toBe(0);
    expect(await c.get("k", 1, async () => "ok")).toBe("ok");
  });

  it("with 0 entries computes every request (the cache off)", async () => {
    const c = new BoardCache<string>(0);
    const n = counter();
    expect(c.enabled).toBe(false);
    await c.get("k", 1, n.fn("k"));
    await c.get("k", 1, n.fn("k"));
    expect(n.runs).toBe(2);
    expect(c.size).toBe(0);
  });

  it("refuses a size that is not a whole number >= 0", () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => new BoardCache<string>(bad)).toThrow(RangeError);
  });
});

describe("boardKey", () => {
  const base: BoardQuery = { method: "bt", bootstrap: 100, styleControl: false, seed: 0, minBattles: 30 };
  // Each case changes one field of the query; every key must differ from the base and from each other.
  const cases: [string, BoardQuery][] = [
    ["method", { ...base, method: "elo" }],
    ["bootstrap", { ...base, bootstrap: 99 }],
    ["seed", { ...base, seed: 1 }],
    ["minBattles", { ...base, minBattles: 31 }],
    ["minBattles unset", { ...base, minBattles: undefined }],
    ["styleControl", { ...base, styleControl: true }],
    ["roundId", { ...base, roundId: "r1" }],
    ["roundIds", { ...base, roundIds: ["r1"] }],
    ["roundIds empty", { ...base, roundIds: [] }],
    ["category", { ...base, category: "math" }],
    ["judge", { ...base, judge: "j1" }],
    ["models", { ...base, models: ["a", "b"] }],
    ["baseline", { ...base, baseline: "a" }],
    ["baselineRating", { ...base, baselineRating: 1000 }],
    ["baselineRating 0", { ...base, baselineRating: 0 }],
    // A value that would collide under naive string joining.
    ["category with separator", { ...base, category: 'math","j1' }],
  ];
  it("tells every field apart", () => {
    const keys = new Map<string, string>([[boardKey(base), "base"]]);
    for (const [name, q] of cases) {
      const k = boardKey(q);
      expect(keys.get(k), `${name} collides with ${keys.get(k)}`).toBeUndefined();
      keys.set(k, name);
    }
  });
  it("is the same for the same query", () => {
    expect(boardKey({ ...base, roundId: "r1" })).toBe(boardKey({ roundId: "r1", ...base }));
  });
});
