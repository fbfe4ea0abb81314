// Dedup hashing: cyrb53 against the author's published reference values, and the normalisation
// that decides which rows count as the same.
import { describe, expect, it } from "vitest";
import { cyrb53, normaliseText, rowKey } from "../../battles/selection-hash.js";

describe("cyrb53", () => {
  // Reference values from bryc's README (github.com/bryc/code, jshash/experimental/cyrb53.js).
  const cases: [string, number, number][] = [
    ["a", 0, 7929297801672961],
    ["b", 0, 8684336938537663],
    ["revenge", 0, 4051478007546757],
    ["revenue", 0, 8309097637345594],
    ["revenue", 1, 8697026808958300],
  ];
  for (const [text, seed, want] of cases) {
    it(`cyrb53(${JSON.stringify(text)}, ${seed}) = ${want}`, () => {
      expect(cyrb53(text, seed)).toBe(want);
      expect(Number.isSafeInteger(cyrb53(text, seed))).toBe(true);
    });
  }
});

describe("normaliseText", () => {
  const cases: [string, string][] = [
    ["  Hello   World ", "hello world"],
    ["Tab\tand\nnewline", "tab and newline"],
    ["ＦＵＬＬ width", "full width"],
    ["", ""],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(normaliseText(input)).toBe(want));
  }
});

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
