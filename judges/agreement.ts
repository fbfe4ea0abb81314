/**
 * Judge-quality report: per-judge statistics (see judge-quality.ts) and inter-juror agreement.
 * For agreement, each judge's two games of a battle are first combined (combinePairwise) into one
 * win/tie/loss category from model A's side; a battle a judge has no valid game for is missing
 * for that judge. Cohen's kappa is computed for each pair of judges over the battles both rated;
 * Fleiss' kappa over the battles that every judge rated.
 */
import { combinePairwise, type SwapRule } from "./combine.js";
import { cohenKappa, fleissKappa } from "./kappa.js";
import { outcomeCategory, type OutcomeCategory } from "./labels.js";
import { groupByJudge, judgeQuality, type JudgeQuality, type JudgmentRecord } from "./judge-quality.js";

export type { JudgeQuality, JudgmentRecord } from "./judge-quality.js";
export { judgeQuality } from "./judge-quality.js";

/** Column order of the Fleiss count matrix. */
export const AGREEMENT_CATEGORIES: readonly OutcomeCategory[] = ["win", "tie", "loss"];

export interface JurorPairAgreement {
  judgeA: string;
  judgeB: string;
  /** Battles both judges rated validly. */
  battles: number;
  /** Share of those battles on which they gave the same category; null when there are none. */
  rawAgreement: number | null;
  kappa: number | null;
}

export interface AgreementReport {
  judges: JudgeQuality[];
  pairs: JurorPairAgreement[];
  fleiss: { judges: string[]; battles: number; kappa: number | null };
}

/** Each judge's category per battle, judges sorted by name. */
export function battleCategories(
  records: readonly JudgmentRecord[],
  rule: SwapRule = "soft",
): Map<string, Map<string, OutcomeCategory>> {
  const out = new Map<string, Map<string, OutcomeCategory>>();
  for (const [judge, battles] of groupByJudge(records)) {
    const cats = new Map<string, OutcomeCategory>();
    for (const [battleId, g] of battles) {
      const { outcome } = combinePairwise(g.ab?.label ?? null, g.ba?.label ?? null, rule);
      if (outcome !== null) cats.set(battleId, outcomeCategory(outcome));
    }
    out.set(judge, cats);
  }
  return out;
}

function pairAgreement(judgeA: string, a: Map<string, OutcomeCategory>, judgeB: string, b: Map<string, OutcomeCategory>): JurorPairAgreement {
  const xs: OutcomeCategory[] = [];
  const ys: OutcomeCategory[] = [];
  for (const [battleId, x] of a) {
    const y = b.get(battleId);
    if (y === undefined) continue;
    xs.push(x);
    ys.push(y);
  }
  const same = xs.filter((x, i) => x === ys[i]).length;
  const rawAgreement = xs.length === 0 ? null : same / xs.length;
  return { judgeA, judgeB, battles: xs.length, rawAgreement, kappa: cohenKappa(xs, ys) };
}

function fleissOver(cats: Map<string, Map<string, OutcomeCategory>>): AgreementReport["fleiss"] {
  const judges = [...cats.keys()];
  const maps = [...cats.values()];
  const [first, ...rest] = maps;
  if (!first || rest.length === 0) return { judges, battles: 0, kappa: null };
  const rows: number[][] = [];
  for (const battleId of first.keys()) {
    const votes = maps.map((m) => m.get(battleId));
    if (votes.some((v) => v === undefined)) continue;
    rows.push(AGREEMENT_CATEGORIES.map((c) => votes.filter((v) => v === c).length));
  }
  return { judges, battles: rows.length, kappa: fleissKappa(rows) };
}

/** Per-judge quality, pairwise Cohen's kappa and Fleiss' kappa from judgment records. */
export function agreementReport(records: readonly JudgmentRecord[], rule: SwapRule = "soft"): AgreementReport {
  const cats = battleCategories(records, rule);
  const entries = [...cats.entries()];
  const pairs: JurorPairAgreement[] = [];
  entries.forEach(([judgeA, a], i) => {
    for (const [judgeB, b] of entries.slice(i + 1)) pairs.push(pairAgreement(judgeA, a, judgeB, b));
  });
  return { judges: judgeQuality(records), pairs, fleiss: fleissOver(cats) };
}
