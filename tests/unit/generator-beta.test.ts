// The Beta distribution behind smoothed feedback: log-gamma, the CDF and quantiles, against closed forms.
import { describe, expect, it } from "vitest";
import { betaCdf, betaInterval, betaQuantile, lnGamma } from "../../src/generator/algorithms/beta.js";

/** I_x(a, b) for integer a, b: P(Binomial(a + b - 1, x) >= a). */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  let coef = 1;
  for (let k = 0; k <= n; k++) {
    if (k > 0) coef = (coef * (n - k + 1)) / k;
    if (k >= a) sum += coef * x ** k * (1 - x) ** (n - k);
  }
  return sum;
}

describe("lnGamma", () => {
  const cases = [
    { x: 1, want: 0 },
    { x: 2, want: 0 },
    { x: 5, want: Math.log(24) },
    { x: 0.5, want: 0.5 * Math.log(Math.PI) },
    { x: 0.1, want: 2.252712651734206 },
    { x: 30, want: 71.25703896716801 },
  ];
  for (const tc of cases) it(`x = ${tc.x}`, () => expect(lnGamma(tc.x)).toBeCloseTo(tc.want, 11));
});

describe("betaCdf", () => {
  const closed = [
    { name: "I_0.5(2, 3) = 11/16", x: 0.5, a: 2, b: 3, want: 0.6875 },
    { name: "uniform", x: 0.3, a: 1, b: 1, want: 0.3 },
    { name: "Beta(a, 1) = x^a", x: 0.7, a: 3.5, b: 1, want: 0.7 ** 3.5 },
    { name: "Beta(1, b) = 1 - (1-x)^b", x: 0.2, a: 1, b: 7.25, want: 1 - 0.8 ** 7.25 },
    { name: "arcsine: (2/π) asin(√x)", x: 0.1, a: 0.5, b: 0.5, want: (2 / Math.PI) * Math.asin(Math.sqrt(0.1)) },
    { name: "at 0", x: 0, a: 2, b: 2, want: 0 },
    { name: "at 1", x: 1, a: 2, b: 2, want: 1 },
  ];
  for (const tc of closed) it(tc.name, () => expect(betaCdf(tc.x, tc.a, tc.b)).toBeCloseTo(tc.want, 12));
  const integer = [
    { x: 0.05, a: 1, b: 40 },
    { x: 0.2, a: 3, b: 12 },
    { x: 0.5, a: 10, b: 10 },
    { x: 0.9, a: 30, b: 4 },
    { x: 0.01, a: 2, b: 150 },
  ];
  for (const tc of integer) it(`binomial identity at x=${tc.x}, a=${tc.a}, b=${tc.b}`, () => expect(betaCdf(tc.x, tc.a, tc.b)).toBeCloseTo(binomialTail(tc.x, tc.a, tc.b), 12));
});

describe("betaQuantile", () => {
  const cases = [
    { q: 0.025, a: 1, b: 1, want: 0.025 },
    { q: 0.975, a: 3, b: 1, want: 0.975 ** (1 / 3) },
    { q: 0.025, a: 1, b: 9, want: 1 - 0.975 ** (1 / 9) },
    { q: 0.975, a: 0.5, b: 0.5, want: Math.sin((Math.PI * 0.975) / 2) ** 2 },
    { q: 0.5, a: 4, b: 4, want: 0.5 },
  ];
  for (const tc of cases) it(`q=${tc.q} of Beta(${tc.a}, ${tc.b})`, () => expect(betaQuantile(tc.q, tc.a, tc.b)).toBeCloseTo(tc.want, 10));
  it("inverts the CDF for fractional parameters", () => {
    for (const [a, b] of [[1.05, 48.9], [2.5, 7.5], [0.3, 0.9]] as const) {
      for (const q of [0.025, 0.5, 0.975]) expect(betaCdf(betaQuantile(q, a, b), a, b)).toBeCloseTo(q, 10);
    }
  });
  it("betaInterval is equal-tailed", () => {
    const { low, high } = betaInterval(2, 5, 0.95);
    expect(betaCdf(low, 2, 5)).toBeCloseTo(0.025, 10);
    expect(betaCdf(high, 2, 5)).toBeCloseTo(0.975, 10);
  });
});
