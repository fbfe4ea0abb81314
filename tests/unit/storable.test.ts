/** The storable rule as a pure function: which value is refused, and the path reported for it. */
import { describe, expect, it } from "vitest";
import { findUnstorable, MAX_DEPTH, stringProblem } from "../../src/storable.js";

const nest = (n: number): unknown => (n === 0 ? 1 : { a: nest(n - 1) });

const cases: { name: string; value: unknown; path: (string | number)[] | null; mentions?: string }[] = [
  { name: "plain text", value: { a: "hello", b: [1, 2, "x"] }, path: null },
  { name: "a surrogate pair is fine", value: "emoji \ud83d\ude00", path: null },
  { name: "empty string and null", value: { a: "", b: null, c: true }, path: null },
  { name: "NUL at the top", value: "a\u0000", path: [], mentions: "U+0000" },
  { name: "NUL deep inside", value: { items: [{ text: "ok" }, { text: "a\u0000b" }] }, path: ["items", 1, "text"], mentions: "U+0000" },
  { name: "lone high surrogate", value: { d: "x\ud800" }, path: ["d"], mentions: "surrogate" },
  { name: "lone low surrogate", value: { d: "\udc00x" }, path: ["d"], mentions: "surrogate" },
  { name: "swapped pair", value: ["\ude00\ud83d"], path: [0], mentions: "surrogate" },
  { name: "NUL in a key", value: { m: { "k\u0000": 1 } }, path: ["m", "k\u0000"], mentions: "key" },
  { name: "NaN", value: { n: Number.NaN }, path: ["n"], mentions: "finite" },
  { name: "Infinity", value: [Number.POSITIVE_INFINITY], path: [0], mentions: "finite" },
  { name: "first offender in document order", value: { a: "\u0000", b: "\u0000" }, path: ["a"] },
  { name: "nesting at the bound", value: nest(MAX_DEPTH), path: null },
  { name: "nesting past the bound", value: nest(MAX_DEPTH + 1), path: Array(MAX_DEPTH).fill("a"), mentions: "nested deeper" },
];

describe("findUnstorable", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const got = findUnstorable(tc.value);
      if (tc.path === null) expect(got).toBeNull();
      else {
        expect(got?.path).toEqual(tc.path);
        if (tc.mentions) expect(got?.message).toContain(tc.mentions);
      }
    });
  }
  it("does not overflow the stack on a hostile depth", () => {
    let v: unknown = 0;
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(findUnstorable(v)?.message).toContain("nested deeper");
  });
  it("stringProblem is null for ordinary text", () => {
    expect(stringProblem("plain")).toBeNull();
  });
});
