/**
 * score=winrate: the share of battles the candidate wins against the baseline, a tie counting as
 * half: (wins + ties / 2) / battles. A battle's direction is its combined outcome's (model A's share
 * above, at or below one half, as judges/labels.ts classifies it), so a soft 0.6 is a win. Works for
 * every battle, round or imported. Interval: bootstrap over battles, 5% and 95% percentiles.
 */
import type { Rng } from "../../lib/random.js";
import { meanWithInterval } from "./resample.js";
import { type BaselineBattle, byModel, type ScoreItem } from "./types.js";

export const WINRATE_DEFINITION =
  "winrate: (wins + ties/2) / battles against the baseline, a battle's direction taken from its combined outcome " +
  "(share > 0.5 win, = 0.5 tie, < 0.5 loss); every battle counts, round or imported; in [0, 1], baseline = 0.5; " +
  "interval: 5% and 95% percentiles of a bootstrap over battles";

/** Outcomes within this distance of one half are ties (the judges' TIE_EPSILON, against float noise). */
const TIE_EPSILON = 1e-9;

/** 1 for a win, 0.5 for a tie, 0 for a loss (the candidate's share in [0, 1]). */
export function winValue(share: number): number {
  if (share > 0.5 + TIE_EPSILON) return 1;
  if (share < 0.5 - TIE_EPSILON) return 0;
  return 0.5;
}

/** Plain win rate of a list of battles (NaN when empty). */
export function plainWinRate(battles: readonly BaselineBattle[]): number {
  if (battles.length === 0) return Number.NaN;
  return battles.reduce((s, b) => s + winValue(b.outcome), 0) / battles.length;
}

export function winRateScores(battles: readonly BaselineBattle[], rounds: number, rng: Rng): ScoreItem[] {
  const items: ScoreItem[] = [];
  for (const [model, list] of byModel(battles)) {
    const est = meanWithInterval(Float64Array.from(list, (b) => winValue(b.outcome)), rounds, rng);
    items.push({ model, ...est, battles: list.length });
  }
  return items;
}
