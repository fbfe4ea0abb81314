/**
 * Paged battle listing with each battle's judgments and human review verdicts (cursor = last battle
 * id), filtered by round, model, category and outcome; and one battle with its instruction and both
 * answers (the dashboard's inspector). Verdicts name no reviewer: key ids are shown to admins only
 * (src/http/created-by.ts).
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, humanVerdicts, instructions, judgments, responses } from "../db/schema/index.js";

/** Outcome filters: model A won (share above one half), model B won, a tie (exactly one half), not judged (null). */
export const OUTCOME_FILTERS = ["a", "b", "tie", "none"] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export interface BattleQuery {
  roundId?: string;
  model?: string;
  category?: string;
  outcome?: OutcomeFilter;
  limit: number;
  cursor?: number;
}

function outcomeCond(o: OutcomeFilter): SQL {
  if (o === "a") return gt(battles.outcome, 0.5);
  if (o === "b") return lt(battles.outcome, 0.5);
  if (o === "tie") return eq(battles.outcome, 0.5);
  return isNull(battles.outcome);
}

export async function listBattles(db: Db, q: BattleQuery) {
  const conds: SQL[] = [];
  if (q.roundId) conds.push(eq(battles.roundId, q.roundId));
  if (q.model) conds.push(or(eq(battles.modelA, q.model), eq(battles.modelB, q.model)) as SQL);
  if (q.category) conds.push(eq(battles.category, q.category));
  if (q.outcome) conds.push(outcomeCond(q.outcome));
  if (q.cursor !== undefined) conds.push(gt(battles.id, q.cursor));
  const rows = await db.select().from(battles).where(and(...conds)).orderBy(asc(battles.id)).limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { items: await withJudgments(db, page), nextCursor: more ? String(page[page.length - 1]?.id ?? "") : null };
}

/**
 * One battle as the list shows it, plus its instruction's messages and the two answers the round
 * stored (null for an imported battle, which has none); null when there is no such battle.
 */
export async function battleDetail(db: Db, id: number) {
  const [row] = await db.select().from(battles).where(eq(battles.id, id));
  if (!row) return null;
  const [item] = await withJudgments(db, [row]);
  const [instr] = row.instructionId === null ? [] : await db.select({ messages: instructions.messages, turns: instructions.turns, category: instructions.category }).from(instructions).where(eq(instructions.id, row.instructionId));
  const answers = row.roundId === null || row.instructionId === null ? [] : await db.select({ model: responses.model, text: responses.text, turns: responses.turns }).from(responses).where(and(eq(responses.roundId, row.roundId), eq(responses.instructionId, row.instructionId)));
  const answer = (model: string) => answers.find((a) => a.model === model)?.text ?? null;
  // A multi-turn battle: each candidate's final answer to every user turn (the last is answerA/answerB).
  const turnsOf = (model: string) => answers.find((a) => a.model === model)?.turns?.map((t) => t.text) ?? null;
  return {
    ...item!,
    instruction: instr ? { messages: instr.messages, turns: instr.turns ?? null, category: instr.category } : null,
    answerA: answer(row.modelA),
    answerB: answer(row.modelB),
    turnsA: turnsOf(row.modelA),
    turnsB: turnsOf(row.modelB),
  };
}

async function withJudgments(db: Db, page: (typeof battles.$inferSelect)[]) {
  const js = page.length === 0 ? [] : await db.select().from(judgments).where(inArray(judgments.battleId, page.map((b) => b.id))).orderBy(asc(judgments.id));
  const byBattle = new Map<number, typeof js>();
  for (const j of js) byBattle.set(j.battleId, [...(byBattle.get(j.battleId) ?? []), j]);
  const hs = page.length === 0 ? [] : await db.select().from(humanVerdicts).where(inArray(humanVerdicts.battleId, page.map((b) => b.id))).orderBy(asc(humanVerdicts.id));
  const humansOf = new Map<number, typeof hs>();
  for (const h of hs) humansOf.set(h.battleId, [...(humansOf.get(h.battleId) ?? []), h]);
  return page.map((b) => ({
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
    }));
}
