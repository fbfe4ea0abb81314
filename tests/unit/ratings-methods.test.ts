// The tally methods (reports/methods/): counting, average win rate, Newman, Davidson, eigen and PageRank,
// table-driven against values computed by hand (closed forms stated per case), evalica's published values
// for its five-model "simple" fixture, and each other (Newman at convergence is the Davidson MLE).
import { describe, expect, it } from "vitest";
import { averageWinRates, countingScores } from "../../reports/methods/counting.js";
import { fitDavidson } from "../../reports/methods/davidson.js";
import { fitNewman } from "../../reports/methods/newman.js";
import { eigenScores, pagerankScores } from "../../reports/methods/spectral.js";
import { tallyFromRows, tieShare, type PairTally } from "../../reports/methods/tally.js";

type Row = readonly [number, number, number, number, number];

/**
 * evalica's simple.csv (github.com/dustalov/evalica), as (i, j, wins of i, wins of j, ties):
 * 0-1: 1 win of 1, 1 tie; 0-2: 1 win of 2, 1 tie; 0-3: 1 win of 3; 0-4: 1 win of 4, 1 tie;
 * 1-2: 2 ties; 1-3: 1 win of 3, 1 tie; 2-3: 1 win of 3; 2-4: 1 tie; 3-4: 1 win of 4, 2 ties.
 */
const SIMPLE: Row[] = [
  [0, 1, 0, 1, 1],
  [0, 2, 0, 1, 1],
  [0, 3, 0, 1, 0],
  [0, 4, 0, 1, 1],
  [1, 2, 0, 0, 2],
  [1, 3, 0, 1, 1],
  [2, 3, 0, 1, 0],
  [2, 4, 0, 0, 1],
  [3, 4, 0, 1, 2],
];
const simple = (): PairTally => tallyFromRows(5, SIMPLE);

/** Three models: A beat B twice, A tied C once, B beat C once. */
const ABC: Row[] = [
  [0, 1, 2, 0, 0],
  [0, 2, 0, 0, 1],
  [1, 2, 1, 0, 0],
];

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, digits));
}

describe("counting and average win rate", () => {
  const cases: { name: string; n: number; rows: Row[]; counting: number[]; awr: number[] }[] = [
    // A: 2 wins + 0.5 tie = 2.5; B: 1 win; C: 0.5 tie. A: mean(2/2, 0.5/1) = 0.75; B: mean(0, 1) = 0.5; C: mean(0.5, 0) = 0.25.
    { name: "three models by hand", n: 3, rows: ABC, counting: [2.5, 1, 0.5], awr: [0.75, 0.5, 0.25] },
    // Only ties: each gets 0.5 per tie; each pair's rate is 0.5.
    { name: "ties only", n: 2, rows: [[0, 1, 0, 0, 4]], counting: [2, 2], awr: [0.5, 0.5] },
    // evalica's published values (simple-golden.csv, src/counting.rs tests).
    { name: "evalica simple", n: 5, rows: SIMPLE, counting: [1.5, 3, 3, 4.5, 4], awr: [0.1875, 0.5, 0.4375, 0.7708333333333334, 0.6388888888888888] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const t = tallyFromRows(tc.n, tc.rows);
      expectClose(countingScores(t), tc.counting, 12);
      expectClose(averageWinRates(t), tc.awr, 12);
    });
  }

  it("weights are parameters: tie_weight 0 makes a ties-only pair count for nobody", () => {
    const t = tallyFromRows(3, ABC);
    // A: 2 wins; B: 1 win; C: nothing. The A-C pair has zero mass both ways, so it is no opponent: A = mean(1), C = mean(0).
    expectClose(countingScores(t, { tieWeight: 0 }), [2, 1, 0], 12);
    expectClose(averageWinRates(t, { tieWeight: 0 }), [1, 0.5, 0], 12);
  });

  it("tie share is the tied mass over all mass", () => {
    expect(tieShare(tallyFromRows(3, ABC))).toBeCloseTo(1 / 4, 12);
    // simple.csv: 16 battles, 9 of them ties.
    expect(tieShare(simple())).toBeCloseTo(9 / 16, 12);
  });
});

describe("Davidson maximum likelihood", () => {
  // Two models: the model is saturated (2 parameters, 2 free outcome probabilities), so the MLE matches the
  // observed shares: π_A/π_B = wA/wB and ν = t/√(wA·wB).
  const cases = [
    { wA: 4, wB: 1, t: 2, ratio: 4, nu: 1 },
    { wA: 9, wB: 1, t: 6, ratio: 9, nu: 2 },
    { wA: 3, wB: 3, t: 3, ratio: 1, nu: 1 },
    { wA: 2, wB: 8, t: 1, ratio: 0.25, nu: 0.25 },
  ];
  for (const tc of cases) {
    it(`wins ${tc.wA}:${tc.wB}, ${tc.t} ties -> ratio ${tc.ratio}, ν ${tc.nu}`, () => {
      const fit = fitDavidson(tallyFromRows(2, [[0, 1, tc.wA, tc.wB, tc.t]]), { prior: 0 });
      expect(fit.converged).toBe(true);
      expect(Math.exp((fit.theta[0] ?? 0) - (fit.theta[1] ?? 0))).toBeCloseTo(tc.ratio, 8);
      expect(fit.nu).toBeCloseTo(tc.nu, 8);
    });
  }

  it("the default weak prior keeps an unbeaten model and a tie-free log finite", () => {
    const fit = fitDavidson(tallyFromRows(2, [[0, 1, 5, 0, 0]]));
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.theta[0])).toBe(true);
    expect((fit.theta[0] ?? 0) - (fit.theta[1] ?? 0)).toBeGreaterThan(3);
    expect(fit.nu).toBeGreaterThan(0);
    expect(fit.nu).toBeLessThan(0.1);
  });
});

describe("Newman's iteration", () => {
  it("reproduces evalica's published values at its defaults (v_init 0.5, limit 100)", () => {
    // evalica src/bradley_terry.rs test_newman on the same fixture.
    const fit = fitNewman(simple());
    expect(fit.iterations).toBe(100);
    expectClose(fit.scores, [0.01797396524323986, 0.48024292914742794, 0.4814219179584765, 12.805581189559241, 13.036548812823787], 7);
    expect(fit.v).toBeCloseTo(3.4609664512240546, 7);
  });

  it("two models at convergence: π ratio wA/wB and Newman's ν = Davidson's ν / 2", () => {
    const fit = fitNewman(tallyFromRows(2, [[0, 1, 9, 1, 6]]), { tolerance: 1e-13, limit: 100_000 });
    expect((fit.scores[0] ?? 0) / (fit.scores[1] ?? 1)).toBeCloseTo(9, 8);
    expect(fit.v).toBeCloseTo(1, 8);
  });

  it("at convergence equals the Davidson MLE on evalica's fixture (independent algorithms)", () => {
    const newman = fitNewman(simple(), { tolerance: 1e-13, limit: 100_000 });
    const davidson = fitDavidson(simple(), { prior: 0 });
    const logs = Array.from(newman.scores, Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const dMean = Array.from(davidson.theta).reduce((a, b) => a + b, 0) / davidson.theta.length;
    expectClose(
      logs.map((x) => x - mean),
      Array.from(davidson.theta, (x) => x - dMean),
      7,
    );
    expect(2 * newman.v).toBeCloseTo(davidson.nu, 8);
  });

  it("an unbeaten, untied model stays finite and on top", () => {
    const fit = fitNewman(tallyFromRows(3, [[0, 1, 3, 0, 0], [1, 2, 1, 1, 1]]));
    expect(Array.from(fit.scores).every(Number.isFinite)).toBe(true);
    expect(fit.scores[0]).toBeGreaterThan(fit.scores[1] ?? 0);
  });
});

describe("eigen", () => {
  // ABC with M = wins + 0.5 ties = [[0, 2, .5], [0, 0, 1], [.5, 0, 0]]: det(λI - M) = λ³ - 0.25λ - 1, root
  // λ = 1.0831563737; rows 3 and 2 give s_C = 0.5·s_A/λ and s_B = s_C/λ; normalised to unit length.
  const lambda = 1.083156373698895;
  const abc = [1, 0.5 / lambda ** 2, 0.5 / lambda];
  const norm = Math.hypot(...abc);
  const cases: { name: string; n: number; rows: Row[]; expected: number[] }[] = [
    // M = [[0, 3], [1, 0]]: λ = √3, s_A/s_B = √3 -> (√3/2, 1/2). The unshifted iteration would swing forever here.
    { name: "two models (bipartite)", n: 2, rows: [[0, 1, 3, 1, 0]], expected: [Math.sqrt(3) / 2, 0.5] },
    { name: "three models by hand", n: 3, rows: ABC, expected: abc.map((x) => x / norm) },
  ];
  for (const tc of cases) {
    it(tc.name, () => expectClose(eigenScores(tallyFromRows(tc.n, tc.rows), { tolerance: 1e-12, limit: 10_000 }), tc.expected, 8));
  }

  it("transpose gives evalica's literal iteration and its published values", () => {
    // simple-golden.csv, eigen (computed there at tolerance 1e-8).
    expectClose(eigenScores(simple(), { transpose: true, tolerance: 1e-8 }), [0.6955953825629274, 0.41775362411253586, 0.41958162945500665, 0.2806190746997715, 0.2946746755941242], 7);
  });
});

describe("pagerank", () => {
  const cases: { name: string; n: number; rows: Row[]; expected: number[] }[] = [
    // A beat B twice and C once, B beat C, C beat A. Losers hand their score to winners: A -> C; B -> A; C -> A, B
    // halves. π_C = .85π_A + .05, π_B = .425π_C + .05, π_A = .85(π_B + π_C/2) + .05 -> π_A = .1318125/.3316875.
    { name: "three models by hand", n: 3, rows: [[0, 1, 2, 0, 0], [0, 2, 1, 1, 0], [1, 2, 1, 0, 0]], expected: [0.397399660825325, 0.21481062747314877, 0.3877897117015262] },
    // A never lost: its row of Mᵀ is empty and spreads evenly (numpy eigenvector of the same matrix).
    { name: "an unbeaten model spreads evenly", n: 3, rows: [[0, 1, 1, 0, 0], [0, 2, 1, 0, 0], [1, 2, 1, 0, 0]], expected: [0.5208693504569029, 0.28155100024697455, 0.19757964929612265] },
    // evalica's published values (simple-golden.csv / src/linalg.rs test_pagerank).
    { name: "evalica simple", n: 5, rows: SIMPLE, expected: [0.13280040999661397, 0.15405089709854697, 0.16240277665024724, 0.2779483968089382, 0.2727975194456537] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const s = pagerankScores(tallyFromRows(tc.n, tc.rows), { tolerance: 1e-10 });
      expectClose(s, tc.expected, 8);
      expect(Array.from(s).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });
  }
});
