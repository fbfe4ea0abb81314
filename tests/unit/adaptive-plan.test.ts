import { describe, expect, it } from "vitest";
import {
  battleInformation,
  boardCovariance,
  defaultWaveSize,
  expectedInformation,
  MIN_PAIR_BATTLES,
  optimalDesignRatio,
  outcomeVariances,
  pickWave,
  sandwichCovariance,
  VARIANCE_PRIOR_BATTLES,
  type WavePair,
  widestVariance,
} from "../../battles/adaptive-plan.js";
import { mulberry32 } from "../../lib/random.js";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("battleInformation", () => {
  const cases: { theta: number[]; info: number }[] = [
    { theta: [0, 0], info: 0.25 },
    { theta: [1, 0], info: sigmoid(1) * (1 - sigmoid(1)) },
    { theta: [0, -2], info: sigmoid(2) * (1 - sigmoid(2)) },
    // No clamp: a 1,700 Elo gap carries what it carries.
    { theta: [10, 0], info: sigmoid(10) * (1 - sigmoid(10)) },
    { theta: [-10, 0], info: sigmoid(10) * (1 - sigmoid(10)) },
  ];
  for (const tc of cases) it(`θ=${tc.theta}`, () => expect(battleInformation(tc.theta, 0, 1)).toBeCloseTo(tc.info, 12));
});

describe("expectedInformation: E[p(1-p)] over a normal gap, against mpmath quadrature (30 digits)", () => {
  const cases: { gap: number; variance: number; expected: number }[] = [
    { gap: 0, variance: 0, expected: 0.25 },
    { gap: 3, variance: 0, expected: sigmoid(3) * (1 - sigmoid(3)) },
    { gap: 0, variance: 0.5, expected: 0.22462336799364 },
    { gap: 0, variance: 4, expected: 0.15142637740054 },
    { gap: 2, variance: 1, expected: 0.115757983616584 },
    { gap: -3, variance: 2, expected: 0.0693708433991359 },
    { gap: 5, variance: 0.25, expected: 0.00748815790743302 },
    // An uncertain lopsided gap keeps far more than p(1-p) at the estimate (3.4e-4).
    { gap: 8, variance: 9, expected: 0.00835397485039363 },
    { gap: 0, variance: 25, expected: 0.0751448544279835 },
  ];
  for (const tc of cases) it(`gap ${tc.gap}, variance ${tc.variance}`, () => expect(expectedInformation(tc.gap, tc.variance)).toBeCloseTo(tc.expected, 7));
});

describe("outcomeVariances: each pair's E[(y - p)²], shrunk toward the pooled dispersion", () => {
  const k = VARIANCE_PRIOR_BATTLES;
  const cases: { name: string; pairs: WavePair[]; theta: number[]; expected: number[] }[] = [
    // No outcome sums: Bernoulli outcomes, variance p(1-p).
    { name: "no sums: p(1-p)", pairs: [{ i: 0, j: 1, count: 10, capacity: 0 }], theta: [1, 0], expected: [sigmoid(1) * (1 - sigmoid(1))] },
    // Every battle a tie at p = 1/2: residual 0, pooled dispersion 0, variance 0.
    { name: "all ties at an even gap", pairs: [{ i: 0, j: 1, count: 4, capacity: 0, sumY: 2, sumY2: 1 }], theta: [0, 0], expected: [0] },
    {
      // Pair 0-1: coin flips (residual 10·0.25 = 2.5); pair 1-2: ties (residual 0). Pooled dispersion 2.5 / (20·0.25) = 0.5,
      // so each is shrunk toward 0.5·0.25 with k pseudo-battles.
      name: "a noisy and a steady pair",
      pairs: [{ i: 0, j: 1, count: 10, capacity: 0, sumY: 5, sumY2: 5 }, { i: 1, j: 2, count: 10, capacity: 0, sumY: 5, sumY2: 2.5 }],
      theta: [0, 0, 0],
      expected: [(2.5 + k * 0.125) / (10 + k), (0 + k * 0.125) / (10 + k)],
    },
    {
      // A lopsided pair whose stronger side won every battle: residual 12·(1 - p)², far below p(1-p); a pair with no
      // battles yet gets the pooled dispersion times its p(1-p).
      name: "a lopsided pair won every time, and an unplayed pair",
      pairs: [{ i: 0, j: 1, count: 12, capacity: 0, sumY: 12, sumY2: 12 }, { i: 0, j: 2, count: 0, capacity: 0, sumY: 0, sumY2: 0 }],
      theta: [3, 0, 0],
      expected: (() => {
        const p = sigmoid(3);
        const residual = 12 * (1 - p) ** 2;
        const dispersion = residual / (12 * p * (1 - p));
        return [(residual + k * dispersion * p * (1 - p)) / (12 + k), dispersion * p * (1 - p)];
      })(),
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const v = outcomeVariances(tc.pairs, tc.theta);
      tc.expected.forEach((e, k2) => expect(v[k2]).toBeCloseTo(e, 12));
    });
  }
});

describe("sandwichCovariance against closed forms", () => {
  // Two models, n battles, information h and outcome variance s² each: Var(θ0) = s² / (4·n·h²) with the mean pinned.
  const cases = [
    { n: 10, gap: 0, s2: 0.25 },
    { n: 10, gap: 0, s2: 0.05 },
    { n: 40, gap: 1.5, s2: 0.08 },
  ];
  for (const tc of cases) {
    it(`2 models, ${tc.n} battles, gap ${tc.gap}, s² ${tc.s2}`, () => {
      const h = sigmoid(tc.gap) * (1 - sigmoid(tc.gap));
      const cov = sandwichCovariance(2, [{ i: 0, j: 1, count: tc.n }], [h], [tc.s2], 0);
      expect(cov[0]).toBeCloseTo(tc.s2 / (4 * tc.n * h * h), 9);
      expect(cov[1]).toBeCloseTo(-tc.s2 / (4 * tc.n * h * h), 9);
    });
  }
  it("Bernoulli outcomes (s² = p(1-p)) give the Fisher covariance", () => {
    const theta = [0.7, 0, -0.4, -1.2];
    const pairs = [
      { i: 0, j: 1, count: 7 },
      { i: 1, j: 2, count: 11 },
      { i: 2, j: 3, count: 5 },
      { i: 0, j: 3, count: 3 },
    ];
    const h = pairs.map((p) => battleInformation(theta, p.i, p.j));
    const sandwich = sandwichCovariance(4, pairs, h, h, 0);
    const fisher = boardCovariance(4, pairs, theta, 0);
    sandwich.forEach((x, k) => expect(x).toBeCloseTo(fisher[k] ?? Number.NaN, 9));
  });
});

describe("boardCovariance (mean pinned) against closed forms", () => {
  // Two models, n battles of information w: Var(θ0) = Var(θ1) = 1/(4nw), Cov = -1/(4nw).
  // Three models, c battles per pair at θ = 0: L = (c/4)(3I - J), L⁺ = (4/(3c))(I - J/3): Var = 8/(9c), Cov = -4/(9c).
  const w1 = sigmoid(1) * (1 - sigmoid(1));
  const cases: { name: string; n: number; pairs: { i: number; j: number; count: number }[]; theta: number[]; var0: number; cov01: number }[] = [
    { name: "2 models, 4 even battles", n: 2, pairs: [{ i: 0, j: 1, count: 4 }], theta: [0, 0], var0: 0.25, cov01: -0.25 },
    { name: "2 models, 100 even battles", n: 2, pairs: [{ i: 0, j: 1, count: 100 }], theta: [0, 0], var0: 0.01, cov01: -0.01 },
    { name: "2 models, 10 battles 1 nat apart", n: 2, pairs: [{ i: 0, j: 1, count: 10 }], theta: [0.5, -0.5], var0: 1 / (40 * w1), cov01: -1 / (40 * w1) },
    { name: "3 models, 9 battles per pair", n: 3, pairs: [{ i: 0, j: 1, count: 9 }, { i: 0, j: 2, count: 9 }, { i: 1, j: 2, count: 9 }], theta: [0, 0, 0], var0: 8 / 81, cov01: -4 / 81 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const cov = boardCovariance(tc.n, tc.pairs, tc.theta, 0);
      expect(cov[0]).toBeCloseTo(tc.var0, 9);
      expect(cov[1]).toBeCloseTo(tc.cov01, 9);
      // Each row sums to zero: the covariance of ratings whose mean is pinned.
      for (let r = 0; r < tc.n; r++) expect(Array.from(cov.slice(r * tc.n, (r + 1) * tc.n)).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    });
  }
});

const pairsOf = (n: number, count: (i: number, j: number) => number, capacity = 1000): WavePair[] => {
  const out: WavePair[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push({ i, j, count: count(i, j), capacity });
  return out;
};
const tally = (pairs: readonly WavePair[], picks: readonly number[]) => {
  const t = new Map<string, number>();
  for (const k of picks) {
    const p = pairs[k] as WavePair;
    t.set(`${p.i}-${p.j}`, (t.get(`${p.i}-${p.j}`) ?? 0) + 1);
  }
  return Object.fromEntries([...t].sort());
};

describe("pickWave", () => {
  it("warm-up: every pair reaches MIN_PAIR_BATTLES before any pair gets more", () => {
    const pairs = pairsOf(4, () => 0);
    const picks = pickWave({ nModels: 4, pairs, theta: [0, 0, 0, 0], waveSize: pairs.length * MIN_PAIR_BATTLES, rng: mulberry32(1) });
    expect(tally(pairs, picks)).toEqual({ "0-1": 2, "0-2": 2, "0-3": 2, "1-2": 2, "1-3": 2, "2-3": 2 });
  });

  const cases: { name: string; n: number; pairs: WavePair[]; theta: number[]; waveSize: number; focus?: number; expected: Record<string, number> }[] = [
    {
      // Model 3 has met model 2 only twice and nobody else; its interval is the widest: the wave goes to it.
      name: "the least-known model gets the wave",
      n: 4,
      pairs: [
        { i: 0, j: 1, count: 50, capacity: 100 },
        { i: 0, j: 2, count: 50, capacity: 100 },
        { i: 1, j: 2, count: 50, capacity: 100 },
        { i: 2, j: 3, count: 2, capacity: 100 },
      ],
      theta: [0, 0, 0, 0],
      waveSize: 6,
      expected: { "2-3": 6 },
    },
    {
      // Equal counts, but 0 and 2 are ~700 Elo apart: their battles say little, the close pairs get it all.
      name: "lopsided pairs are left out",
      n: 3,
      pairs: [{ i: 0, j: 1, count: 20, capacity: 100 }, { i: 0, j: 2, count: 20, capacity: 100 }, { i: 1, j: 2, count: 20, capacity: 100 }],
      theta: [2, 0, -2],
      waveSize: 4,
      expected: { "0-1": 2, "1-2": 2 },
    },
    {
      // A pair without unseen instructions is never picked, and the wave ends when capacity runs out.
      name: "capacity bounds the wave",
      n: 3,
      pairs: [{ i: 0, j: 1, count: 5, capacity: 0 }, { i: 0, j: 2, count: 5, capacity: 1 }, { i: 1, j: 2, count: 5, capacity: 2 }],
      theta: [0, 0, 0],
      waveSize: 10,
      expected: { "0-2": 1, "1-2": 2 },
    },
    {
      // Target-vs-opponents: its comparison with the distant opponent rests on the least information, so the wave goes there.
      name: "focus: battles go where the target is least certain",
      n: 3,
      pairs: [{ i: 0, j: 1, count: 10, capacity: 100 }, { i: 0, j: 2, count: 10, capacity: 100 }],
      theta: [0, 0.1, -3],
      waveSize: 3,
      focus: 0,
      expected: { "0-2": 3 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const picks = pickWave({ nModels: tc.n, pairs: tc.pairs, theta: tc.theta, waveSize: tc.waveSize, focus: tc.focus, rng: mulberry32(5) });
      expect(tally(tc.pairs, picks)).toEqual(tc.expected);
    });
  }

  it("steady outcomes count: the model whose pairs' outcomes are noisy gets the wave", () => {
    // Equal strengths and counts; pair 0-1 was a tie every time, pairs with model 2 were coin flips. Under
    // Bernoulli outcomes every model looks alike; from the outcomes, model 2's interval is the widest.
    const pairs: WavePair[] = [
      { i: 0, j: 1, count: 20, capacity: 100, sumY: 10, sumY2: 5 },
      { i: 0, j: 2, count: 20, capacity: 100, sumY: 10, sumY2: 10 },
      { i: 1, j: 2, count: 20, capacity: 100, sumY: 10, sumY2: 10 },
    ];
    const picks = pickWave({ nModels: 3, pairs, theta: [0, 0, 0], waveSize: 6, rng: mulberry32(3) });
    const t = tally(pairs, picks);
    expect(t["0-1"]).toBeUndefined();
    expect((t["0-2"] ?? 0) + (t["1-2"] ?? 0)).toBe(6);
  });

  it("targetShrink: the wave ends once the plan's widest variance has fallen by the factor, not under an eighth", () => {
    const pairs = pairsOf(4, () => 30);
    const theta = [0.6, 0.2, -0.1, -0.7];
    // exact: the plan's covariance is the Fisher one at θ, which boardCovariance gives independently.
    const wave = (targetShrink?: number) => pickWave({ nModels: 4, pairs, theta, waveSize: 64, rng: mulberry32(2), exact: true, targetShrink });
    const widest = (extra: readonly number[]) => widestVariance(boardCovariance(4, pairs.map((p, k) => ({ ...p, count: p.count + extra.filter((x) => x === k).length })), theta), 4);
    const full = wave();
    expect(full).toHaveLength(64);
    const early = wave(0.95);
    expect(early.length).toBeGreaterThan(8);
    expect(early.length).toBeLessThan(64);
    expect(early).toEqual(full.slice(0, early.length));
    // The shrink is reached at the wave's last pick, not before.
    expect(widest(early)).toBeLessThanOrEqual(0.95 * widest([]) * (1 + 1e-9));
    expect(widest(early.slice(0, -1))).toBeGreaterThan(0.95 * widest([]));
    // A shrink the wave cannot reach, or 1: the full wave; a tiny one: the floor, an eighth of the wave.
    expect(wave(0.01)).toHaveLength(64);
    expect(wave(1)).toHaveLength(64);
    expect(wave(0.9999)).toHaveLength(8);
  });

  it("is reproducible for a seed, and the pairs' order does not bias ties", () => {
    const pairs = pairsOf(5, (i, j) => 3 + ((i * 7 + j * 3) % 5));
    const theta = [0.4, 0.1, 0, -0.2, -0.6];
    const a = pickWave({ nModels: 5, pairs, theta, waveSize: 40, rng: mulberry32(9) });
    const b = pickWave({ nModels: 5, pairs, theta, waveSize: 40, rng: mulberry32(9) });
    expect(a).toEqual(b);
    expect(a).toHaveLength(40);
  });
});

describe("optimalDesignRatio: the minimax design with the strengths known", () => {
  it("two models, or models alike: the uniform design is already optimal", () => {
    expect(optimalDesignRatio([0.3, -0.3]).ratio).toBeCloseTo(1, 9);
    expect(optimalDesignRatio([0, 0, 0, 0]).ratio).toBeCloseTo(1, 3);
  });
  const ladder = (step: number) => Array.from({ length: 8 }, (_, k) => (k * step) / (400 / Math.LN10));
  // Reference: the same minimax problem solved independently (exponentiated gradient, 20,000 steps, power 64).
  const cases = [
    { spread: 350, ratio: 0.877 },
    { spread: 700, ratio: 0.702 },
    { spread: 1050, ratio: 0.604 },
    { spread: 1400, ratio: 0.538 },
  ];
  for (const tc of cases) {
    it(`8 models ${tc.spread / 7} Elo apart: ${tc.ratio}`, () => {
      const { ratio, shares } = optimalDesignRatio(ladder(tc.spread / 7));
      expect(ratio).toBeCloseTo(tc.ratio, 2);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    });
  }
  it("the greedy planner with the strengths known comes within 3% of it", () => {
    const theta = ladder(200);
    const pairs = pairsOf(8, () => 0, 1e9);
    const counts = pairs.map(() => 0);
    for (let wave = 1, planned = 0; planned < 1680; wave++) {
      const picks = pickWave({ nModels: 8, pairs: pairs.map((p, k) => ({ ...p, count: counts[k] ?? 0 })), theta, waveSize: 56, rng: mulberry32(wave), exact: true });
      for (const k of picks) counts[k] = (counts[k] ?? 0) + 1;
      planned += picks.length;
    }
    const widest = (c: readonly number[]) => widestVariance(boardCovariance(8, pairs.map((p, k) => ({ ...p, count: c[k] ?? 0 })), theta, 0), 8);
    const greedy = widest(counts) / widest(pairs.map(() => 1680 / 28));
    expect(greedy).toBeLessThan(optimalDesignRatio(theta).ratio * 1.03);
  });
});

describe("defaultWaveSize", () => {
  const cases = [
    { pairs: 1, size: 8 },
    { pairs: 7, size: 14 },
    { pairs: 28, size: 56 },
    { pairs: 2016, size: 256 },
  ];
  for (const tc of cases) it(`${tc.pairs} pairs -> ${tc.size}`, () => expect(defaultWaveSize(tc.pairs)).toBe(tc.size));
});
