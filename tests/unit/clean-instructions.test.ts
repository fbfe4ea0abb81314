import { describe, expect, it } from "vitest";
import { cleanInstructions, type CleanOptions } from "../../src/generator/clean/clean.js";
import { buildDecontamIndex } from "../../src/generator/clean/decontaminate.js";

const tokens = (count: number, prefix: string): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/**
 * A text pair whose 5-shingle Jaccard is (m - s) / (m + s): A has m + 4 distinct tokens (m shingles);
 * B replaces A's last s tokens with fresh ones, so m - s shingles are shared and each side has s more.
 */
function pair(m: number, s: number, tag: string): { a: string; b: string } {
  const base = tokens(m + 4, tag);
  return { a: base.join(" "), b: [...base.slice(0, m + 4 - s), ...tokens(s, `${tag}x`)].join(" ") };
}

/** Banding with P(candidate | s=0.7) = 1-(1-0.7^4)^32 > 0.9998, so detection depends only on verification. */
const WIDE: CleanOptions = { lsh: { bands: 32, rows: 4 } };

describe("cleanInstructions: exact duplicates and filters", () => {
  it("keeps the first occurrence and names it in later duplicates", () => {
    const result = cleanInstructions([
      { id: "a", text: "Write a haiku about the sea at night." },
      { id: "b", text: "Explain how vaccines train the immune system." },
      { id: "c", text: "write a HAIKU about the sea, at night!" },
      { id: "d", text: "Write a haiku about the sea at night." },
    ]);
    expect(result.kept).toEqual(["a", "b"]);
    expect(result.removed).toEqual([
      { id: "c", reason: "exact_duplicate", collidedWith: "a", similarity: 1 },
      { id: "d", reason: "exact_duplicate", collidedWith: "a", similarity: 1 },
    ]);
  });

  const filtered = [
    { text: "Hi", reason: "too_short" },
    { text: tokens(30, "w").join(" "), reason: "too_long" },
    { text: "As an AI language model I cannot write poems about the sea.", reason: "low_quality" },
  ];
  for (const tc of filtered) {
    it(`removes ${tc.reason} with a detail and no collision`, () => {
      const result = cleanInstructions([{ id: "x", text: tc.text }], { maxWords: 20 });
      expect(result.kept).toEqual([]);
      expect(result.removed[0]).toMatchObject({ id: "x", reason: tc.reason });
      expect(result.removed[0]?.detail).toBeTruthy();
      expect(result.removed[0]?.collidedWith).toBeUndefined();
    });
  }

  it("a filtered item does not block a later valid one", () => {
    const result = cleanInstructions([
      { id: "short", text: "Hi" },
      { id: "ok", text: "Hi there, how are you today?" },
    ]);
    expect(result.kept).toEqual(["ok"]);
  });
});

describe("cleanInstructions: near duplicates at known Jaccard (threshold 0.7)", () => {
  // Exact verification: the decision is J >= 0.7 exactly, given the pair is an LSH candidate.
  const exact = [
    { m: 190, s: 10, j: 0.9, removed: true },
    { m: 90, s: 10, j: 0.8, removed: true },
    { m: 170, s: 30, j: 0.7, removed: true },
    { m: 130, s: 30, j: 0.625, removed: false },
    { m: 150, s: 50, j: 0.5, removed: false },
  ];
  for (const tc of exact) {
    it(`J=${tc.j} -> ${tc.removed ? "near_duplicate" : "kept"} (exact verification)`, () => {
      const { a, b } = pair(tc.m, tc.s, `e${tc.m}q`);
      const result = cleanInstructions([{ id: "a", text: a }, { id: "b", text: b }], WIDE);
      if (tc.removed) {
        expect(result.kept).toEqual(["a"]);
        expect(result.removed).toHaveLength(1);
        expect(result.removed[0]).toMatchObject({ id: "b", reason: "near_duplicate", collidedWith: "a" });
        expect(result.removed[0]?.similarity).toBeCloseTo(tc.j, 12);
      } else {
        expect(result.kept).toEqual(["a", "b"]);
      }
    });
  }

  // Estimate verification: MinHash's standard error at 0.7 is sqrt(0.21/128) = 0.04, so pairs 4+ s.e.
  // away from the threshold (0.9 and 0.5) are decided the same way for any seed.
  const estimate = [
    { m: 190, s: 10, j: 0.9, removed: true },
    { m: 150, s: 50, j: 0.5, removed: false },
  ];
  for (const tc of estimate) {
    for (const seed of [1, 2, 3]) {
      it(`J=${tc.j}, seed ${seed} -> ${tc.removed ? "near_duplicate" : "kept"} (estimate verification)`, () => {
        const { a, b } = pair(tc.m, tc.s, `s${tc.m}q`);
        const result = cleanInstructions([{ id: "a", text: a }, { id: "b", text: b }], { ...WIDE, seed, verification: "estimate" });
        expect(result.kept).toEqual(tc.removed ? ["a"] : ["a", "b"]);
        if (tc.removed) expect(Math.abs((result.removed[0]?.similarity ?? 0) - tc.j)).toBeLessThan(4 * Math.sqrt((0.9 * 0.1) / 128));
      });
    }
  }

  it("the default banding (chosen from the threshold) finds pairs at J >= 0.8", () => {
    const items = [];
    for (let k = 0; k < 20; k++) {
      const { a, b } = pair(90, 10, `d${k}q`);
      items.push({ id: `a${k}`, text: a }, { id: `b${k}`, text: b });
    }
    const result = cleanInstructions(items);
    expect(result.removed.map((r) => `${r.id}<${String(r.collidedWith)}`)).toEqual(
      Array.from({ length: 20 }, (_, k) => `b${k}<a${k}`),
    );
  });

  it("names the most similar kept item when several qualify", () => {
    // base b0..b103 has 100 shingles. X replaces the last 12 tokens, Y the first 12, Z the last 4.
    // X∩Y = shingles inside b12..b91 = 76 -> J = 76/124 (< 0.7, both kept);
    // Z∩X = inside b0..b91 = 88 -> J = 88/112; Z∩Y = inside b12..b99 = 84 -> J = 84/116 (both >= 0.7).
    const base = tokens(104, "b");
    const x = [...base.slice(0, 92), ...tokens(12, "xa")].join(" ");
    const y = [...tokens(12, "ya"), ...base.slice(12)].join(" ");
    const z = [...base.slice(0, 100), ...tokens(4, "za")].join(" ");
    const result = cleanInstructions([{ id: "y", text: y }, { id: "x", text: x }, { id: "z", text: z }], WIDE);
    expect(result.kept).toEqual(["y", "x"]);
    expect(result.removed).toEqual([{ id: "z", reason: "near_duplicate", collidedWith: "x", similarity: 88 / 112 }]);
  });
});

describe("cleanInstructions: decontamination", () => {
  const decontam = buildDecontamIndex([
    { benchmark: "bench", prompts: [{ id: "q7", text: tokens(20, "bench").join(" ") }] },
  ]);
  it("removes an item sharing a 13-gram and names the benchmark prompt", () => {
    const text = `please ${tokens(20, "bench").slice(2, 15).join(" ")} thanks`;
    const result = cleanInstructions([{ id: "x", text }, { id: "y", text: "Tell me a story about dragons and knights." }], { decontam });
    expect(result.kept).toEqual(["y"]);
    expect(result.removed).toEqual([
      { id: "x", reason: "contaminated", collidedWith: { benchmark: "bench", promptId: "q7" }, detail: tokens(20, "bench").slice(2, 15).join(" ") },
    ]);
  });
});

describe("cleanInstructions: incremental imports against an existing pool", () => {
  const { a, b } = pair(190, 10, "inc");
  it("dedups against existing texts, which are never reported", () => {
    const result = cleanInstructions(
      [{ id: "new1", text: b }, { id: "new2", text: "write a haiku about rain" }, { id: "new3", text: "A fresh and unrelated request about gardening tips." }],
      WIDE,
      { texts: [{ id: "old1", text: a }, { id: "old2", text: "Write a haiku about rain." }] },
    );
    expect(result.kept).toEqual(["new3"]);
    expect(result.removed).toEqual([
      { id: "new1", reason: "near_duplicate", collidedWith: "old1", similarity: 0.9 },
      { id: "new2", reason: "exact_duplicate", collidedWith: "old2", similarity: 1 },
    ]);
  });

  it("dedups against fingerprints returned by an earlier run", () => {
    const first = cleanInstructions([{ id: "old1", text: a }, { id: "old2", text: "Write a haiku about rain." }], { ...WIDE, returnFingerprints: true });
    expect(first.fingerprints?.map((f) => f.id)).toEqual(["old1", "old2"]);
    const second = cleanInstructions(
      [{ id: "new1", text: b }, { id: "new2", text: "WRITE a haiku about rain!" }],
      WIDE,
      { fingerprints: first.fingerprints ?? [] },
    );
    expect(second.kept).toEqual([]);
    expect(second.removed[0]).toMatchObject({ id: "new1", reason: "near_duplicate", collidedWith: "old1" });
    // Signature-only entries are verified by the MinHash estimate (J = 0.9, s.e. 0.027).
    expect(Math.abs((second.removed[0]?.similarity ?? 0) - 0.9)).toBeLessThan(0.11);
    expect(second.removed[1]).toEqual({ id: "new2", reason: "exact_duplicate", collidedWith: "old2", similarity: 1 });
  });

  it("rejects fingerprints made with another signature length", () => {
    expect(() => cleanInstructions([], {}, { fingerprints: [{ id: "x", signature: new Uint32Array(64) }] })).toThrow(RangeError);
  });
});

describe("cleanInstructions: options", () => {
  it("is deterministic", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ id: `i${i}`, text: tokens(20 + (i % 7), `p${i % 10}q`).join(" ") }));
    expect(cleanInstructions(items, { seed: 5 })).toEqual(cleanInstructions(items, { seed: 5 }));
  });

  it("threshold 1 removes only texts with identical shingle sets", () => {
    // "a b c d e" repeated twice or three times has the same 5 distinct 5-grams (abcde, bcdea, ...).
    const two = "alpha beta gamma delta eps alpha beta gamma delta eps";
    const three = `${two} alpha beta gamma delta eps`;
    const { a, b } = pair(190, 10, "one"); // J = 0.9
    const result = cleanInstructions(
      [{ id: "two", text: two }, { id: "three", text: three }, { id: "a", text: a }, { id: "b", text: b }],
      { nearDupThreshold: 1 },
    );
    expect(result.kept).toEqual(["two", "a", "b"]);
    expect(result.removed).toEqual([{ id: "three", reason: "near_duplicate", collidedWith: "two", similarity: 1 }]);
  });

  for (const t of [0, -0.1, 1.5, Number.NaN]) {
    it(`rejects nearDupThreshold ${t}`, () => {
      expect(() => cleanInstructions([], { nearDupThreshold: t })).toThrow(RangeError);
    });
  }
});
