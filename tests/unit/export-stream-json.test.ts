// jsonLine must print exactly what JSON.stringify prints: table cases for every escape class and
// value kind, then random nested records (seeded) compared byte for byte.
import { describe, expect, it } from "vitest";
import { jsonLine, jsonString } from "../../src/exports/stream-json.js";
import { xoshiroRng } from "../../lib/random.js";

const CASES: [string, unknown][] = [
  ["plain string", "hello world"],
  ["empty string", ""],
  ["quote", 'say "hi"'],
  ["backslash", "C:\\path"],
  ["newline and tab", "a\nb\tc\r"],
  ["NUL and unit separator", "\u0000x\u001f"],
  ["DEL is not escaped", "\u007f"],
  ["line separators are not escaped", "\u2028\u2029"],
  ["non-ASCII", "ünïcödé 漢字"],
  ["surrogate pair", "emoji 😀 ok"],
  ["lone high surrogate", "bad \ud800 x"],
  ["lone low surrogate", "\udc00"],
  ["integer", 42],
  ["negative zero", -0],
  ["float", 0.1 + 0.2],
  ["large exponent", 1e21],
  ["tiny", 5e-324],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["true", true],
  ["null", null],
  ["array with holes and skipped values", [1, undefined, () => 1, Symbol("s"), null]],
  ["object skipping undefined/function/symbol", { a: 1, b: undefined, c: () => 1, d: Symbol("s"), e: "x" }],
  ["integer-like keys come first", { b: 1, 2: "two", a: 3, 1: "one" }],
  ["keys needing escapes", { 'q"k': 1, "new\nline": 2, ü: 3 }],
  ["null prototype object", Object.assign(Object.create(null) as object, { z: 1, a: [2] })],
  ["Date uses toJSON", { at: new Date(Date.UTC(2026, 10, 22)) }],
  ["toJSON on a plain object", { toJSON: () => ({ replaced: true }) }],
  ["class instance", new (class P { x = 1; y = "two"; })()],
  ["boxed string", { s: new String("boxed") }],
  ["nested record", { prompt: [{ role: "user", content: "q" }], chosen: [{ role: "assistant", content: "a\n" }], metadata: { scores: { m: 0.5 }, ids: [null] } }],
];

describe("jsonLine", () => {
  it.each(CASES)("%s", (_name, value) => {
    expect(jsonLine(value)).toBe(JSON.stringify(value));
  });

  it("jsonString matches JSON.stringify on strings", () => {
    for (const s of ["", "x", '"', "\\", "\n", "\ud83d", "😀", "é"]) expect(jsonString(s)).toBe(JSON.stringify(s));
  });

  it("long strings repeated among others (the ring of recent strings) still print exactly", () => {
    const rng = xoshiroRng(5);
    const pool = Array.from({ length: 20 }, (_, i) => `${i % 3 === 0 ? 'quote " and \\ ' : ""}${"long text ".repeat(8 + i)}${i}`);
    for (let i = 0; i < 500; i++) {
      const v = { a: pool[Math.floor(rng() * pool.length)], b: [pool[Math.floor(rng() * 4)], pool[Math.floor(rng() * pool.length)]] };
      expect(jsonLine(v)).toBe(JSON.stringify(v));
    }
  });

  it("matches JSON.stringify on 2,000 random nested values", () => {
    const rng = xoshiroRng(11);
    const alphabet = ["a", "Z", " ", '"', "\\", "\n", "\u0001", "\u001f", "é", "漢", "\ud83d\ude00", "\ud800", "\udfff", "\u2028", "\u007f", "0"];
    const str = (): string => Array.from({ length: Math.floor(rng() * 12) }, () => alphabet[Math.floor(rng() * alphabet.length)]).join("");
    const value = (depth: number): unknown => {
      const r = rng();
      if (depth > 3 || r < 0.3) return str();
      if (r < 0.4) return (rng() - 0.5) * 10 ** Math.floor(rng() * 30 - 10);
      if (r < 0.45) return rng() < 0.5;
      if (r < 0.5) return rng() < 0.5 ? null : undefined;
      if (r < 0.7) return Array.from({ length: Math.floor(rng() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rng() * 5); i > 0; i--) o[rng() < 0.2 ? String(Math.floor(rng() * 5)) : str()] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(jsonLine(v)).toBe(JSON.stringify(v));
    }
  });
});
