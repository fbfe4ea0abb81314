/** The edge rule (lib/safe-value.ts unsafeJson) on whole request values: which value is refused, and the path reported for it. */
import { describe, expect, it } from "vitest";
import { JSON_MAX_DEPTH as MAX_DEPTH, unsafeJson, unsafeText } from "../../lib/safe-value.js";

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
  { name: "NUL in a key (reported on its parent)", value: { m: { "k\u0000": 1 } }, path: ["m"], mentions: "key" },
  { name: "NaN", value: { n: Number.NaN }, path: ["n"], mentions: "out of range" },
  { name: "Infinity", value: [Number.POSITIVE_INFINITY], path: [0], mentions: "out of range" },
  { name: "first offender in document order", value: { a: "\u0000", b: "\u0000" }, path: ["a"] },
  { name: "nesting at the bound", value: nest(MAX_DEPTH), path: null },
  { name: "nesting past the bound", value: nest(MAX_DEPTH + 1), path: Array(MAX_DEPTH).fill("a"), mentions: "nested deeper" },
];

describe("unsafeJson on request values", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const got = unsafeJson(tc.value);
      if (tc.path === null) expect(got).toBeNull();
      else {
        expect(got?.path).toEqual(tc.path);
        if (tc.mentions) expect(got?.reason).toContain(tc.mentions);
      }
    });
  }
  it("does not overflow the stack on a hostile depth", () => {
    let v: unknown = 0;
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(unsafeJson(v)?.reason).toContain("nested deeper");
  });
  it("unsafeText is null for ordinary text", () => {
    expect(unsafeText("plain")).toBeNull();
  });
});
