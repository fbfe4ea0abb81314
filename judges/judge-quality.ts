/**
 * Per-judge quality statistics from raw judgment records: how often a judge's two orders agree,
 * how often the first-shown answer wins, how often the longer answer wins, how often the verdict
 * cannot be parsed. Biased judges show first-position and longer-answer win rates far from 0.5.
 */
import { gameScore } from "./combine.js";
import { outcomeCategory, type PairwiseLabel } from "./labels.js";

/** One judge call. `lenA`/`lenB` are the lengths of model A's and model B's answers (not of the shown positions). */
export interface JudgmentRecord {
  battleId: string;
  judge: string;
  /** "AB": model A shown first; "BA": model B shown first (the swapped game). */
  order: "AB" | "BA";
  /** Parsed label relative to the shown positions; null when the verdict could not be parsed. */
  label: PairwiseLabel | null;
  lenA: number;
  lenB: number;
}

export interface JudgeQuality {
  judge: string;
  judgments: number;
  invalid: number;
  invalidRate: number;
  /** Battles where both orders have a valid verdict. */
  swapPairs: number;
  /** Among swap pairs, the share whose two games give model A the same win/tie/loss category. */
  swapAgreementRate: number | null;
  /** Valid verdicts that are not ties. */
  decisive: number;
  /** Among decisive verdicts, the share won by the answer shown first. */
  firstPositionWinRate: number | null;
  /** Decisive verdicts on answers of different lengths. */
  lengthDecisive: number;
  /** Among those, the share won by the longer answer. */
  longerAnswerWinRate: number | null;
}

/** Both games of one battle for one judge. */
export interface BattleGames {
  battleId: string;
  ab?: JudgmentRecord;
  ba?: JudgmentRecord;
}

/**
 * Groups records by judge, then battle (judge names sorted). A repeated (battle, judge, order)
 * keeps the last record, as a retried judgment replaces the earlier one.
 */
export function groupByJudge(records: readonly JudgmentRecord[]): Map<string, Map<string, BattleGames>> {
  const byJudge = new Map<string, Map<string, BattleGames>>();
  for (const r of records) {
    let battles = byJudge.get(r.judge);
    if (!battles) byJudge.set(r.judge, (battles = new Map()));
    const games = battles.get(r.battleId) ?? { battleId: r.battleId };
    if (r.order === "AB") games.ab = r;
    else games.ba = r;
    battles.set(r.battleId, games);
  }
  return new Map([...byJudge.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const rate = (num: number, den: number): number | null => (den === 0 ? null : num / den);

interface Tally {
  judgments: number;
  invalid: number;
  decisive: number;
  firstWins: number;
  lengthDecisive: number;
  longerWins: number;
}

/** Counts one game: validity, first-position win and longer-answer win. */
function tallyGame(t: Tally, r: JudgmentRecord): void {
  t.judgments += 1;
  if (r.label === null) t.invalid += 1;
  const score = gameScore(r.label, r.order);
  if (score === null || r.label === "A=B") return;
  t.decisive += 1;
  if (r.label === "A>B" || r.label === "A>>B") t.firstWins += 1;
  if (r.lenA === r.lenB) return;
  t.lengthDecisive += 1;
  // Model A won this game exactly when its score is above 0.5; the longer answer won if that matches.
  if (score > 0.5 === r.lenA > r.lenB) t.longerWins += 1;
}

function qualityOf(judge: string, battles: Iterable<BattleGames>): JudgeQuality {
  const t: Tally = { judgments: 0, invalid: 0, decisive: 0, firstWins: 0, lengthDecisive: 0, longerWins: 0 };
  let swapPairs = 0;
  let swapAgree = 0;
  for (const g of battles) {
    if (g.ab) tallyGame(t, g.ab);
    if (g.ba) tallyGame(t, g.ba);
    const s1 = gameScore(g.ab?.label ?? null, "AB");
    const s2 = gameScore(g.ba?.label ?? null, "BA");
    if (s1 === null || s2 === null) continue;
    swapPairs += 1;
    if (outcomeCategory(s1) === outcomeCategory(s2)) swapAgree += 1;
  }
  return {
    judge,
    judgments: t.judgments,
    invalid: t.invalid,
    invalidRate: rate(t.invalid, t.judgments) ?? 0,
    swapPairs,
    swapAgreementRate: rate(swapAgree, swapPairs),
    decisive: t.decisive,
    firstPositionWinRate: rate(t.firstWins, t.decisive),
    lengthDecisive: t.lengthDecisive,
    longerAnswerWinRate: rate(t.longerWins, t.lengthDecisive),
  };
}

/** Quality statistics for every judge in the records, sorted by judge name. */
export function judgeQuality(records: readonly JudgmentRecord[]): JudgeQuality[] {
  return [...groupByJudge(records)].map(([judge, battles]) => qualityOf(judge, battles.values()));
}
