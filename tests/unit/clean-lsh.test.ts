import { describe, expect, it } from "vitest";
import {
  candidateProbability,
  createLshIndex,
  falseNegativeArea,
  falsePositiveArea,
  optimalLshParams,
} from "../../src/generator/clean/lsh.js";
import { minhashSignature, permutations } from "../../src/generator/clean/minhash.js";
import { mulberry32 } from "../../lib/random.js";

describe("candidateProbability = 1-(1-s^r)^b", () => {
  // Reference values from Python floats of the closed form, e.g. s=0.7 b=16 r=8:
  // 0.7^8 = 0.05764801, (1-0.05764801)^16 = 0.386732..., 1 - that = 0.613268.
  const cases = [
    { s: 0.7, b: 16, r: 8, p: 0.6132677123375208 },
    { s: 0.5, b: 16, r: 8, p: 0.06070190410618359 },
    { s: 0.9, b: 16, r: 8, p: 0.9998774538341496 },
    { s: 0.7, b: 20, r: 6, p: 0.9181859965846741 },
    { s: 0.8, b: 9, r: 13, p: 0.39884387824016365 },
    { s: 0.3, b: 32, r: 4, p: 0.22914536447207823 },
    { s: 1, b: 5, r: 5, p: 1 },
    { s: 0, b: 5, r: 5, p: 0 },
  ];
  for (const tc of cases) {
    it(`s=${tc.s} b=${tc.b} r=${tc.r} -> ${tc.p}`, () => {
      expect(candidateProbability(tc.s, tc.b, tc.r)).toBeCloseTo(tc.p, 12);
    });
  }
});

describe("false-positive / false-negative areas", () => {
  // Exact values from the binomial expansion of (1-s^r)^b integrated term by term (rational arithmetic).
  // b=2 r=2 t=1/2 by hand: fp = 2t^3/3 - t^5/5 = 0.0770833..., fn = [s - 2s^3/3 + s^5/5] from 1/2 to 1.
  const cases = [
    { t: 0.5, b: 2, r: 2, fp: 0.07708333333333334, fn: 0.11041666666666666 },
    { t: 0.7, b: 16, r: 8, fp: 0.05793994908774798, fn: 0.0209703076228923 },
    { t: 0.7, b: 20, r: 6, fp: 0.14237664015428253, fn: 0.0027666763349735485 },
    { t: 0.8, b: 9, r: 13, fp: 0.02531186320336636, fn: 0.033282136012204123 },
  ];
  for (const tc of cases) {
    it(`t=${tc.t} b=${tc.b} r=${tc.r}`, () => {
      expect(falsePositiveArea(tc.t, tc.b, tc.r)).toBeCloseTo(tc.fp, 7);
      expect(falseNegativeArea(tc.t, tc.b, tc.r)).toBeCloseTo(tc.fn, 7);
    });
  }
});

describe("optimalLshParams", () => {
  it("matches datasketch: MinHashLSH(threshold=0.8, num_perm=128) uses 9 bands of 13 rows", () => {
    // Published in ekzhu/datasketch issue #209 (lsh.hashranges ends at (104, 117)).
    expect(optimalLshParams(0.8, 128)).toEqual({ bands: 9, rows: 13 });
  });

  it("weighting false negatives more lowers the S-curve's midpoint (1/b)^(1/r)", () => {
    const balanced = optimalLshParams(0.7, 128);
    const recall = optimalLshParams(0.7, 128, { falsePositive: 0.1, falseNegative: 0.9 });
    const mid = (p: { bands: number; rows: number }): number => (1 / p.bands) ** (1 / p.rows);
    expect(mid(recall)).toBeLessThan(mid(balanced));
    expect(candidateProbability(0.7, recall.bands, recall.rows)).toBeGreaterThan(0.9);
    expect(recall.bands * recall.rows).toBeLessThanOrEqual(128);
  });

  it("rejects thresholds outside (0, 1)", () => {
    expect(() => optimalLshParams(1, 128)).toThrow(RangeError);
    expect(() => optimalLshParams(0, 128)).toThrow(RangeError);
  });
});

describe("LSH index", () => {
  /** Two random hash sets with exactly `common` shared elements out of `common + 2*own` in the union. */
  function setPair(rng: () => number, common: number, own: number): [Uint32Array, Uint32Array] {
    const draw = (): number => Math.floor(rng() * 4294967296);
    const shared = Array.from({ length: common }, draw);
    const a = Uint32Array.from([...shared, ...Array.from({ length: own }, draw)]);
    const b = Uint32Array.from([...shared, ...Array.from({ length: own }, draw)]);
    return [a, b];
  }

  // Empirical candidate rate vs the S-curve: 400 independent pairs (fresh random sets and fresh
  // permutations each time), tolerance 4 binomial standard errors.
  const curve = [
    { common: 50, own: 25, s: 0.5 },
    { common: 70, own: 15, s: 0.7 },
    { common: 170, own: 15, s: 0.85 },
  ];
  for (const tc of curve) {
    it(`s=${tc.s}: candidate rate follows 1-(1-s^8)^16`, () => {
      const rng = mulberry32(1000 + tc.common);
      const trials = 400;
      let hits = 0;
      for (let t = 0; t < trials; t++) {
        const seeds = permutations(128, Math.floor(rng() * 4294967296));
        const [a, b] = setPair(rng, tc.common, tc.own);
        const index = createLshIndex({ bands: 16, rows: 8 }, 128);
        index.insert(0, minhashSignature(a, seeds));
        if (index.query(minhashSignature(b, seeds)).includes(0)) hits++;
      }
      const p = candidateProbability(tc.s, 16, 8);
      expect(Math.abs(hits / trials - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / trials));
    });
  }

  it("returns each matching id once, and nothing for an unrelated signature", () => {
    const seeds = permutations(128, 3);
    const sig = minhashSignature(Uint32Array.from([1, 2, 3, 4, 5]), seeds);
    const other = minhashSignature(Uint32Array.from([6, 7, 8, 9, 10]), seeds);
    const index = createLshIndex({ bands: 16, rows: 8 }, 128);
    index.insert(11, sig);
    index.insert(12, sig);
    index.insert(13, other);
    expect(index.size).toBe(3);
    expect(index.query(Uint32Array.from(sig)).sort()).toEqual([11, 12]);
    expect(index.query(minhashSignature(Uint32Array.from([20, 21, 22]), seeds))).toEqual([]);
  });

  it("grows past its initial capacity", () => {
    const seeds = permutations(64, 9);
    const index = createLshIndex({ bands: 8, rows: 8 }, 64);
    for (let i = 0; i < 3000; i++) index.insert(i, minhashSignature(Uint32Array.from([i, i + 1e6]), seeds));
    expect(index.size).toBe(3000);
    expect(index.query(minhashSignature(Uint32Array.from([2999, 2999 + 1e6]), seeds))).toContain(2999);
  });

  it("rejects banding wider than the signature", () => {
    expect(() => createLshIndex({ bands: 17, rows: 8 }, 128)).toThrow(RangeError);
  });
});
