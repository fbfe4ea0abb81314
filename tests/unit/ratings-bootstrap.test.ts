// Bootstrap machinery (the seeded generator itself is in lib-random.test.ts): exact binomial/multinomial sampling, percentile intervals, the
// rank rule, and the counts bootstrap against the exact sampling law of a two-model board.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { percentileIntervals, quantileSorted, ranksFromIntervals } from "../../reports/bootstrap.js";
import { sampleBinomial, sampleMultinomial } from "../../reports/binomial.js";
import { bootstrapElo, eloOnColumns } from "../../reports/elo.js";
import { computeLeaderboard } from "../../reports/leaderboard.js";
import { toColumns } from "../../reports/pair-counts.js";
import { xoshiroRng } from "../../lib/random.js";

/** Exact pmf from log binomial coefficients accumulated term by term. */
function binomialPmf(n: number, p: number): number[] {
  const out: number[] = [];
  let logChoose = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log((n - k + 1) / k);
    out.push(Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p)));
  }
  return out;
}

describe("sampleBinomial", () => {
  // Each branch: inversion (n·p < 10), BTRS (n·p >= 10), and both mirrored for p > 1/2.
  const cases = [
    { n: 20, p: 0.3 },
    { n: 60, p: 0.4 },
    { n: 30, p: 0.8 },
    { n: 400, p: 0.9 },
    { n: 5000, p: 0.01 },
  ];
  const draws = 40000;
  it.each(cases)("n=$n p=$p follows the exact pmf (chi-square) with mean np", ({ n, p }) => {
    const rng = xoshiroRng(n);
    const hist = new Array<number>(n + 1).fill(0);
    let sum = 0;
    let invalid = 0;
    for (let k = 0; k < draws; k++) {
      const x = sampleBinomial(n, p, rng);
      if (!(Number.isInteger(x) && x >= 0 && x <= n)) invalid++;
      hist[x] = (hist[x] ?? 0) + 1;
      sum += x;
    }
    expect(invalid).toBe(0);
    const pmf = binomialPmf(n, p);
    let chi2 = 0;
    let df = -1;
    for (let k = 0; k <= n; k++) {
      const expected = draws * (pmf[k] ?? 0);
      if (expected < 5) continue; // sparse tail cells are pooled out of the statistic
      chi2 += ((hist[k] ?? 0) - expected) ** 2 / expected;
      df++;
    }
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df));
    const se = Math.sqrt((n * p * (1 - p)) / draws);
    expect(Math.abs(sum / draws - n * p)).toBeLessThan(5 * se);
  });

  it("handles the edges", () => {
    const rng = xoshiroRng(1);
    expect([sampleBinomial(0, 0.5, rng), sampleBinomial(10, 0, rng), sampleBinomial(10, 1, rng)]).toEqual([0, 0, 10]);
  });
});

describe("sampleMultinomial", () => {
  it("preserves the total and has mean total·p per cell", () => {
    const mass = Float64Array.from([5, 0, 1, 3, 1]);
    const rng = xoshiroRng(4);
    const total = 1000;
    const means = new Array<number>(5).fill(0);
    const rounds = 2000;
    for (let r = 0; r < rounds; r++) {
      const out = sampleMultinomial(total, mass, rng);
      expect(out.reduce((s, x) => s + x, 0)).toBe(total);
      out.forEach((x, k) => (means[k] = (means[k] ?? 0) + x / rounds));
    }
    const probs = [0.5, 0, 0.1, 0.3, 0.1];
    probs.forEach((p, k) => {
      const se = Math.sqrt((total * p * (1 - p)) / rounds);
      expect(Math.abs((means[k] ?? 0) - total * p)).toBeLessThanOrEqual(5 * se);
    });
  });
});

describe("quantiles and intervals", () => {
  const cases = [
    { values: [1, 2, 3, 4], q: 0.25, expected: 1.75 },
    { values: [1, 2, 3, 4], q: 0.5, expected: 2.5 },
    { values: [7], q: 0.975, expected: 7 },
    { values: Array.from({ length: 100 }, (_, i) => i), q: 0.025, expected: 2.475 },
    { values: Array.from({ length: 100 }, (_, i) => i), q: 0.975, expected: 96.525 },
  ];
  it.each(cases)("quantile $q of $values.length values", ({ values, q, expected }) => {
    expect(quantileSorted(values, q)).toBeCloseTo(expected, 12);
  });

  it("takes per-model percentile intervals over the rounds", () => {
    // 3 rounds × 2 models: model 0 sees 10, 30, 20; model 1 sees 5, 1, 3.
    const boot = { rounds: 3, nModels: 2, samples: Float64Array.from([10, 5, 30, 1, 20, 3]) };
    const { low, high } = percentileIntervals(boot, 0.5);
    expect([low[0], high[0], low[1], high[1]]).toEqual([15, 25, 2, 4]);
  });
});

describe("ranksFromIntervals: 1 + number of models whose lower bound is above my upper bound", () => {
  const cases = [
    { low: [10, 15, 21, 0], high: [20, 25, 30, 5], ranks: [2, 1, 1, 4] },
    { low: [0, 0, 0], high: [1, 1, 1], ranks: [1, 1, 1] },
    { low: [3, 2, 1], high: [3, 2, 1], ranks: [1, 2, 3] },
    { low: [5, 5, 1], high: [6, 6, 4], ranks: [1, 1, 3] },
  ];
  it.each(cases)("$low / $high", ({ low, high, ranks }) => {
    expect(Array.from(ranksFromIntervals(low, high))).toEqual(ranks);
    const brute = high.map((h) => 1 + low.filter((l) => l > h).length);
    expect(brute).toEqual(ranks);
  });
});

function coinBattles(n: number, winsX: number): Battle[] {
  return Array.from({ length: n }, (_, k) => (k % 2 === 0 ? { modelA: "x", modelB: "y", outcome: k < winsX ? 1 : 0 } : { modelA: "y", modelB: "x", outcome: k < winsX ? 0 : 1 }));
}

describe("counts bootstrap", () => {
  it("is deterministic for a seed and changes with the seed", () => {
    const battles = [...coinBattles(60, 40), { modelA: "x", modelB: "z", outcome: 0.5 }, { modelA: "z", modelB: "y", outcome: 1 }];
    const a = computeLeaderboard(battles, { method: "bt", bootstrap: 30, seed: 7 });
    const b = computeLeaderboard(battles, { method: "bt", bootstrap: 30, seed: 7 });
    const c = computeLeaderboard(battles, { method: "bt", bootstrap: 30, seed: 8 });
    expect(b).toEqual(a);
    expect(c.items.map((i) => i.ciLow)).not.toEqual(a.items.map((i) => i.ciLow));
    for (const item of a.items) {
      expect(item.ciLow).toBeLessThanOrEqual(item.rating);
      expect(item.ciHigh).toBeGreaterThanOrEqual(item.rating);
    }
  });

  it("reproduces the exact percentile interval of a two-model board", () => {
    // Resampling N battles with replacement makes x's wins W* ~ Binomial(N, p); x's rating is
    // 1000 + 200·log10(W*/(N - W*)), so its 95% interval comes from W*'s 2.5% and 97.5% quantiles.
    const n = 400;
    const wins = 280;
    const board = computeLeaderboard(coinBattles(n, wins), { method: "bt", bootstrap: 4000, seed: 3, prior: 0 });
    const pmf = binomialPmf(n, wins / n);
    const quantile = (q: number): number => {
      let acc = 0;
      for (let k = 0; k <= n; k++) if ((acc += pmf[k] ?? 0) >= q) return k;
      return n;
    };
    const rating = (w: number): number => 1000 + 200 * Math.log10(w / (n - w));
    const x = board.items.find((i) => i.model === "x");
    expect(x?.rating).toBeCloseTo(rating(wins), 6);
    // One win moves x's rating by ~1 point; the empirical quantile of 4000 rounds sits within ~2 wins.
    expect(Math.abs((x?.ciLow ?? 0) - rating(quantile(0.025)))).toBeLessThan(3);
    expect(Math.abs((x?.ciHigh ?? 0) - rating(quantile(0.975)))).toBeLessThan(3);
  });
});

describe("resample size: every bootstrap round redraws exactly N battles from all N", () => {
  it("BT: one cell of N identical battles resamples to exactly the full data, so the interval is the point", () => {
    // A single (pair, outcome, weight) cell makes the multinomial draw deterministic: all N battles land in
    // it. A strong prior makes the rating depend on N, so a resample of N-1 battles would sit visibly lower.
    for (const n of [1, 2, 3, 7]) {
      const battles = Array.from({ length: n }, () => ({ modelA: "x", modelB: "y", outcome: 1 }));
      const board = computeLeaderboard(battles, { method: "bt", bootstrap: 5, seed: 1, prior: 1 });
      const x = board.items.find((i) => i.model === "x");
      expect(x?.rating).toBeGreaterThan(1000);
      expect(x?.ciLow).toBeCloseTo(x?.rating ?? 0, 6);
      expect(x?.ciHigh).toBeCloseTo(x?.rating ?? 0, 6);
    }
  });

  it("Elo: two disjoint battles; each round replays 2 draws and the last battle is drawn too", () => {
    // x beats y (battle 0) and z beats w (battle 1, the last). Their ratings after c wins in a row are a
    // known increasing sequence, so each round's sample tells how often each battle was drawn.
    const cols = toColumns([
      { modelA: "x", modelB: "y", outcome: 1 },
      { modelA: "z", modelB: "w", outcome: 1 },
    ]);
    const afterWins = [0, 1, 2].map((c) => eloOnColumns(toColumns([{ modelA: "p", modelB: "q", outcome: 1 }]), new Int32Array(c))[0] ?? 0);
    const boot = bootstrapElo(cols, { rounds: 200, rng: xoshiroRng(5) });
    const ix = cols.models.indexOf("x");
    const iz = cols.models.indexOf("z");
    const drawsOf = (rating: number): number => afterWins.findIndex((r) => Math.abs(r - rating) < 1e-9);
    const lastDrawn = [0, 0, 0];
    for (let r = 0; r < boot.rounds; r++) {
      const c0 = drawsOf(boot.samples[r * boot.nModels + ix] ?? 0);
      const c1 = drawsOf(boot.samples[r * boot.nModels + iz] ?? 0);
      expect(c0).toBeGreaterThanOrEqual(0);
      expect(c1).toBeGreaterThanOrEqual(0);
      expect(c0 + c1).toBe(2);
      lastDrawn[c1] = (lastDrawn[c1] ?? 0) + 1;
    }
    // Binomial(2, 1/2) counts of the last battle over 200 rounds: about 50 / 100 / 50.
    for (const [c, expected] of [[0, 50], [1, 100], [2, 50]] as const) expect(Math.abs((lastDrawn[c] ?? 0) - expected)).toBeLessThan(30);
  });
});
