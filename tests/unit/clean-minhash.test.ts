import { describe, expect, it } from "vitest";
import {
  createMinHasher,
  estimateJaccard,
  exactJaccard,
  minhashSignature,
  permutations,
  shingleHashes,
} from "../../src/generator/clean/minhash.js";
import { mulberry32 } from "../../lib/random.js";

const K = 128;
/** Standard error of the MinHash estimate with K permutations: sqrt(J(1-J)/K). */
const sigma = (j: number): number => Math.sqrt((j * (1 - j)) / K);

/** Distinct tokens make every 5-gram distinct, so shingle counts follow by hand. */
const tokens = (from: number, count: number, prefix = "t"): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);

/**
 * Doc A: L = m + 4 distinct tokens (m shingles). Doc B: A with its last s tokens replaced by fresh ones.
 * Shared shingles are those inside the first L - s tokens (m - s), each side has s of its own,
 * so J = (m - s) / (m + s).
 */
function pair(m: number, s: number, tag: string): { a: string; b: string } {
  const base = tokens(0, m + 4, tag);
  const b = [...base.slice(0, m + 4 - s), ...tokens(0, s, `${tag}x`)];
  return { a: base.join(" "), b: b.join(" ") };
}

/** Independent reference: Jaccard of sets of 5-gram strings. */
function referenceJaccard(a: string, b: string): number {
  const grams = (t: string): Set<string> => {
    const w = t.split(" ");
    const out = new Set<string>();
    for (let i = 0; i + 5 <= w.length; i++) out.add(w.slice(i, i + 5).join(" "));
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let inter = 0;
  for (const g of ga) if (gb.has(g)) inter++;
  return inter / (ga.size + gb.size - inter);
}

describe("shingleHashes", () => {
  const cases: { name: string; words: string[]; n: number; count: number }[] = [
    { name: "six words, 5-grams", words: tokens(0, 6), n: 5, count: 2 },
    { name: "exactly five words", words: tokens(0, 5), n: 5, count: 1 },
    { name: "fewer than n words: one whole-text shingle", words: tokens(0, 3), n: 5, count: 1 },
    { name: "no words", words: [], n: 5, count: 0 },
    { name: "repeated word: one distinct shingle", words: Array(9).fill("a") as string[], n: 5, count: 1 },
    { name: "bigrams", words: tokens(0, 10), n: 2, count: 9 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const sh = shingleHashes(tc.words, tc.n);
      expect(sh.length).toBe(tc.count);
      for (let i = 1; i < sh.length; i++) expect(sh[i]).toBeGreaterThan(sh[i - 1] ?? 0);
    });
  }

  it("is order-sensitive within a shingle", () => {
    const fwd = shingleHashes(["a", "b", "c", "d", "e"], 5);
    const rev = shingleHashes(["e", "d", "c", "b", "a"], 5);
    expect(fwd[0]).not.toBe(rev[0]);
  });
});

describe("minhashSignature", () => {
  /** Definition in BigInt arithmetic: sig[i] = min over x of (a_i * x + b_i) mod 2^32, a_i and b_i unsigned. */
  function reference(xs: Uint32Array, a: Int32Array, b: Int32Array): number[] {
    const M = 1n << 32n;
    return Array.from(a, (ai, i) => {
      let min = M - 1n;
      for (const x of xs) {
        const v = ((BigInt(ai >>> 0) * BigInt(x) + BigInt((b[i] ?? 0) >>> 0)) % M + M) % M;
        if (v < min) min = v;
      }
      return Number(min);
    });
  }
  const cases = [
    { numPerm: 128, size: 40 },
    { numPerm: 10, size: 7 }, // not a multiple of four: exercises the remainder loop
    { numPerm: 3, size: 1 },
    { numPerm: 8, size: 0 }, // empty set: all 0xffffffff
  ];
  for (const tc of cases) {
    it(`matches the BigInt definition (numPerm ${tc.numPerm}, ${tc.size} shingles)`, () => {
      const rng = mulberry32(tc.numPerm * 31 + tc.size);
      const xs = Uint32Array.from({ length: tc.size }, () => Math.floor(rng() * 4294967296));
      const perms = permutations(tc.numPerm, 17);
      expect(Array.from(minhashSignature(xs, perms))).toEqual(reference(xs, perms.a, perms.b));
    });
  }

  it("uses odd multipliers (each permutation is a bijection on 32-bit values)", () => {
    expect(Array.from(permutations(128, 5).a).every((a) => (a & 1) === 1)).toBe(true);
  });
});

describe("Jaccard on constructed pairs", () => {
  // J = (m - s) / (m + s), worked by hand for each row.
  const cases = [
    { m: 100, s: 0, j: 1 },
    { m: 190, s: 10, j: 0.9 },
    { m: 90, s: 10, j: 0.8 },
    { m: 170, s: 30, j: 0.7 },
    { m: 150, s: 50, j: 0.5 },
    { m: 120, s: 80, j: 0.2 },
  ];
  const hasher = createMinHasher({ seed: 12345 });
  for (const tc of cases) {
    it(`m=${tc.m} s=${tc.s}: exact ${tc.j}, estimate within 4 sigma`, () => {
      const { a, b } = pair(tc.m, tc.s, `j${tc.m}s${tc.s}`);
      expect(referenceJaccard(a, b)).toBeCloseTo(tc.j, 12);
      const sa = hasher.shingles(a);
      const sb = hasher.shingles(b);
      expect(exactJaccard(sa, sb)).toBeCloseTo(tc.j, 12);
      const est = estimateJaccard(hasher.signature(sa), hasher.signature(sb));
      expect(Math.abs(est - tc.j)).toBeLessThanOrEqual(4 * sigma(tc.j) + 1e-12);
    });
  }

  it("the estimate is unbiased: mean over 200 seeds within 4 standard errors of J = 0.7", () => {
    const { a, b } = pair(170, 30, "bias");
    let sum = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const h = createMinHasher({ seed });
      sum += estimateJaccard(h.signature(h.shingles(a)), h.signature(h.shingles(b)));
    }
    expect(Math.abs(sum / seeds - 0.7)).toBeLessThan(4 * (sigma(0.7) / Math.sqrt(seeds)));
  });

  it("the estimate's spread matches MinHash variance J(1-J)/K (within 30%)", () => {
    const { a, b } = pair(150, 50, "var");
    const ests: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const h = createMinHasher({ seed });
      ests.push(estimateJaccard(h.signature(h.shingles(a)), h.signature(h.shingles(b))));
    }
    const mean = ests.reduce((x, y) => x + y, 0) / ests.length;
    const variance = ests.reduce((acc, e) => acc + (e - mean) ** 2, 0) / (ests.length - 1);
    // With 300 samples the sample variance is within ~±16% (2 s.e.) of the truth.
    expect(variance / sigma(0.5) ** 2).toBeGreaterThan(0.7);
    expect(variance / sigma(0.5) ** 2).toBeLessThan(1.3);
  });
});

describe("createMinHasher", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const text = tokens(0, 30).join(" ");
    const a = createMinHasher({ seed: 7 });
    const b = createMinHasher({ seed: 7 });
    const c = createMinHasher({ seed: 8 });
    const sa = a.signature(a.shingles(text));
    expect(sa.length).toBe(K);
    expect(b.signature(b.shingles(text))).toEqual(sa);
    expect(c.signature(c.shingles(text))).not.toEqual(sa);
  });

  it("equal normalised texts give equal signatures", () => {
    const h = createMinHasher();
    const s1 = h.signature(h.shingles("Write a short poem about the sea, please."));
    const s2 = h.signature(h.shingles("write a SHORT poem about the sea please"));
    expect(estimateJaccard(s1, s2)).toBe(1);
  });

  const bad: { name: string; opts: { numPerm?: number; ngram?: number } }[] = [
    { name: "zero permutations", opts: { numPerm: 0 } },
    { name: "fractional n-gram", opts: { ngram: 2.5 } },
  ];
  for (const tc of bad) {
    it(`rejects ${tc.name}`, () => {
      expect(() => createMinHasher(tc.opts)).toThrow(RangeError);
    });
  }

  it("rejects signatures of different lengths", () => {
    expect(() => estimateJaccard(new Uint32Array(4), new Uint32Array(5))).toThrow(RangeError);
  });
});
