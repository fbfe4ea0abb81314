// Exact cases for the binomial and multinomial samplers' edges (reports/binomial.ts): degenerate draws use
// no random numbers, the last cell takes the rest without a draw, and no mass means nothing is placed.
import { describe, expect, it } from "vitest";
import { sampleBinomial, sampleMultinomial } from "../../reports/binomial.js";
import { xoshiroRng } from "../../lib/random.js";

/** A seeded generator that counts its calls. */
function counting(seed: number): { rng: () => number; calls: () => number } {
  const inner = xoshiroRng(seed);
  let n = 0;
  return { rng: () => (n++, inner()), calls: () => n };
}

describe("sampleBinomial edges draw no random number", () => {
  const cases = [
    { n: 0, p: 0.5, want: 0 },
    { n: 10, p: 0, want: 0 },
    { n: 10, p: 1, want: 10 },
    { n: 7, p: 1.5, want: 7 },
  ];
  for (const tc of cases) {
    it(`n=${tc.n} p=${tc.p}`, () => {
      const c = counting(1);
      expect(sampleBinomial(tc.n, tc.p, c.rng)).toBe(tc.want);
      expect(c.calls()).toBe(0);
    });
  }
});

describe("sampleMultinomial", () => {
  it("the last cell takes the rest without a draw, even when rounding leaves its share just under 1", () => {
    // 0.1 + 0.2 = 0.30000000000000004, and 0.30000000000000004 - 0.1 = 0.20000000000000004 > 0.2, so the
    // last cell's conditional probability computes as 0.9999999999999998: only the last-cell rule gives it
    // the rest exactly. The draws are those of the first cell's Binomial(1000, 0.1 / 0.30000000000000004).
    const first = counting(5);
    const x = sampleBinomial(1000, 0.1 / (0.1 + 0.2), first.rng);
    const c = counting(5);
    const out = sampleMultinomial(1000, Float64Array.from([0.1, 0.2]), c.rng);
    expect(Array.from(out)).toEqual([x, 1000 - x]);
    expect(c.calls()).toBe(first.calls());
  });

  it("no mass places nothing", () => {
    const c = counting(2);
    expect(Array.from(sampleMultinomial(5, Float64Array.from([0, 0, 0]), c.rng))).toEqual([0, 0, 0]);
    expect(c.calls()).toBe(0);
  });

  it("a cell holding all the remaining mass takes the rest; later cells get 0 in a reused buffer", () => {
    const out = Float64Array.from([9, 9, 9]);
    const c = counting(3);
    expect(sampleMultinomial(4, Float64Array.from([0, 2, 0]), c.rng, out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 4, 0]);
    expect(c.calls()).toBe(0);
  });
});
