import { describe, expect, it } from "vitest";
import { battleInformation, boardCovariance, defaultWaveSize, MAX_GAP, MIN_PAIR_BATTLES, pickWave, type WavePair } from "../../battles/adaptive-plan.js";
import { mulberry32 } from "../../lib/random.js";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("battleInformation", () => {
  const cases: { theta: number[]; info: number }[] = [
    { theta: [0, 0], info: 0.25 },
    { theta: [1, 0], info: sigmoid(1) * (1 - sigmoid(1)) },
    { theta: [0, -2], info: sigmoid(2) * (1 - sigmoid(2)) },
    // Beyond MAX_GAP the gap is clamped: a lopsided estimate keeps a little information.
    { theta: [10, 0], info: sigmoid(MAX_GAP) * (1 - sigmoid(MAX_GAP)) },
    { theta: [-10, 0], info: sigmoid(MAX_GAP) * (1 - sigmoid(MAX_GAP)) },
  ];
  for (const tc of cases) it(`θ=${tc.theta}`, () => expect(battleInformation(tc.theta, 0, 1)).toBeCloseTo(tc.info, 12));
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

  it("is reproducible for a seed, and the pairs' order does not bias ties", () => {
    const pairs = pairsOf(5, (i, j) => 3 + ((i * 7 + j * 3) % 5));
    const theta = [0.4, 0.1, 0, -0.2, -0.6];
    const a = pickWave({ nModels: 5, pairs, theta, waveSize: 40, rng: mulberry32(9) });
    const b = pickWave({ nModels: 5, pairs, theta, waveSize: 40, rng: mulberry32(9) });
    expect(a).toEqual(b);
    expect(a).toHaveLength(40);
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
