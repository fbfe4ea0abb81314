// Hand-computed cases for the bootstrap's defaults, quantile edges and anchoring, and the chord refit's
// fallback (reports/bootstrap.ts, reports/bradley-terry.ts), written to kill mutation survivors.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { sampleMultinomial } from "../../reports/binomial.js";
import { BOOTSTRAP_ROUNDS, bootstrapBradleyTerry, percentileIntervals, quantileSorted } from "../../reports/bootstrap.js";
import { btGradient, fitBradleyTerry, hessianFactor, refitBradleyTerry } from "../../reports/bradley-terry.js";
import { choleskyInPlace } from "../../reports/linalg.js";
import { aggregateCells, pairTotals, toColumns } from "../../reports/pair-counts.js";
import { xoshiroRng } from "../../lib/random.js";

describe("quantileSorted edges", () => {
  const cases = [
    { values: [3, 8], q: 0, want: 3 },
    { values: [3, 8], q: 1, want: 8 },
    // pos = 3·0.9 = 2.7: 30 + 0.7·(40 - 30).
    { values: [10, 20, 30, 40], q: 0.9, want: 37 },
  ];
  for (const tc of cases) it(`q=${tc.q} of [${tc.values.join(",")}]`, () => expect(quantileSorted(tc.values, tc.q)).toBeCloseTo(tc.want, 12));
  it("no values: NaN", () => expect(quantileSorted([], 0.5)).toBeNaN());
});

describe("percentileIntervals at the default 95% level", () => {
  it("takes the 2.5% and 97.5% quantiles of each model's column, sorted numerically", () => {
    // 40 rounds; model 0 sees 0..39 out of order, model 1 sees 100 minus that.
    // pos = 39·0.025 = 0.975 -> 0.975; pos = 39·0.975 = 38.025 -> 38.025. A string sort would put 10 before 2.
    const rounds = 40;
    const samples = new Float64Array(rounds * 2);
    for (let r = 0; r < rounds; r++) {
      const v = r % 2 === 0 ? r : 40 - r; // evens 0..38 in order, odds 39..1 backwards
      samples[r * 2] = v;
      samples[r * 2 + 1] = 100 - v;
    }
    const { low, high } = percentileIntervals({ rounds, nModels: 2, samples });
    expect(low[0]).toBeCloseTo(0.975, 12);
    expect(high[0]).toBeCloseTo(38.025, 12);
    expect(low[1]).toBeCloseTo(100 - 38.025, 12);
    expect(high[1]).toBeCloseTo(100 - 0.975, 12);
  });
});

/** Three models in a cycle of uneven strength; enough battles for a positive definite Hessian. */
function arena(): Battle[] {
  const rng = xoshiroRng(21);
  const skill: Record<string, number> = { a: 0.8, b: 0, c: -0.5 };
  const names = Object.keys(skill);
  return Array.from({ length: 300 }, (_, k) => {
    const modelA = names[k % 3] ?? "a";
    const modelB = names[(k + 1) % 3] ?? "b";
    const p = 1 / (1 + Math.exp((skill[modelB] ?? 0) - (skill[modelA] ?? 0)));
    return { modelA, modelB, outcome: rng() < 0.1 ? 0.5 : rng() < p ? 1 : 0 };
  });
}

describe("bootstrapBradleyTerry options", () => {
  const cells = aggregateCells(toColumns(arena()));
  it(`runs ${BOOTSTRAP_ROUNDS} rounds by default, each with mean rating 1000`, () => {
    const boot = bootstrapBradleyTerry(cells, { rng: xoshiroRng(1) });
    expect(boot).toMatchObject({ rounds: 100, nModels: 3 });
    expect(boot.samples).toHaveLength(300);
    for (let r = 0; r < 100; r++) expect(((boot.samples[r * 3] ?? 0) + (boot.samples[r * 3 + 1] ?? 0) + (boot.samples[r * 3 + 2] ?? 0)) / 3).toBeCloseTo(1000, 6);
  });
  const anchors = [
    { name: "baseline index 2 at 1000", opts: { baseline: 2 }, check: (row: number[]) => expect(row[2]).toBeCloseTo(1000, 9) },
    { name: "baseline index 0 at 1250", opts: { baseline: 0, baselineRating: 1250 }, check: (row: number[]) => expect(row[0]).toBeCloseTo(1250, 9) },
    { name: "mean at 1500", opts: { baselineRating: 1500 }, check: (row: number[]) => expect(row.reduce((s, x) => s + x, 0) / 3).toBeCloseTo(1500, 6) },
  ];
  for (const tc of anchors) {
    it(tc.name, () => {
      const boot = bootstrapBradleyTerry(cells, { rng: xoshiroRng(2), rounds: 5, ...tc.opts });
      for (let r = 0; r < 5; r++) tc.check(Array.from(boot.samples.subarray(r * 3, r * 3 + 3)));
    });
  }
  it("each resample is the Newton fit of its own counts, whatever start or prior is passed", () => {
    // With rounds = 1 and the same seed, the resample is reproducible: refit it directly and compare.
    for (const opts of [{}, { prior: 0.05 }, { init: new Float64Array(3) }]) {
      const boot = bootstrapBradleyTerry(cells, { rng: xoshiroRng(3), rounds: 1, ...opts });
      const counts = new Float64Array(cells.cellCount.length);
      const rng = xoshiroRng(3); // the same draw as the bootstrap's first round
      sampleMultinomial(cells.nBattles, cells.cellCount, rng, counts);
      const fit = fitBradleyTerry(pairTotals(cells, counts), { prior: "prior" in opts ? opts.prior : undefined });
      const ratings = Array.from(fit.theta, (t) => t * (400 / Math.log(10)));
      const mean = ratings.reduce((s, x) => s + x, 0) / 3;
      ratings.forEach((x, i) => expect(boot.samples[i]).toBeCloseTo(x - mean + 1000, 4));
    }
  });
});

describe("refitBradleyTerry", () => {
  const pairs = pairTotals(aggregateCells(toColumns(arena())));
  const newton = fitBradleyTerry(pairs);
  it("from the optimum with its own Hessian: converged at the first step", () => {
    const factor = hessianFactor(pairs, newton.theta);
    expect(factor).not.toBeNull();
    const r = refitBradleyTerry(pairs, factor ?? new Float64Array(0), newton.theta);
    expect(r).toMatchObject({ converged: true, iterations: 1 });
  });
  const badFactors = [
    // A factor of 1e-4·I takes steps 1e4 times too long: the chord map diverges and Newton takes over.
    { name: "far too small (diverges)", scale: 1e-4 },
    // A factor of 1e4·H takes steps 1e4 times too short: no contraction by 0.9 a step, Newton takes over.
    { name: "far too large (stalls)", scale: 1e4 },
  ];
  for (const tc of badFactors) {
    it(`a ${tc.name} factor falls back to Newton and lands on the same optimum, prior kept`, () => {
      const prior = 0.01;
      const want = fitBradleyTerry(pairs, { prior });
      const h = new Float64Array(9);
      for (let i = 0; i < 3; i++) h[i * 3 + i] = tc.scale;
      expect(choleskyInPlace(h, 3)).toBe(true);
      const r = refitBradleyTerry(pairs, h, new Float64Array(3), { prior });
      expect(r.converged).toBe(true);
      for (let i = 0; i < 3; i++) expect(r.theta[i]).toBeCloseTo(want.theta[i] ?? Number.NaN, 8);
    });
  }
  it("leaves the start vector alone and returns a mean-zero θ", () => {
    const init = Float64Array.from([1, 1, 1]);
    const factor = hessianFactor(pairs, newton.theta) ?? new Float64Array(0);
    const r = refitBradleyTerry(pairs, factor, init);
    expect(Array.from(init)).toEqual([1, 1, 1]);
    expect(Math.abs(Array.from(r.theta).reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
    for (let i = 0; i < 3; i++) expect(r.theta[i]).toBeCloseTo(newton.theta[i] ?? Number.NaN, 8);
  });
});

describe("btGradient past e^709, where e^θ itself overflows", () => {
  // Pair (1, 2) at θ = 800 and 799: P = σ(1) = 1 / (1 + e^-1) = 0.7310585786300049 (difference, not sum,
  // and not model 0's θ). Two battles, one won: the residual is 2·σ(1) - 1; the prior adds λ·θ.
  const pairs = { nModels: 3, pairI: Int32Array.from([1]), pairJ: Int32Array.from([2]), total: Float64Array.from([2]), winsI: Float64Array.from([1]) };
  const s1 = 0.7310585786300049;
  const cases = [
    { prior: 0, want: [0, 2 * s1 - 1, -(2 * s1 - 1)] },
    { prior: 0.5, want: [0, 400 + 2 * s1 - 1, 399.5 - (2 * s1 - 1)] },
  ];
  for (const tc of cases) {
    it(`prior ${tc.prior}`, () => {
      const grad = new Float64Array(3);
      const probs = new Float64Array(1);
      btGradient(pairs, Float64Array.from([0, 800, 799]), tc.prior, grad, probs);
      expect(probs[0]).toBeCloseTo(s1, 12);
      tc.want.forEach((v, i) => expect(grad[i]).toBeCloseTo(v, 9));
    });
  }
});
