/**
 * Shared shapes of the scores against a baseline (reports/scores/*): one battle seen from the
 * candidate's side, the five-level verdict of one judged game, and the rows and board the score
 * functions return. Every score compares each candidate with the same baseline on its own battles;
 * nothing here is a rating on a common scale.
 */

/** Score names accepted by `GET /v1/leaderboard?score=` and `matrix-arena leaderboard --score`. */
export const SCORE_NAMES = ["winrate", "arena-hard", "wildbench", "lc"] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

export function isScoreName(value: unknown): value is ScoreName {
  return typeof value === "string" && (SCORE_NAMES as readonly string[]).includes(value);
}

/**
 * One judged game's verdict from the candidate's side, named as WildBench names them:
 * a strong (`>>`) or plain (`>`) preference for the candidate, a tie, or the same for the baseline.
 */
export type GameVerdict = "win_much" | "win" | "tie" | "lose" | "lose_much";

/** One battle between a candidate and the baseline, from the candidate's side. */
export interface BaselineBattle {
  /** The candidate model (never the baseline). */
  model: string;
  /** The candidate's share of the battle in [0, 1] (the combined outcome turned to its side). */
  outcome: number;
  /**
   * Each judged pairwise game's verdict (every judge, both orders), null for a game whose verdict
   * could not be parsed. Absent when only the outcome is known (imported battles, single grading).
   */
  games?: (GameVerdict | null)[];
  /** The instruction both answered (round battles); absent for imports. */
  instruction?: string;
  category?: string;
  /** Answer lengths of the candidate and the baseline (characters for round battles, tokens for imports). */
  lengths?: { model: number; baseline: number };
}

/** Lower and upper percentiles of the bootstrap that every score reports (arena-hard-auto's 5% and 95%). */
export const CI_PERCENTILES = [0.05, 0.95] as const;

export interface ScoreOptions {
  baseline: string;
  /** Bootstrap rounds for the intervals (0: point intervals). */
  bootstrap: number;
  seed: number;
}

export interface CategoryScore {
  category: string;
  score: number;
  battles: number;
}

export interface ScoreItem {
  model: string;
  /** The score, or null when none of the model's battles can carry it (`note` says why). */
  score: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Battles against the baseline that the score used. */
  battles: number;
  /** WildBench: judged games counted (missing ones included); arena-hard: weighted game rows. */
  games?: number;
  /** WildBench: the reward per task category. */
  categories?: CategoryScore[];
  /** LC: the plain win rate of the same battles, and the fitted length weight (log-odds per unit of tanh). */
  winRate?: number;
  lengthWeight?: number;
  note?: string;
}

export interface ScoreBoard {
  score: ScoreName;
  baseline: string;
  definition: string;
  /** The interval's percentiles: ciLow is the 5% and ciHigh the 95% bootstrap percentile. */
  ciPercentiles: [number, number];
  bootstrap: number;
  items: ScoreItem[];
  /** Battles left out: not against the baseline, or (LC) without answer lengths. */
  skipped: { notAgainstBaseline: number; withoutLengths?: number; withInvalidGames?: number };
}

/** A score that could not be computed for a model, with the reason. */
export function emptyItem(model: string, battles: number, note: string): ScoreItem {
  return { model, score: null, ciLow: null, ciHigh: null, battles, note };
}

/** Groups battles by candidate, models in first-appearance order. */
export function byModel(battles: readonly BaselineBattle[]): Map<string, BaselineBattle[]> {
  const out = new Map<string, BaselineBattle[]>();
  for (const b of battles) {
    const list = out.get(b.model);
    if (list) list.push(b);
    else out.set(b.model, [b]);
  }
  return out;
}
