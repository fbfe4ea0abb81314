// memoLast: one-entry identity memo with frozen, shared results.
import { describe, expect, it } from "vitest";
import { memoLast } from "../../src/exports/memo-last.js";

describe("memoLast", () => {
  it("computes once per run of identical arguments and freezes what it shares", () => {
    let calls = 0;
    const copy = memoLast((xs: readonly { v: number }[]) => {
      calls++;
      return xs.map((x) => ({ v: x.v * 2 }));
    });
    const a = [{ v: 1 }, { v: 2 }];
    const b = [{ v: 1 }, { v: 2 }];
    const first = copy(a);
    expect(copy(a)).toBe(first);
    expect(calls).toBe(1);
    expect(first).toEqual([{ v: 2 }, { v: 4 }]);
    expect(Object.isFrozen(first) && first.every((x) => Object.isFrozen(x))).toBe(true);
    expect(() => (first as { v: number }[]).push({ v: 0 })).toThrow(TypeError);
    // An equal but different array is a new argument; going back to `a` computes again (one entry).
    expect(copy(b)).not.toBe(first);
    expect(copy(a)).not.toBe(first);
    expect(calls).toBe(3);
  });
});
