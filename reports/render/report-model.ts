/**
 * The round report as data: the shape the JSON format returns and the HTML and Markdown renderers
 * read, plus the pure functions that shape win-rate matrices and data yield from stored counts.
 * Types are structural so callers pass the service's objects (progress, judge stats) as they are.
 */
import type { LeaderboardItem, RatingMethod } from "../leaderboard.js";
import type { CountRow } from "../leaderboard-counts.js";
import type { ScoreBoard } from "../scores/types.js";
import { empiricalWinRates, predictedWinRates } from "../win-rate.js";
import { fmt, pct } from "./text.js";

export interface ReportRound {
  id: string;
  name: string | null;
  status: string;
  pairing: string;
  judgeMode: string;
  candidates: string[];
  judges: string[];
  target: string | null;
  baseline: string | null;
  counts: { total: number; done: number; failed: number; pending: number; invalid: number };
  responses: number;
  judgments: { total: number; invalid: number };
  tokens: { prompt: number; completion: number; total: number };
  costUsd: number;
  errors: Record<string, number>;
  etaSeconds: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}


/** Win-rate matrices over `models` (ordered by rating): row model's share against the column model. */
export interface WinRates {
  models: string[];
  empirical: (number | null)[][];
  /** From the Bradley-Terry ratings; the diagonal is 0.5 (a model against itself). */
  predicted: number[][];
  /** Battles behind each empirical cell. */
  counts: number[][];
}

export interface ReportJudge {
  judge: string;
  judgments: number;
  invalidRate: number;
  swapAgreementRate: number | null;
  firstPositionWinRate: number | null;
  longerAnswerWinRate: number | null;
}

export interface ReportJudgeStats {
  judges: ReportJudge[];
  agreement: {
    pairs: { judgeA: string; judgeB: string; battles: number; rawAgreement: number | null; kappa: number | null }[];
    fleiss: { judges: string[]; battles: number; kappa: number | null };
  };
}

export interface CategoryYield {
  category: string;
  battles: number;
  decisive: number;
  ties: number;
}

export interface DataYield {
  /** Battles with an outcome. */
  scored: number;
  /** Battles with a winner (outcome other than 0.5). */
  decisive: number;
  ties: number;
  /** Battles finished without a usable verdict. */
  invalid: number;
  failed: number;
  byCategory: CategoryYield[];
}

/** SFT / DPO rows harvested from the round; filled in by the export pipeline, null until then. */
export interface TrainingDataYield {
  sftRows: number;
  dpoPairs: number;
}

export interface ReportBoard {
  method: RatingMethod;
  bootstrap: number;
  /** Decisive battles below which a model is provisional. */
  minBattles: number;
  connected: boolean;
  components: string[][];
  items: LeaderboardItem[];
}

export const RANK_NOTE = "Rank = 1 + the number of models (in the same table) whose whole interval lies above this model's; overlapping intervals share a rank.";

/** Notes a board needs beside its table(s): not connected, provisional models. */
export function boardNotes(b: ReportBoard): string[] {
  const notes: string[] = [];
  if (!b.connected) notes.push(`Not connected: these models form ${b.components.length} groups that never met, directly or through others. Each group has its own table; ratings and ranks compare only within a group.`);
  if (b.items.some((i) => i.provisional)) notes.push(`Provisional: fewer than ${b.minBattles} decisive (non-tie) battles; the rating is a rough guess.`);
  return notes;
}

/** The board's rows, one group per component (a single untitled group when connected). */
export function boardGroups(b: ReportBoard): { title: string | null; items: LeaderboardItem[] }[] {
  if (b.connected) return [{ title: null, items: b.items }];
  const n = b.components.length;
  return b.components.map((models, c) => ({ title: `Group ${c + 1} of ${n} (${models.length} ${models.length === 1 ? "model" : "models"})`, items: b.items.filter((i) => i.component === c) }));
}

/** A leaderboard row's cells: rank, model, rating, interval, battles, decisive, win rate, note. */
export const BOARD_HEADERS = ["rank", "model", "rating", "95% interval", "battles", "decisive", "win rate", "note"];
export const BOARD_NUMERIC = [0, 2, 3, 4, 5, 6];

export interface RoundReport {
  generatedAt: string;
  round: ReportRound;
  leaderboard: ReportBoard;
  winRates: WinRates;
  judges: ReportJudgeStats;
  dataYield: DataYield;
  trainingData: TrainingDataYield | null;
  /** A round with a baseline (vs-baseline): every score against it (reports/scores), each with its definition. */
  scores?: ScoreBoard[];
}

/** A score board's cells: model, score, 5%..95% interval, battles, note. */
export const SCORE_HEADERS = ["model", "score", "5% to 95%", "battles", "note"];
export const SCORE_NUMERIC = [1, 2, 3];

/** Rows of a score board; WildBench's reward in [-1, 1] as a number, the others as percentages. */
export function scoreRows(b: ScoreBoard): string[][] {
  const show = (x: number | null) => (b.score === "wildbench" ? fmt(x, 3) : pct(x));
  return b.items.map((it) => [it.model, show(it.score), it.score === null ? "—" : `${show(it.ciLow)} to ${show(it.ciHigh)}`, String(it.battles), it.note ?? ""]);
}

/**
 * Matrices from aggregated outcome counts (each row stands for `count` battles) and ratings in the
 * same order as `models`. Pairs outside `models` are ignored.
 */
export function winRatesFromCounts(rows: readonly CountRow[], models: readonly string[], ratings: readonly number[]): WinRates {
  const battles = rows.map((r) => ({ modelA: r.modelA, modelB: r.modelB, outcome: r.outcome, weight: r.count }));
  const m = empiricalWinRates(battles, models);
  // The formula gives exactly 0.5 on the diagonal; win-rate.ts leaves it null for display.
  const predicted = predictedWinRates(models, ratings).map((row) => row.map((v) => v ?? 0.5));
  return { models: [...models], empirical: m.rates, predicted, counts: m.counts };
}

/** Decisive battles and ties overall and per category (sorted by name; "" shows as uncategorised). */
export function dataYield(scored: readonly { outcome: number; category?: string }[], invalid: number, failed: number): DataYield {
  const by = new Map<string, CategoryYield>();
  let decisive = 0;
  for (const b of scored) {
    const key = b.category ?? "";
    const c = by.get(key) ?? { category: key, battles: 0, decisive: 0, ties: 0 };
    c.battles += 1;
    if (b.outcome === 0.5) c.ties += 1;
    else {
      c.decisive += 1;
      decisive += 1;
    }
    by.set(key, c);
  }
  const byCategory = [...by.values()].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
  return { scored: scored.length, decisive, ties: scored.length - decisive, invalid, failed, byCategory };
}
