// What the database stores unchanged: NUL, lone surrogates, byte limits, non-finite numbers, depth.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dbJson, dbText, JSON_MAX_DEPTH, unsafeJson, unsafeText } from "../../lib/safe-value.js";

const NUL = "must not contain a NUL character (U+0000)";
const LONE = "must not contain a lone surrogate (invalid Unicode)";

const texts: { name: string; s: string; max?: number; reason: string | null }[] = [
  { name: "plain", s: "hello", reason: null },
  { name: "empty", s: "", reason: null },
  { name: "surrogate pair (emoji)", s: "a\ud83d\ude00b", reason: null },
  { name: "NUL", s: "a\u0000b", reason: NUL },
  { name: "lone high surrogate", s: "a\ud800b", reason: LONE },
  { name: "lone high surrogate at the end", s: "a\udbff", reason: LONE },
  { name: "lone low surrogate", s: "\udc00", reason: LONE },
  { name: "pair reversed", s: "\ude00\ud83d", reason: LONE },
  { name: "at the byte limit", s: "é".repeat(5), max: 10, reason: null },
  { name: "over the byte limit (2-byte chars)", s: "é".repeat(6), max: 10, reason: "too long (12 bytes, at most 10)" },
  { name: "no limit given", s: "x".repeat(10_000), reason: null },
];

const jsons: { name: string; v: unknown; problem: { path: (string | number)[]; reason: string } | null }[] = [
  { name: "scalars", v: { a: 1, b: "x", c: null, d: true, e: [1.5, -2] }, problem: null },
  { name: "NUL in a nested string", v: { a: { b: ["ok", "x\u0000"] } }, problem: { path: ["a", "b", 1], reason: NUL } },
  { name: "lone surrogate", v: { k: "\ud800" }, problem: { path: ["k"], reason: LONE } },
  { name: "bad key reported on its parent", v: { a: { "k\u0000": 1 } }, problem: { path: ["a"], reason: `a key ${NUL}` } },
  { name: "Infinity", v: { n: Number.POSITIVE_INFINITY }, problem: { path: ["n"], reason: "number out of range" } },
  { name: "NaN in an array", v: [0, Number.NaN], problem: { path: [1], reason: "number out of range" } },
  { name: "a bare string", v: "\u0000", problem: { path: [], reason: NUL } },
];

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { x: v };
  return v;
}

describe("unsafeText", () => {
  for (const tc of texts) it(tc.name, () => expect(unsafeText(tc.s, tc.max)).toBe(tc.reason));
});

describe("unsafeJson", () => {
  for (const tc of jsons) it(tc.name, () => expect(unsafeJson(tc.v)).toEqual(tc.problem));
  it(`allows ${JSON_MAX_DEPTH} levels and refuses one more`, () => {
    expect(unsafeJson(nested(JSON_MAX_DEPTH))).toBeNull();
    expect(unsafeJson(nested(JSON_MAX_DEPTH + 1))?.reason).toBe(`nested deeper than ${JSON_MAX_DEPTH} levels`);
  });
});

describe("zod helpers", () => {
  it("dbText names the field and keeps the base checks", () => {
    const s = z.object({ name: dbText(z.string().max(3), 8) });
    expect(s.safeParse({ name: "ab" }).success).toBe(true);
    expect(s.safeParse({ name: "a\u0000" }).error?.issues).toMatchObject([{ path: ["name"], message: NUL }]);
    expect(s.safeParse({ name: "abcd" }).success).toBe(false);
  });
  it("dbJson reports the path inside the value", () => {
    const s = z.object({ meta: dbJson(z.record(z.string(), z.unknown())) });
    expect(s.safeParse({ meta: { a: [1, 2] } }).success).toBe(true);
    expect(s.safeParse({ meta: { a: [1, "\udfff"] } }).error?.issues).toMatchObject([{ path: ["meta", "a", 1], message: LONE }]);
  });
});
