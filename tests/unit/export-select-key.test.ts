// Row dedup keys: which rows count as the same (cyrb53 and the normaliser themselves are tested in
// lib-hash.test.ts and lib-text.test.ts).
import { describe, expect, it } from "vitest";
import { rowKey } from "../../src/exports/select-key.js";

describe("rowKey", () => {
  const u = (content: string) => [{ role: "user" as const, content }];
  const cases: { name: string; a: number; b: number; same: boolean }[] = [
    { name: "case and spacing do not matter", a: rowKey(u("Hi  there"), ["Yes."]), b: rowKey(u("hi there"), [" YES. "]), same: true },
    { name: "the answer matters", a: rowKey(u("hi"), ["yes"]), b: rowKey(u("hi"), ["no"]), same: false },
    { name: "field boundaries matter", a: rowKey(u("hi"), ["ab", "c"]), b: rowKey(u("hi"), ["a", "bc"]), same: false },
    { name: "order of chosen and rejected matters", a: rowKey(u("hi"), ["x", "y"]), b: rowKey(u("hi"), ["y", "x"]), same: false },
    {
      name: "roles matter",
      a: rowKey([{ role: "system", content: "hi" }, ...u("q")], ["a"]),
      b: rowKey([...u("hi"), ...u("q")], ["a"]),
      same: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(tc.a === tc.b).toBe(tc.same));
  }
});
