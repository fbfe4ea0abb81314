// judgeOutcome rebuilds one judge's battle outcome from its stored game scores, as the worker did.
import { describe, expect, it } from "vitest";
import { judgeOutcome, rewardShare, type GameScores, type JudgeMode, type SwapRule } from "../../judges/index.js";

const CASES: [string, JudgeMode, GameScores, SwapRule, number | null][] = [
  ["pairwise, both games agree (mean)", "pairwise", { AB: 1, BA: 0.75 }, "soft", 0.875],
  ["pairwise, a win and a tie, soft: the mean", "pairwise", { AB: 0.75, BA: 0.5 }, "soft", 0.625],
  ["pairwise, a win and a tie, strict: a tie", "pairwise", { AB: 0.75, BA: 0.5 }, "strict", 0.5],
  ["pairwise, opposite games: a tie (soft)", "pairwise", { AB: 1, BA: 0 }, "soft", 0.5],
  ["pairwise, opposite games: a tie (strict)", "pairwise", { AB: 0.25, BA: 1 }, "strict", 0.5],
  ["pairwise, one valid game alone", "pairwise", { BA: 0.25 }, "strict", 0.25],
  ["pairwise, no valid game", "pairwise", {}, "soft", null],
  ["single, 8 against 6", "single", { A: 8, B: 6 }, "soft", 0.5 + 2 / 18],
  ["single, 3 against 10", "single", { A: 3, B: 10 }, "soft", 0.5 - 7 / 18],
  ["single, one rating missing", "single", { A: 8 }, "soft", null],
  ["reward, scores 2 and 1", "reward", { A: 2, B: 1 }, "soft", 1 / (1 + Math.exp(-1))],
  ["reward, one score missing", "reward", { B: 1 }, "soft", null],
];

describe("judgeOutcome", () => {
  it.each(CASES)("%s", (_name, mode, games, rule, expected) => {
    const out = judgeOutcome(mode, games, rule);
    if (expected === null) expect(out).toBeNull();
    else expect(out).toBeCloseTo(expected, 12);
  });

  it("rewardShare is the logistic of the score difference, 0.5 for equal scores", () => {
    expect(rewardShare(0.3, 0.3)).toBe(0.5);
    expect(rewardShare(1, 0)).toBeCloseTo(0.7310585786300049, 15);
    expect(rewardShare(0, 1) + rewardShare(1, 0)).toBeCloseTo(1, 15);
  });
});
