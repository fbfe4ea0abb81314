/**
 * The rating methods beside Bradley-Terry and online Elo, each a pure function of the per-pair win
 * and tie tallies, with the scale its numbers are on and a one-line definition for the board answer.
 * Definitions and defaults follow evalica (github.com/dustalov/evalica); docs/ratings.md states them.
 * Elo-scale methods return natural log-strengths (anchored later like BT); the others return their own
 * units, whose origin is fixed (a baseline cannot move it).
 */
import { averageWinRates, countingScores } from "./counting.js";
import { fitDavidson } from "./davidson.js";
import { fitNewman } from "./newman.js";
import { eigenScores, pagerankScores } from "./spectral.js";
import type { PairTally } from "./tally.js";

export type TallyMethod = "newman" | "davidson" | "counting" | "average-win-rate" | "eigen" | "pagerank";
export const TALLY_METHODS: readonly TallyMethod[] = ["newman", "davidson", "counting", "average-win-rate", "eigen", "pagerank"];

/** What a board's ratings are: Elo points, counted points, a win share, eigenvector components, probabilities. */
export type RatingScale = "elo" | "points" | "share" | "eigenvector" | "probability";

export interface TallyFit {
  /** Natural log-strengths (scale "elo") or the method's own scores. */
  values: Float64Array;
  /** The fitted tie parameter (newman: Newman's ν, davidson: Davidson's ν). */
  tie?: number;
  /** Warm start for refits of resamples (davidson). */
  warm?: Float64Array;
}

export interface MethodSpec {
  scale: RatingScale;
  definition: string;
  fit: (t: PairTally, warm?: Float64Array) => TallyFit;
}

export const METHOD_SPECS: Readonly<Record<TallyMethod, MethodSpec>> = {
  newman: {
    scale: "elo",
    definition:
      "Newman (2023) as evalica implements it: P(i beats j) = π_i/D, P(tie) = 2ν√(π_iπ_j)/D, D = π_i+π_j+2ν√(π_iπ_j); fixed-point iteration from π = 1, ν = 0.5, win and tie weights 1, tolerance 1e-6, limit 100; rating = 400·log10 π; tieParameter is ν",
    fit: (t) => {
      const f = fitNewman(t);
      return { values: f.scores.map((x) => Math.log(x)), tie: f.v };
    },
  },
  davidson: {
    scale: "elo",
    definition:
      "Davidson (1970): P(i beats j) = π_i/D, P(tie) = ν√(π_iπ_j)/D, D = π_i+π_j+ν√(π_iπ_j); maximum likelihood by Newton's method with the BT prior 1e-3 on ln π and ln ν; rating = 400·log10 π; tieParameter is ν (P(tie) between equals = ν/(2+ν))",
    fit: (t, warm) => {
      const f = fitDavidson(t, warm ? { init: warm } : {});
      return { values: f.theta, tie: f.nu, warm: f.params };
    },
  },
  counting: {
    scale: "points",
    definition: "counting (evalica): points per model, 1 per win and 0.5 per tie (win_weight 1, tie_weight 0.5)",
    fit: (t) => ({ values: countingScores(t) }),
  },
  "average-win-rate": {
    scale: "share",
    definition: "average win rate (evalica): mean over the opponents a model met of M_ij/(M_ij+M_ji), M = wins + 0.5·ties; in [0, 1]",
    fit: (t) => ({ values: averageWinRates(t) }),
  },
  eigen: {
    scale: "eigenvector",
    definition:
      "eigenvector: principal eigenvector of M = wins + 0.5·ties (s ∝ M·s, unit L2 norm), evalica's power iteration (start 1/n, tolerance 1e-6, limit 100) on M + c·I, c = mean row sum; a win over a high scorer counts more",
    fit: (t) => ({ values: eigenScores(t) }),
  },
  pagerank: {
    scale: "probability",
    definition:
      "PageRank (evalica): each model hands its score to the models that beat it (M = wins + 0.5·ties, rows of Mᵀ normalised), damping 0.85, power iteration tolerance 1e-6, limit 100; scores sum to 1",
    fit: (t) => ({ values: pagerankScores(t) }),
  },
};

export const isTallyMethod = (m: string): m is TallyMethod => (TALLY_METHODS as readonly string[]).includes(m);
