/**
 * Judge quality for a round, from its stored pairwise judgments and the answers' lengths, and how
 * each judge (and the pooled jury) agrees with the round's human review verdicts, MT-bench style
 * (judges/human-agreement.ts); a judge's vote on a battle is its two games combined under `rule`.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.js";
import { battles, judgments, responses } from "../db/schema/index.js";
import {
  agreementReport,
  battleCategories,
  humanHumanAgreement,
  humanVote,
  type HumanVoteRecord,
  isPairwiseLabel,
  judgeHumanAgreement,
  type JudgmentRecord,
  type OutcomeCategory,
  outcomeCategory,
  type SwapRule,
} from "../judges/index.js";
import { roundVerdicts } from "./review-store.js";

export async function roundJudgeStats(db: Db, roundId: string, rule: SwapRule = "soft") {
  const ra = alias(responses, "ra");
  const rb = alias(responses, "rb");
  const rows = await db
    .select({
      battleId: judgments.battleId,
      judge: judgments.judge,
      order: judgments.order,
      verdict: judgments.verdict,
      lenA: sql<number>`length(${ra.text})`,
      lenB: sql<number>`length(${rb.text})`,
    })
    .from(judgments)
    .innerJoin(battles, eq(battles.id, judgments.battleId))
    .innerJoin(ra, and(eq(ra.roundId, battles.roundId), eq(ra.instructionId, battles.instructionId), eq(ra.model, battles.modelA)))
    .innerJoin(rb, and(eq(rb.roundId, battles.roundId), eq(rb.instructionId, battles.instructionId), eq(rb.model, battles.modelB)))
    .where(and(eq(battles.roundId, roundId), inArray(judgments.order, ["AB", "BA"])));
  const records: JudgmentRecord[] = rows.map((r) => ({
    battleId: String(r.battleId),
    judge: r.judge,
    order: r.order as "AB" | "BA",
    label: isPairwiseLabel(r.verdict) ? r.verdict : null,
    lenA: Number(r.lenA),
    lenB: Number(r.lenB),
  }));
  const report = agreementReport(records);
  const verdicts = await roundVerdicts(db, roundId);
  // A reviewer is a key id or an imported name; the kind keeps the two apart.
  const humans: HumanVoteRecord[] = verdicts.map((v) => ({ battleId: String(v.battleId), reviewer: `${v.reviewerKind}:${v.reviewer}`, vote: humanVote(v.verdict) }));
  const cats = battleCategories(records, rule);
  const jury = new Map<string, OutcomeCategory>();
  for (const v of verdicts) if (v.judgeOutcome !== null) jury.set(String(v.battleId), outcomeCategory(Number(v.judgeOutcome)));
  return {
    judges: report.judges.map((j) => ({ ...j, humanAgreement: judgeHumanAgreement(cats.get(j.judge) ?? new Map(), humans) })),
    agreement: { pairs: report.pairs, fleiss: report.fleiss },
    humans: {
      verdicts: humans.length,
      battles: new Set(humans.map((h) => h.battleId)).size,
      reviewers: new Set(humans.map((h) => h.reviewer)).size,
      jury: judgeHumanAgreement(jury, humans),
      humanHuman: humanHumanAgreement(humans),
    },
  };
}
