/**
 * Paged battle listing with each battle's judgments and human review verdicts (cursor = last battle
 * id). Verdicts name no reviewer: key ids are shown to admins only (src/http/created-by.ts).
 */
import { and, asc, eq, gt, inArray, or, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, humanVerdicts, judgments } from "../db/schema/index.js";

export async function listBattles(db: Db, q: { roundId?: string; model?: string; limit: number; cursor?: number }) {
  const conds: SQL[] = [];
  if (q.roundId) conds.push(eq(battles.roundId, q.roundId));
  if (q.model) conds.push(or(eq(battles.modelA, q.model), eq(battles.modelB, q.model)) as SQL);
  if (q.cursor !== undefined) conds.push(gt(battles.id, q.cursor));
  const rows = await db.select().from(battles).where(and(...conds)).orderBy(asc(battles.id)).limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const js = page.length === 0 ? [] : await db.select().from(judgments).where(inArray(judgments.battleId, page.map((b) => b.id))).orderBy(asc(judgments.id));
  const byBattle = new Map<number, typeof js>();
  for (const j of js) byBattle.set(j.battleId, [...(byBattle.get(j.battleId) ?? []), j]);
  const hs = page.length === 0 ? [] : await db.select().from(humanVerdicts).where(inArray(humanVerdicts.battleId, page.map((b) => b.id))).orderBy(asc(humanVerdicts.id));
  const humansOf = new Map<number, typeof hs>();
  for (const h of hs) humansOf.set(h.battleId, [...(humansOf.get(h.battleId) ?? []), h]);
  return {
    items: page.map((b) => ({
      id: b.id,
      roundId: b.roundId,
      instructionId: b.instructionId,
      modelA: b.modelA,
      modelB: b.modelB,
      status: b.status,
      outcome: b.outcome,
      margin: b.margin,
      category: b.category,
      source: b.source,
      error: b.error,
      labelSource: b.labelSource,
      humanOutcome: b.humanOutcome,
      judgeOutcome: b.labelSource === "human" ? b.judgeOutcome : b.outcome,
      humanVerdicts: (humansOf.get(b.id) ?? []).map((h) => ({ verdict: h.verdict, note: h.note, reviewerKind: h.reviewerKind, updatedAt: h.updatedAt.toISOString() })),
      judgments: (byBattle.get(b.id) ?? []).map((j) => ({
        judge: j.judge,
        order: j.order,
        promptVersion: j.promptVersion,
        referenceHash: j.referenceHash,
        verdict: j.verdict,
        score: j.score,
        valid: j.valid,
        attempts: j.attempts,
        rawText: j.rawText,
        trace: j.trace,
        promptTokens: j.promptTokens,
        completionTokens: j.completionTokens,
        reasoningTokens: j.reasoningTokens,
      })),
    })),
    nextCursor: more ? String(page[page.length - 1]?.id ?? "") : null,
  };
}
