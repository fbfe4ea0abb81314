/**
 * Feedback from arena results to the next generation run (pure). Per category, from the battles of a
 * model under training (the target) against its opponents:
 * - `lossRate`: 1 - the target's pooled outcome (a tie counts half);
 * - `informativeness`: the share of decisive battles (margin >= `decisiveMargin`), with `meanMargin`;
 * - `smoothedLossRate`, with `lossRateLow`/`lossRateHigh`: the posterior mean and 95% credible interval
 *   of the loss rate under a Beta prior fitted to all categories (loss-prior.ts: empirical Bayes,
 *   between `priorBattles` and `maxPriorBattles` pseudo-battles), so a category with few battles, or
 *   loss rates near zero that differ by one unlucky battle, does not steer the next run;
 * - `weight`: the sampling weight for the next run: the smoothed loss rate raised to `sharpness`
 *   (2: a category lost twice as often gets four times the weight), normalised, then mixed with the
 *   uniform distribution by `uniformMix`, so no category ever drops to 0; weights sum to 1.
 *   `weightLow`/`weightHigh` are the weight with this category's rate at either end of its interval
 *   (the others at their means): how far the data could move it;
 * - a complexity `adjustment`: -1 (easier) where the target loses nearly all, or the judges disagree
 *   or call most battles ties (instructions nobody answers well or that cannot separate models);
 *   +1 (harder) where the target wins nearly all; 0 otherwise or with too few battles.
 */

import { betaInterval } from "./beta.js";
import { fitLossPrior, type LossPrior, lossPosterior } from "./loss-prior.js";

export interface FeedbackBattle {
  category: string;
  /** The target's share of the battle in [0, 1]; 0.5 is a tie. */
  targetScore: number;
  /** Judge margin in [0, 1] as stored with the battle (|outcome - 0.5| * 2). */
  margin: number;
  /** The target's share in each valid single judge game (judge x order), for judge agreement. */
  judgeScores: readonly number[];
}

export const FEEDBACK_DEFAULTS = {
  /** Least strength of the fitted Beta prior, in pseudo-battles. */
  priorBattles: 5,
  /** Most strength of the fitted Beta prior (reached when categories differ by noise only). */
  maxPriorBattles: 1000,
  intervalLevel: 0.95,
  sharpness: 2,
  uniformMix: 0.1,
  decisiveMargin: 0.5,
  minBattles: 5,
  easyLossRate: 0.2,
  hardLossRate: 0.8,
  minAgreement: 0.5,
  maxTieRate: 0.5,
};

export type FeedbackOptions = Partial<typeof FEEDBACK_DEFAULTS>;

export interface CategoryFeedback {
  category: string;
  weight: number;
  lossRate: number;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
  smoothedLossRate: number;
  lossRateLow: number;
  lossRateHigh: number;
  weightLow: number;
  weightHigh: number;
  informativeness: number;
  meanMargin: number;
  tieRate: number;
  /** Mean share of agreeing pairs of judge games per battle; null when no battle had two valid games. */
  judgeAgreement: number | null;
}

export interface ComplexityAdjustment {
  category: string;
  adjustment: -1 | 0 | 1;
  reason: string;
}

export interface Feedback {
  categories: CategoryFeedback[];
  complexity: ComplexityAdjustment[];
  battles: number;
  overallLossRate: number;
  /** The Beta prior the loss rates were smoothed with. */
  prior: LossPrior;
}

const side = (s: number): number => (s > 0.5 ? 1 : s < 0.5 ? -1 : 0);

/** Share of agreeing pairs among a battle's judge games (same side: target, opponent or tie); null below 2 games. */
export function gameAgreement(scores: readonly number[]): number | null {
  if (scores.length < 2) return null;
  let pairs = 0;
  let same = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = i + 1; j < scores.length; j++) {
      pairs++;
      if (side(scores[i] ?? 0.5) === side(scores[j] ?? 0.5)) same++;
    }
  }
  return same / pairs;
}

const lossMass = (list: readonly FeedbackBattle[]): number => list.reduce((s, b) => s + (1 - b.targetScore), 0);

/** Posterior mean and equal-tailed interval; a degenerate posterior (no prior, no data) is the prior mean. */
function smoothed(prior: LossPrior, n: number, lossSum: number, level: number): { mean: number; low: number; high: number } {
  const { alpha, beta } = lossPosterior(prior, { battles: n, losses: lossSum });
  if (!(alpha + beta > 0)) return { mean: prior.mean, low: prior.mean, high: prior.mean };
  const mean = alpha / (alpha + beta);
  if (alpha <= 0 || beta <= 0) return { mean, low: mean, high: mean };
  const { low, high } = betaInterval(alpha, beta, level);
  return { mean, low, high };
}

function summarise(category: string, list: readonly FeedbackBattle[], o: typeof FEEDBACK_DEFAULTS, overall: number, prior: LossPrior) {
  const n = list.length;
  const lossSum = lossMass(list);
  const rate = smoothed(prior, n, lossSum, o.intervalLevel);
  const agreements = list.map((b) => gameAgreement(b.judgeScores)).filter((a): a is number => a !== null);
  return {
    category,
    battles: n,
    wins: list.filter((b) => b.targetScore > 0.5).length,
    losses: list.filter((b) => b.targetScore < 0.5).length,
    ties: list.filter((b) => b.targetScore === 0.5).length,
    lossRate: n > 0 ? lossSum / n : overall,
    smoothedLossRate: rate.mean,
    lossRateLow: rate.low,
    lossRateHigh: rate.high,
    informativeness: n > 0 ? list.filter((b) => b.margin >= o.decisiveMargin).length / n : 0,
    meanMargin: n > 0 ? list.reduce((s, b) => s + b.margin, 0) / n : 0,
    tieRate: n > 0 ? list.filter((b) => b.targetScore === 0.5).length / n : 0,
    judgeAgreement: agreements.length > 0 ? agreements.reduce((s, a) => s + a, 0) / agreements.length : null,
  };
}

function adjust(c: Omit<CategoryFeedback, "weight">, o: typeof FEEDBACK_DEFAULTS): ComplexityAdjustment {
  const at = (adjustment: -1 | 0 | 1, reason: string): ComplexityAdjustment => ({ category: c.category, adjustment, reason });
  if (c.battles < o.minBattles) return at(0, `too few battles (${c.battles} < ${o.minBattles})`);
  if (c.lossRate >= o.hardLossRate) return at(-1, `target loses nearly all (loss rate ${c.lossRate.toFixed(2)})`);
  if (c.judgeAgreement !== null && c.judgeAgreement < o.minAgreement) return at(-1, `judges disagree (agreement ${c.judgeAgreement.toFixed(2)})`);
  if (c.tieRate >= o.maxTieRate) return at(-1, `mostly ties (tie rate ${c.tieRate.toFixed(2)})`);
  if (c.lossRate <= o.easyLossRate) return at(1, `target wins nearly all (loss rate ${c.lossRate.toFixed(2)})`);
  return at(0, "informative");
}

/** Sampling weights from smoothed rates: rate^sharpness, normalised, mixed with uniform; uniform if all are 0. */
export function weightsFrom(rates: readonly number[], sharpness: number, uniformMix: number): number[] {
  const raw = rates.map((r) => r ** sharpness);
  const total = raw.reduce((s, x) => s + x, 0);
  const k = rates.length;
  return raw.map((x) => (total > 0 ? (1 - uniformMix) * (x / total) + uniformMix / k : 1 / k));
}

/**
 * Feedback per category (sorted by name). `categories` lists categories to report even without
 * battles (they get the prior's mean as their smoothed rate).
 */
export function computeFeedback(battles: readonly FeedbackBattle[], opts: FeedbackOptions = {}, categories: readonly string[] = []): Feedback {
  const o = { ...FEEDBACK_DEFAULTS, ...opts };
  const byCategory = new Map<string, FeedbackBattle[]>(categories.map((c) => [c, []]));
  for (const b of battles) byCategory.set(b.category, [...(byCategory.get(b.category) ?? []), b]);
  const overall = battles.length > 0 ? lossMass(battles) / battles.length : 0.5;
  const names = [...byCategory.keys()].sort();
  const groups = names.map((c) => byCategory.get(c) ?? []);
  const prior = fitLossPrior(groups.map((g) => ({ battles: g.length, losses: lossMass(g) })), o.priorBattles, Math.max(o.priorBattles, o.maxPriorBattles));
  const stats = names.map((c, i) => summarise(c, groups[i] ?? [], o, overall, prior));
  const means = stats.map((c) => c.smoothedLossRate);
  const weights = weightsFrom(means, o.sharpness, o.uniformMix);
  const weightWith = (i: number, rate: number): number => weightsFrom(means.map((m, j) => (j === i ? rate : m)), o.sharpness, o.uniformMix)[i] ?? 0;
  const cats: CategoryFeedback[] = stats.map((c, i) => ({
    ...c,
    weight: weights[i] ?? 0,
    weightLow: weightWith(i, c.lossRateLow),
    weightHigh: weightWith(i, c.lossRateHigh),
  }));
  return { categories: cats, complexity: cats.map((c) => adjust(c, o)), battles: battles.length, overallLossRate: overall, prior };
}
