/** Judge quality for a round, from its stored pairwise judgments and the answers' lengths. */
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.js";
import { battles, judgments, responses } from "../db/schema/index.js";
import { agreementReport, isPairwiseLabel, type JudgmentRecord } from "../judges/index.js";

export async function roundJudgeStats(db: Db, roundId: string) {
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
  return { judges: report.judges, agreement: { pairs: report.pairs, fleiss: report.fleiss } };
}
