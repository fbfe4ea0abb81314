import { describe, expect, it } from "vitest";
import { computeFeedback, type FeedbackBattle, gameAgreement } from "../../src/generator/feedback.js";

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
    const fb = computeFeedback(battles, { priorBattles: 0, sharpness: 1, uniformMix: 0, minBattles: 1 });
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

  it("sharpness 1 keeps weights linear in the smoothed loss rate", () => {
    const fb = computeFeedback(battles, { sharpness: 1 });
    expect(fb.categories[0]?.weight).toBeCloseTo(0.9 * (5.1875 / 9 / 0.875) + 0.05, 12);
  });

  it("with defaults: shrinks towards the overall rate, squares, and mixes in 10% uniform", () => {
    // smoothed: math (3 + 5 * 0.4375) / 9 = 5.1875 / 9; writing (0.5 + 2.1875) / 9 = 2.6875 / 9
    // squared: 26.91015625 / 81 and 7.22265625 / 81, sum 34.1328125 / 81
    // weight = 0.9 * squared / sum + 0.1 / 2
    const fb = computeFeedback(battles);
    const [math, writing] = fb.categories;
    expect(math?.smoothedLossRate).toBeCloseTo(5.1875 / 9, 12);
    expect(math?.weight).toBeCloseTo(0.9 * (26.91015625 / 34.1328125) + 0.05, 12);
    expect(writing?.weight).toBeCloseTo(0.9 * (7.22265625 / 34.1328125) + 0.05, 12);
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

  it("reports listed categories without battles at the overall rate, and never gives a weight of 0", () => {
    // only math battles, all lost: overall 1; coding has no battles -> smoothed (0 + 5 * 1) / 5 = 1
    const fb = computeFeedback([b("math", 0), b("math", 0)], {}, ["coding", "math", "writing"]);
    expect(fb.categories.map((c) => c.category)).toEqual(["coding", "math", "writing"]);
    expect(fb.categories.map((c) => c.battles)).toEqual([0, 2, 0]);
    for (const c of fb.categories) expect(c.weight).toBeCloseTo(1 / 3, 12);
  });

  it("falls back to uniform weights when the target never loses", () => {
    const fb = computeFeedback([b("a", 1), b("b", 1), b("b", 1)]);
    expect(fb.categories.map((c) => c.weight)).toEqual([0.5, 0.5]);
  });

  it("weights always sum to 1 and stay above uniformMix / k", () => {
    const list = Array.from({ length: 57 }, (_, i) => b(`c${i % 6}`, (i * 7) % 3 === 0 ? 0 : (i % 4) / 3));
    const fb = computeFeedback(list);
    expect(fb.categories.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 12);
    for (const c of fb.categories) expect(c.weight).toBeGreaterThanOrEqual(0.1 / 6);
  });
});
