/**
 * score=wildbench: WildBench's pairwise reward against a baseline (WB-Reward): over the candidate's
 * judged games, reward = (win_much + win/2 - lose/2 - lose_much) / total, where total counts every
 * game including those whose judgment is missing (unparsable), which count as zero. A game is one
 * judge's verdict in one position order, so a battle judged in both orders gives two. Also per task
 * category (the instruction's category). Battles that carry only an outcome (imports, single
 * grading) count as one game: a win is `win`, a tie a tie, a loss `lose` (no strong verdicts).
 * Interval: bootstrap over games, 5% and 95% percentiles.
 */
import type { Rng } from "../../lib/random.js";
import { plainVerdict } from "./arena-hard.js";
import { meanWithInterval } from "./resample.js";
import { type BaselineBattle, byModel, type CategoryScore, type GameVerdict, type ScoreItem } from "./types.js";

export const WILDBENCH_DEFINITION =
  "wildbench: WildBench's WB-Reward against the baseline: reward = (win_much + win/2 - lose/2 - lose_much) / total over the candidate's judged games " +
  "(each judge's verdict in each position order is one game; a strong verdict >> is win_much or lose_much, a plain one win or lose), " +
  "a missing (unparsable) judgment counting as zero in the total; also per task category; battles with only an outcome " +
  "(imports, single grading) count as one game (win, tie or lose, never *_much); in [-1, 1], baseline = 0; " +
  "interval: 5% and 95% percentiles of a bootstrap over games";

/** Reward of one game from the candidate's side; a missing judgment is zero. */
export const REWARD: Readonly<Record<GameVerdict, number>> = { win_much: 1, win: 0.5, tie: 0, lose: -0.5, lose_much: -1 };

/** The rewards of a battle's games (a missing judgment is 0, and still counted). */
export function gameRewards(b: BaselineBattle): number[] {
  const games = b.games && b.games.length > 0 ? b.games : [plainVerdict(b.outcome)];
  return games.map((g) => (g === null ? 0 : REWARD[g]));
}

/** Reward per category (battles without a category are under ""), in category order. */
export function categoryRewards(list: readonly BaselineBattle[]): CategoryScore[] {
  const acc = new Map<string, { sum: number; games: number; battles: number }>();
  for (const b of list) {
    const key = b.category ?? "";
    const r = gameRewards(b);
    const a = acc.get(key) ?? { sum: 0, games: 0, battles: 0 };
    a.sum += r.reduce((s, v) => s + v, 0);
    a.games += r.length;
    a.battles++;
    acc.set(key, a);
  }
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([category, a]) => ({ category, score: a.sum / a.games, battles: a.battles }));
}

export function wildBenchScores(battles: readonly BaselineBattle[], rounds: number, rng: Rng): ScoreItem[] {
  const items: ScoreItem[] = [];
  for (const [model, list] of byModel(battles)) {
    const rewards = list.flatMap(gameRewards);
    items.push({ model, ...meanWithInterval(rewards, rounds, rng), battles: list.length, games: rewards.length, categories: categoryRewards(list) });
  }
  return items;
}
