// Hashed bag-of-words embeddings: unit norm, determinism, and cosine similarity ordering.
import { describe, expect, it } from "vitest";
import { embedText, toBase64 } from "../../src/sim/embeddings.js";

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: Float32Array): number => Math.sqrt(cos(a, a));

describe("embedText", () => {
  it.each(["the cat sat on the mat", "Quantum chromodynamics lecture notes", "x"])("unit norm: %s", (t) => {
    expect(norm(embedText(t, 256))).toBeCloseTo(1, 5);
  });
  it("is all zeros for text without words", () => {
    expect(norm(embedText("123 !!", 64))).toBe(0);
  });
  it("is deterministic and ignores case and punctuation", () => {
    expect(Array.from(embedText("Hello, World!", 128))).toEqual(Array.from(embedText("hello world", 128)));
  });
  const cases = [
    { a: "the cat sat on the mat", b: "the cat sat on a mat", min: 0.9, max: 1 },
    { a: "python function to sort a list", b: "sort a list with a python function", min: 0.9, max: 1 },
    { a: "the cat sat on the mat", b: "quantum chromodynamics lecture notes", min: -0.35, max: 0.35 },
  ];
  for (const tc of cases) {
    it(`${tc.a} ~ ${tc.b}`, () => {
      const c = cos(embedText(tc.a, 256), embedText(tc.b, 256));
      expect(c).toBeGreaterThanOrEqual(tc.min);
      expect(c).toBeLessThanOrEqual(tc.max);
    });
  }
});

describe("toBase64", () => {
  it("round-trips as little-endian float32", () => {
    const v = embedText("round trip test", 32);
    const buf = Buffer.from(toBase64(v), "base64");
    const back = Array.from({ length: 32 }, (_, i) => buf.readFloatLE(i * 4));
    expect(back).toEqual(Array.from(v));
  });
});
