/**
 * Numbered stage names and keys (src/generator/pipelines/stage.ts): `act:3`, `refine:2`, `evol:5`
 * built and read in one place. Encodings, round trips, strings that are no numbered name, and
 * `numberOf` for a given name, all stated by hand.
 */
import { describe, expect, it } from "vitest";
import { decodeNumbered, encodeNumbered, type Numbered, numbered, numberOf, requireNumber } from "../../src/generator/pipelines/stage.js";

describe("encodeNumbered / decodeNumbered", () => {
  const cases: { v: Numbered; text: string }[] = [
    { v: { name: "act", n: 3 }, text: "act:3" },
    { v: { name: "route", n: 1 }, text: "route:1" },
    { v: { name: "refine", n: 2 }, text: "refine:2" },
    { v: { name: "evol", n: 0 }, text: "evol:0" },
    { v: { name: "group", n: null }, text: "group" },
    { v: { name: "matrix-gen", n: null }, text: "matrix-gen" },
  ];
  for (const tc of cases) {
    it(`${tc.text} <-> ${JSON.stringify(tc.v)}`, () => {
      expect(encodeNumbered(tc.v)).toBe(tc.text);
      expect(decodeNumbered(tc.text)).toEqual(tc.v);
    });
  }

  const none = ["", ":3", "act:", "act:-1", "act:01", "act:1.5", "act:x", "act:1:2", "Act:1", "act :1", "act:9007199254740993"];
  for (const s of none) it(`'${s}' is no numbered name`, () => expect(decodeNumbered(s)).toBeNull());
});

describe("numbered / numberOf", () => {
  const cases: { s: string; name: string; n: number | null }[] = [
    { s: "act:3", name: "act", n: 3 },
    { s: "act:3", name: "route", n: null },
    { s: "questions", name: "questions", n: null },
    { s: "evol:12", name: "evol", n: 12 },
    { s: "evol:1:5", name: "evol", n: null },
  ];
  for (const tc of cases) it(`numberOf(${tc.s}, ${tc.name}) = ${tc.n}`, () => expect(numberOf(tc.s, tc.name)).toBe(tc.n));
  it("numbered builds name:n", () => expect(numbered("route", 4)).toBe("route:4"));
  it("requireNumber reads name:n and refuses anything else", () => {
    expect(requireNumber("refine:2", "refine")).toBe(2);
    expect(() => requireNumber("questions", "refine")).toThrow("'questions' is not refine:<n>");
    expect(() => requireNumber("evol:1:5", "evol")).toThrow();
  });
});
