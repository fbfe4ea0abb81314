// Bradley-Terry: closed forms, an independent brute-force likelihood maximiser, Zermelo's MM iteration,
// invariances (order, side swap), weights, anchoring and the prior's handling of degenerate data.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { BT_PRIOR, computeBradleyTerry } from "../../reports/bradley-terry.js";
import { computeLeaderboard } from "../../reports/leaderboard.js";
import { xoshiroRng } from "../../lib/random.js";

const ELO_PER_NAT = 400 / Math.LN10;

/** Root of W - n·σ(d) - λ·d/2 = 0 by bisection (the two-model stationarity condition under the prior). */
function penalisedGap(wins: number, n: number, lambda: number): number {
  let lo = -30;
  let hi = 30;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (wins - n / (1 + Math.exp(-mid)) - (lambda * mid) / 2 > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function repeat(modelA: string, modelB: string, outcome: number, times: number): Battle[] {
  return Array.from({ length: times }, () => ({ modelA, modelB, outcome }));
}

function ratingOf(models: string[], ratings: Float64Array, m: string): number {
  const r = ratings[models.indexOf(m)];
  if (r === undefined) throw new Error(`no rating for ${m}`);
  return r;
}

describe("two models: rating gap = 400·log10(p / (1 - p)), p = (wins + ties/2) / battles", () => {
  const cases = [
    { wins: 7, ties: 0, losses: 3 },
    { wins: 1, ties: 0, losses: 1 },
    { wins: 9, ties: 2, losses: 1 },
    { wins: 3, ties: 5, losses: 12 },
    { wins: 40, ties: 0, losses: 1 },
  ];
  for (const tc of cases) {
    it(`${tc.wins}-${tc.ties}-${tc.losses}`, () => {
      const n = tc.wins + tc.ties + tc.losses;
      const p = (tc.wins + tc.ties / 2) / n;
      const gap = 400 * Math.log10(p / (1 - p));
      // Mixed sides: some of x's wins are recorded with x as model_b.
      const battles = [...repeat("x", "y", 1, tc.wins - 1), ...repeat("y", "x", 0, 1), ...repeat("x", "y", 0.5, tc.ties), ...repeat("y", "x", 1, tc.losses)];
      const { models, ratings } = computeBradleyTerry(battles, { prior: 0 });
      expect(ratingOf(models, ratings, "x") - ratingOf(models, ratings, "y")).toBeCloseTo(gap, 6);
      expect((ratingOf(models, ratings, "x") + ratingOf(models, ratings, "y")) / 2).toBeCloseTo(1000, 9);
      // With the default prior the gap d (nats) solves W - n·σ(d) = λ·d/2 instead (θ = ±d/2 at the optimum).
      const withPrior = computeBradleyTerry(battles);
      const dPrior = penalisedGap(tc.wins + tc.ties / 2, n, BT_PRIOR);
      expect(ratingOf(withPrior.models, withPrior.ratings, "x") - ratingOf(withPrior.models, withPrior.ratings, "y")).toBeCloseTo(dPrior * ELO_PER_NAT, 6);
      expect(Math.abs(dPrior * ELO_PER_NAT - gap)).toBeLessThan(0.001 * Math.abs(gap) + 1e-9);
    });
  }

  it("soft outcomes count as fractional wins", () => {
    const battles = [{ modelA: "x", modelB: "y", outcome: 0.9 }, { modelA: "y", modelB: "x", outcome: 0.6 }];
    const p = (0.9 + 0.4) / 2;
    const { models, ratings } = computeBradleyTerry(battles, { prior: 0 });
    expect(ratingOf(models, ratings, "x") - ratingOf(models, ratings, "y")).toBeCloseTo(400 * Math.log10(p / (1 - p)), 6);
  });
});

/** Log-likelihood of natural-scale strengths, straight from the battle rows. */
function logLik(theta: Map<string, number>, battles: Battle[]): number {
  let ll = 0;
  for (const b of battles) {
    const d = (theta.get(b.modelA) ?? 0) - (theta.get(b.modelB) ?? 0);
    const w = b.weight ?? 1;
    ll += w * (b.outcome * -Math.log1p(Math.exp(-d)) + (1 - b.outcome) * -Math.log1p(Math.exp(d)));
  }
  return ll;
}

/** Independent maximiser: cyclic golden-section line searches, first model pinned at 0. */
function bruteForceMle(models: string[], battles: Battle[]): Map<string, number> {
  const theta = new Map(models.map((m) => [m, 0]));
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let sweep = 0; sweep < 300; sweep++) {
    for (const m of models.slice(1)) {
      let lo = -12;
      let hi = 12;
      const at = (x: number): number => logLik(new Map(theta).set(m, x), battles);
      while (hi - lo > 1e-11) {
        const x1 = hi - phi * (hi - lo);
        const x2 = lo + phi * (hi - lo);
        if (at(x1) < at(x2)) lo = x1;
        else hi = x2;
      }
      theta.set(m, (lo + hi) / 2);
    }
  }
  return theta;
}

describe("three models: matches a brute-force likelihood maximisation", () => {
  const cases: { name: string; battles: Battle[] }[] = [
    {
      name: "transitive with ties",
      battles: [...repeat("a", "b", 1, 6), ...repeat("b", "a", 1, 2), ...repeat("b", "c", 1, 5), ...repeat("c", "b", 0.5, 3), ...repeat("a", "c", 1, 4), ...repeat("c", "a", 1, 1)],
    },
    {
      name: "cyclic (a > b > c > a) with a soft outcome",
      battles: [...repeat("a", "b", 1, 5), ...repeat("b", "a", 1, 2), ...repeat("b", "c", 1, 5), ...repeat("c", "b", 1, 2), ...repeat("c", "a", 1, 5), ...repeat("a", "c", 1, 3), { modelA: "a", modelB: "b", outcome: 0.25 }],
    },
    {
      name: "a path graph (a and c never meet)",
      battles: [...repeat("a", "b", 1, 3), ...repeat("b", "a", 1, 1), ...repeat("c", "b", 1, 2), ...repeat("b", "c", 1, 3)],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { models, ratings } = computeBradleyTerry(tc.battles, { prior: 0 });
      const ref = bruteForceMle(["a", "b", "c"], tc.battles);
      for (const [m1, m2] of [["a", "b"], ["b", "c"], ["a", "c"]] as const) {
        const expected = ((ref.get(m1) ?? 0) - (ref.get(m2) ?? 0)) * ELO_PER_NAT;
        expect(ratingOf(models, ratings, m1) - ratingOf(models, ratings, m2)).toBeCloseTo(expected, 4);
      }
    });
  }
});

/** Zermelo / Hunter (2004) MM iteration: π_i ← W_i / Σ_j n_ij / (π_i + π_j), a different algorithm. */
function zermelo(models: string[], battles: Battle[]): Map<string, number> {
  const wins = new Map(models.map((m) => [m, 0]));
  const n = new Map<string, number>();
  const key = (x: string, y: string): string => (x < y ? `${x}|${y}` : `${y}|${x}`);
  for (const b of battles) {
    wins.set(b.modelA, (wins.get(b.modelA) ?? 0) + b.outcome);
    wins.set(b.modelB, (wins.get(b.modelB) ?? 0) + 1 - b.outcome);
    n.set(key(b.modelA, b.modelB), (n.get(key(b.modelA, b.modelB)) ?? 0) + 1);
  }
  let pi = new Map(models.map((m) => [m, 1]));
  for (let it = 0; it < 20000; it++) {
    const next = new Map<string, number>();
    for (const i of models) {
      let denom = 0;
      for (const j of models) if (j !== i) denom += (n.get(key(i, j)) ?? 0) / ((pi.get(i) ?? 1) + (pi.get(j) ?? 1));
      next.set(i, (wins.get(i) ?? 0) / denom);
    }
    pi = next;
  }
  return new Map([...pi].map(([m, p]) => [m, Math.log(p)]));
}

it("four models: matches Zermelo's MM iteration", () => {
  const rng = xoshiroRng(11);
  const strength: Record<string, number> = { p: 1.2, q: 0.4, r: 0, s: -0.9 };
  const names = Object.keys(strength);
  const battles: Battle[] = [];
  for (let k = 0; k < 400; k++) {
    const a = names[Math.floor(rng() * 4)] ?? "p";
    const b = names[Math.floor(rng() * 4)] ?? "q";
    if (a === b) continue;
    const pa = 1 / (1 + Math.exp((strength[b] ?? 0) - (strength[a] ?? 0)));
    battles.push({ modelA: a, modelB: b, outcome: rng() < 0.15 ? 0.5 : rng() < pa ? 1 : 0 });
  }
  const ref = zermelo(names, battles);
  const { models, ratings } = computeBradleyTerry(battles, { prior: 0 });
  for (const m of names) {
    const expected = ((ref.get(m) ?? 0) - (ref.get("r") ?? 0)) * ELO_PER_NAT;
    expect(ratingOf(models, ratings, m) - ratingOf(models, ratings, "r")).toBeCloseTo(expected, 5);
  }
});

describe("invariances", () => {
  const rng = xoshiroRng(3);
  const names = ["m1", "m2", "m3", "m4", "m5"];
  const battles: Battle[] = [];
  for (let k = 0; k < 300; k++) {
    const i = Math.floor(rng() * 5);
    const j = (i + 1 + Math.floor(rng() * 4)) % 5;
    battles.push({ modelA: names[i] ?? "", modelB: names[j] ?? "", outcome: [0, 0.5, 1][Math.floor(rng() * 3)] ?? 1 });
  }
  const board = computeLeaderboard(battles, { method: "bt", bootstrap: 20, seed: 5 });

  it("a shuffled battle order gives the identical board, intervals included", () => {
    const shuffled = [...battles];
    for (let k = shuffled.length - 1; k > 0; k--) {
      const j = Math.floor(rng() * (k + 1));
      [shuffled[k], shuffled[j]] = [shuffled[j] as Battle, shuffled[k] as Battle];
    }
    expect(computeLeaderboard(shuffled, { method: "bt", bootstrap: 20, seed: 5 })).toEqual(board);
  });

  it("swapping sides and outcome -> 1 - outcome gives the identical board", () => {
    const swapped = battles.map((b) => ({ modelA: b.modelB, modelB: b.modelA, outcome: 1 - b.outcome }));
    expect(computeLeaderboard(swapped, { method: "bt", bootstrap: 20, seed: 5 })).toEqual(board);
  });

  it("a battle of weight 3 equals three copies", () => {
    const weighted = [{ modelA: "m1", modelB: "m2", outcome: 1, weight: 3 }, ...battles];
    const copied = [...repeat("m1", "m2", 1, 3), ...battles];
    const w = computeBradleyTerry(weighted);
    const c = computeBradleyTerry(copied);
    for (let i = 0; i < 5; i++) expect(w.ratings[i]).toBeCloseTo(c.ratings[i] ?? 0, 8);
  });

  const anchors = [
    { baseline: "m3", baselineRating: 1114 },
    { baseline: "m1", baselineRating: undefined },
    { baseline: undefined, baselineRating: 1500 },
  ];
  it.each(anchors)("anchoring ($baseline at $baselineRating) only shifts the scale", (anchor) => {
    const free = computeBradleyTerry(battles);
    const pinned = computeBradleyTerry(battles, anchor);
    const target = anchor.baselineRating ?? 1000;
    if (anchor.baseline) expect(ratingOf(pinned.models, pinned.ratings, anchor.baseline)).toBeCloseTo(target, 9);
    else expect(pinned.ratings.reduce((s, r) => s + r, 0) / 5).toBeCloseTo(target, 9);
    const shift = (pinned.ratings[0] ?? 0) - (free.ratings[0] ?? 0);
    for (let i = 0; i < 5; i++) expect((pinned.ratings[i] ?? 0) - (free.ratings[i] ?? 0)).toBeCloseTo(shift, 9);
  });
});

describe("degenerate data under the default prior", () => {
  it("a model that never wins gets a finite, lowest rating", () => {
    const battles = [...repeat("a", "b", 1, 3), ...repeat("b", "a", 1, 2), ...repeat("z", "a", 0, 4), ...repeat("b", "z", 1, 4)];
    const { models, ratings, fit } = computeBradleyTerry(battles);
    expect(fit.converged).toBe(true);
    const z = ratingOf(models, ratings, "z");
    expect(Number.isFinite(z)).toBe(true);
    expect(z).toBeLessThan(Math.min(ratingOf(models, ratings, "a"), ratingOf(models, ratings, "b")) - 400);
  });

  it("disconnected components are each centred on the same mean, gaps as if fitted alone", () => {
    const battles = [...repeat("a", "b", 1, 3), ...repeat("b", "a", 1, 1), ...repeat("c", "d", 1, 1), ...repeat("d", "c", 1, 1)];
    const { models, ratings } = computeBradleyTerry(battles);
    const r = (m: string): number => ratingOf(models, ratings, m);
    expect((r("a") + r("b")) / 2).toBeCloseTo(1000, 6);
    expect((r("c") + r("d")) / 2).toBeCloseTo(1000, 6);
    expect(r("a") - r("b")).toBeCloseTo(penalisedGap(3, 4, BT_PRIOR) * ELO_PER_NAT, 6);
    expect(r("c") - r("d")).toBeCloseTo(0, 6);
  });
});
