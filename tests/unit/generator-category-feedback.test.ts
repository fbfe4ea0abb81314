import { describe, expect, it } from "vitest";
import { betaQuantile } from "../../src/generator/algorithms/beta.js";
import { computeFeedback, type FeedbackBattle, gameAgreement } from "../../src/generator/algorithms/category-feedback.js";
import { fitLossPrior } from "../../src/generator/algorithms/loss-prior.js";

const b = (category: string, targetScore: number, judgeScores: number[] = []): FeedbackBattle => ({
  category,
  targetScore,
  margin: Math.abs(targetScore - 0.5) * 2,
  judgeScores,
});

describe("gameAgreement", () => {
  const cases = [
    // sides +, -, +, +: of 6 pairs, (0,2), (0,3), (2,3) agree
    { scores: [1, 0, 1, 1], want: 0.5 },
    { scores: [1, 0.75], want: 1 },
    // sides 0, 0, +: one agreeing pair of 3
    { scores: [0.5, 0.5, 1], want: 1 / 3 },
    { scores: [1], want: null },
    { scores: [], want: null },
  ];
  for (const tc of cases) it(JSON.stringify(tc.scores), () => expect(gameAgreement(tc.scores)).toEqual(tc.want));
});

describe("computeFeedback", () => {
  // math: the target loses 3 of 4; writing: wins 3, one tie. Overall loss rate (3 + 0.5) / 8 = 0.4375.
  const battles = [b("math", 0), b("math", 0), b("math", 0), b("math", 1), b("writing", 1), b("writing", 1), b("writing", 0.5), b("writing", 1)];

  it("without smoothing or sharpening: weights proportional to loss rates", () => {
    const fb = computeFeedback(battles, { priorBattles: 0, maxPriorBattles: 0, sharpness: 1, uniformMix: 0, minBattles: 1 });
    const [math, writing] = fb.categories;
    expect(fb.overallLossRate).toBeCloseTo(0.4375, 12);
    expect(math).toMatchObject({ category: "math", battles: 4, wins: 1, losses: 3, ties: 0, lossRate: 0.75, informativeness: 1, tieRate: 0 });
    expect(writing).toMatchObject({ category: "writing", battles: 4, wins: 3, losses: 0, ties: 1, lossRate: 0.125, informativeness: 0.75, tieRate: 0.25 });
    expect(math?.weight).toBeCloseTo(0.75 / 0.875, 12);
    expect(writing?.weight).toBeCloseTo(0.125 / 0.875, 12);
    expect(writing?.meanMargin).toBeCloseTo(0.75, 12);
    expect(fb.complexity).toEqual([
      { category: "math", adjustment: 0, reason: "informative" },
      { category: "writing", adjustment: 1, reason: "target wins nearly all (loss rate 0.13)" },
    ]);
  });

  // The prior (loss-prior.ts): mean (3.5 + 0.5) / 9 = 4/9. Spread: p = 0.4375, Q = 4·0.3125²·2 - 1·p(1-p)
  // = 0.53515625, D = 8 - 32/8 = 4, τ² = 0.1337890625, moments strength 0.8455 -> clamped to 5 pseudo-battles:
  // Beta(20/9, 25/9). Posteriors: math Beta(3 + 20/9, 1 + 25/9) = Beta(47/9, 34/9), mean 47/81;
  // writing Beta(0.5 + 20/9, 3.5 + 25/9) = Beta(49/18, 113/18), mean 49/162.
  it("sharpness 1 keeps weights linear in the smoothed loss rate", () => {
    const fb = computeFeedback(battles, { sharpness: 1 });
    expect(fb.categories[0]?.weight).toBeCloseTo(0.9 * (94 / 143) + 0.05, 12);
  });

  it("with defaults: a fitted Beta prior, squared, 10% uniform mixed in, with credible intervals", () => {
    const fb = computeFeedback(battles);
    const [math, writing] = fb.categories;
    expect(fb.prior.strength).toBe(5);
    expect(fb.prior.between).toBeCloseTo(0.1337890625, 12);
    expect(fb.prior.alpha).toBeCloseTo(20 / 9, 12);
    expect(math?.smoothedLossRate).toBeCloseTo(47 / 81, 12);
    expect(writing?.smoothedLossRate).toBeCloseTo(49 / 162, 12);
    // squared: 94² and 49² (over 162²); weight = 0.9 * squared / sum + 0.1 / 2
    expect(math?.weight).toBeCloseTo(0.9 * (8836 / 11237) + 0.05, 12);
    expect(writing?.weight).toBeCloseTo(0.9 * (2401 / 11237) + 0.05, 12);
    expect(math?.lossRateLow).toBeCloseTo(betaQuantile(0.025, 47 / 9, 34 / 9), 12);
    expect(math?.lossRateHigh).toBeCloseTo(betaQuantile(0.975, 47 / 9, 34 / 9), 12);
    expect(writing?.lossRateHigh).toBeCloseTo(betaQuantile(0.975, 49 / 18, 113 / 18), 12);
    for (const c of fb.categories) {
      expect(c.lossRateLow).toBeLessThan(c.smoothedLossRate);
      expect(c.lossRateHigh).toBeGreaterThan(c.smoothedLossRate);
      expect(c.weightLow).toBeLessThan(c.weight);
      expect(c.weightHigh).toBeGreaterThan(c.weight);
    }
    expect((math?.weight ?? 0) + (writing?.weight ?? 0)).toBeCloseTo(1, 12);
    // 4 battles < minBattles 5: no adjustment
    expect(fb.complexity.map((c) => c.adjustment)).toEqual([0, 0]);
  });

  const adjustmentCases = [
    { name: "target loses nearly all -> easier", list: Array.from({ length: 10 }, (_, i) => b("x", i === 0 ? 1 : 0)), want: -1, reason: /loses nearly all/ },
    { name: "judges disagree -> easier", list: Array.from({ length: 6 }, (_, i) => b("x", i % 2, [1, 0, 0, 1])), want: -1, reason: /judges disagree \(agreement 0\.33\)/ },
    { name: "mostly ties -> easier", list: [...Array.from({ length: 4 }, () => b("x", 0.5)), b("x", 1), b("x", 0)], want: -1, reason: /mostly ties/ },
    { name: "target wins nearly all -> harder", list: Array.from({ length: 10 }, (_, i) => b("x", i < 9 ? 1 : 0, [1, 1])), want: 1, reason: /wins nearly all/ },
    { name: "balanced -> unchanged", list: Array.from({ length: 10 }, (_, i) => b("x", i % 2, [i % 2, i % 2])), want: 0, reason: /informative/ },
    { name: "too few battles -> unchanged", list: [b("x", 0), b("x", 0)], want: 0, reason: /too few battles \(2 < 5\)/ },
  ];
  for (const tc of adjustmentCases) {
    it(tc.name, () => {
      const c = computeFeedback(tc.list).complexity[0];
      expect(c?.adjustment).toBe(tc.want);
      expect(c?.reason).toMatch(tc.reason);
    });
  }

  it("reports listed categories without battles at the prior's rate, and never gives a weight of 0", () => {
    // Only math has battles (2, both lost): one category shows no spread, so the prior takes its
    // full strength (1000) at mean 2.5 / 3 and every category sits at about that rate.
    const fb = computeFeedback([b("math", 0), b("math", 0)], {}, ["coding", "math", "writing"]);
    expect(fb.categories.map((c) => c.category)).toEqual(["coding", "math", "writing"]);
    expect(fb.categories.map((c) => c.battles)).toEqual([0, 2, 0]);
    expect(fb.prior).toMatchObject({ strength: 1000, between: 0 });
    expect(fb.categories[0]?.smoothedLossRate).toBeCloseTo(2.5 / 3, 12);
    for (const c of fb.categories) expect(c.weight).toBeCloseTo(1 / 3, 3);
  });

  it("gives near-uniform weights when the target never loses", () => {
    const fb = computeFeedback([b("a", 1), b("b", 1), b("b", 1)]);
    for (const c of fb.categories) expect(c.weight).toBeCloseTo(0.5, 3);
  });

  it("weights always sum to 1 and stay above uniformMix / k", () => {
    const list = Array.from({ length: 57 }, (_, i) => b(`c${i % 6}`, (i * 7) % 3 === 0 ? 0 : (i % 4) / 3));
    const fb = computeFeedback(list);
    expect(fb.categories.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 12);
    for (const c of fb.categories) expect(c.weight).toBeGreaterThanOrEqual(0.1 / 6);
  });
});

describe("smoothed weights are not steered by noise", () => {
  const many = (category: string, n: number, losses: number) => Array.from({ length: n }, (_, i) => b(category, i < losses ? 0 : 1));
  const weightOf = (fb: ReturnType<typeof computeFeedback>, c: string) => fb.categories.find((x) => x.category === c);

  it("loss rates near zero: one unlucky battle in 40 does not take the run", () => {
    // Before smoothing with a fitted prior, "a" got 92% of the weight here.
    const fb = computeFeedback([...many("a", 40, 1), ...many("b", 40, 0), ...many("c", 40, 0), ...many("d", 40, 0)]);
    const a = weightOf(fb, "a");
    // The spread is within sampling noise: the prior takes its full strength.
    expect(fb.prior.strength).toBe(1000);
    expect(a?.weight).toBeLessThan(0.35);
    // Its interval straddles the uniform share: the data cannot tell it apart from the rest.
    expect(a?.weightLow).toBeLessThan(0.25);
    expect(a?.weightHigh).toBeGreaterThan(0.25);
  });

  it("few battles: two lost battles do not outweigh three hundred", () => {
    // Before: 57% of the weight for "thin" against 0.2 loss rates on 100 battles each.
    const fb = computeFeedback([...many("thin", 2, 2), ...many("b", 100, 20), ...many("c", 100, 20), ...many("d", 100, 20)]);
    const thin = weightOf(fb, "thin");
    const other = weightOf(fb, "b");
    expect(thin?.weight).toBeLessThan(0.35);
    expect((thin?.lossRateHigh ?? 0) - (thin?.lossRateLow ?? 0)).toBeGreaterThan(1.5 * ((other?.lossRateHigh ?? 0) - (other?.lossRateLow ?? 0)));
  });

  it("a real weakness still steers, and its interval says so", () => {
    const fb = computeFeedback([...many("a", 40, 20), ...many("b", 40, 2), ...many("c", 40, 2), ...many("d", 40, 2)]);
    const a = weightOf(fb, "a");
    expect(a?.weight).toBeGreaterThan(0.8);
    for (const c of ["b", "c", "d"]) expect(a?.weightLow).toBeGreaterThan(weightOf(fb, c)?.weightHigh ?? 1);
  });
});

describe("fitLossPrior", () => {
  const cases = [
    // Homogeneous (spread below sampling noise): full strength at the smoothed overall rate.
    { name: "noise only", groups: [{ battles: 40, losses: 1 }, { battles: 40, losses: 0 }], strength: 1000, mean: 1.5 / 81 },
    // p = 0.0625, Q = 40·(0.1875² + 3·0.0625²) - 3·p(1-p) = 1.69921875, D = 120, τ² = 0.01416015625;
    // mean 10.5 / 161, moments 3.31 -> clamped to 5.
    { name: "a real spread", groups: [{ battles: 40, losses: 10 }, { battles: 40, losses: 0 }, { battles: 40, losses: 0 }, { battles: 40, losses: 0 }], strength: 5, mean: 10.5 / 161, between: 0.01416015625 },
    { name: "no battles", groups: [{ battles: 0, losses: 0 }], strength: 1000, mean: 0.5 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const prior = fitLossPrior(tc.groups, 5, 1000);
      expect(prior.strength).toBeCloseTo(tc.strength, 9);
      expect(prior.mean).toBeCloseTo(tc.mean, 12);
      expect(prior.alpha + prior.beta).toBeCloseTo(prior.strength, 9);
      if (tc.between !== undefined) expect(prior.between).toBeCloseTo(tc.between, 12);
    });
  }
});
