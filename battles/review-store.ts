/**
 * Human review in the database: the battles a reviewer may still review (with their pairwise games,
 * for the queue's priority), the items shown (instruction and both answers), and recording a verdict.
 * Recording locks the battle row, upserts the reviewer's verdict, recomputes the human majority and,
 * when the round lets humans override judges, replaces the battle's outcome and moves it between
 * aggregate cells, all in one transaction (so boards and exports never see half a change).
 */
import { and, asc, eq, gt, inArray, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, humanVerdicts, instructions, judgments, responses, rounds, type HumanVerdict } from "../db/schema/index.js";
import { humanMajority, isPairwiseLabel, marginOf } from "../judges/index.js";
import { moveInCells } from "./cells.js";
import type { ReviewGame } from "./review-plan.js";

export type ReviewerKind = "key" | "import";
export interface Reviewer {
  kind: ReviewerKind;
  id: string;
}

/** Done battles of the round this reviewer has not reviewed, each with its pairwise games. */
export async function unreviewedBattles(db: Db, roundId: string, reviewer: Reviewer): Promise<{ battleId: number; games: ReviewGame[] }[]> {
  const mine = db
    .select({ one: sql`1` })
    .from(humanVerdicts)
    .where(and(eq(humanVerdicts.battleId, battles.id), eq(humanVerdicts.reviewerKind, reviewer.kind), eq(humanVerdicts.reviewer, reviewer.id)));
  const rows = await db
    .select({ id: battles.id })
    .from(battles)
    .where(and(eq(battles.roundId, roundId), eq(battles.status, "done"), notExists(mine)))
    .orderBy(asc(battles.id));
  const games = await db
    .select({ battleId: judgments.battleId, judge: judgments.judge, order: judgments.order, verdict: judgments.verdict })
    .from(judgments)
    .innerJoin(battles, eq(battles.id, judgments.battleId))
    .where(and(eq(battles.roundId, roundId), eq(battles.status, "done"), inArray(judgments.order, ["AB", "BA"])));
  const byBattle = new Map<number, ReviewGame[]>();
  for (const g of games) {
    const list = byBattle.get(g.battleId) ?? [];
    list.push({ judge: g.judge, order: g.order as "AB" | "BA", label: isPairwiseLabel(g.verdict) ? g.verdict : null });
    byBattle.set(g.battleId, list);
  }
  return rows.map((r) => ({ battleId: r.id, games: byBattle.get(r.id) ?? [] }));
}

export interface ReviewMaterial {
  battleId: number;
  messages: { role: string; content: string }[];
  category: string;
  /** Model A's and model B's answers (real order; the caller blinds them). */
  answerA: string;
  answerB: string;
  /** A multi-turn battle: the user turns, and each model's final answer to each (the last is answerA/answerB). */
  turns?: string[];
  turnsA?: string[];
  turnsB?: string[];
}

/** Instruction and both answers of the given battles (battles missing an answer are left out). */
export async function reviewMaterial(db: Db, roundId: string, battleIds: readonly number[]): Promise<ReviewMaterial[]> {
  if (battleIds.length === 0) return [];
  const bs = await db
    .select({ id: battles.id, instructionId: battles.instructionId, modelA: battles.modelA, modelB: battles.modelB, messages: instructions.messages, turns: instructions.turns, category: instructions.category })
    .from(battles)
    .innerJoin(instructions, eq(instructions.id, battles.instructionId))
    .where(and(eq(battles.roundId, roundId), inArray(battles.id, [...battleIds])));
  const ids = [...new Set(bs.map((b) => b.instructionId).filter((i): i is number => i !== null))];
  const rs = ids.length === 0 ? [] : await db.select({ instructionId: responses.instructionId, model: responses.model, text: responses.text, turns: responses.turns }).from(responses).where(and(eq(responses.roundId, roundId), inArray(responses.instructionId, ids)));
  const answer = (instructionId: number | null, model: string) => rs.find((r) => r.instructionId === instructionId && r.model === model)?.text;
  const turnsOf = (instructionId: number | null, model: string) => rs.find((r) => r.instructionId === instructionId && r.model === model)?.turns?.map((t) => t.text) ?? null;
  const out: ReviewMaterial[] = [];
  for (const b of bs) {
    const answerA = answer(b.instructionId, b.modelA);
    const answerB = answer(b.instructionId, b.modelB);
    if (answerA === undefined || answerB === undefined) continue;
    const turnsA = turnsOf(b.instructionId, b.modelA);
    const turnsB = turnsOf(b.instructionId, b.modelB);
    const multi = b.turns !== null && turnsA !== null && turnsB !== null ? { turns: b.turns, turnsA, turnsB } : {};
    out.push({ battleId: b.id, messages: b.messages, category: b.category, answerA, answerB, ...multi });
  }
  const order = new Map(battleIds.map((id, i) => [id, i]));
  return out.sort((x, y) => (order.get(x.battleId) ?? 0) - (order.get(y.battleId) ?? 0));
}

export type BattleRow = typeof battles.$inferSelect;

export interface VerdictInput {
  roundId: string;
  battleId: number;
  reviewer: Reviewer;
  verdict: HumanVerdict;
  note: string | null;
}

export interface RecordedVerdict {
  created: boolean;
  /** The battle's human majority after this verdict. */
  humanOutcome: number | null;
  /** The battle's outcome as ratings and exports now see it. */
  outcome: number | null;
  labelSource: "judge" | "human";
}

/** The battle as the round holds it, or null when it is not a battle of that round. */
export async function roundBattle(db: Db, roundId: string, battleId: number): Promise<BattleRow | null> {
  const [b] = await db.select().from(battles).where(and(eq(battles.id, battleId), eq(battles.roundId, roundId)));
  return b ?? null;
}

/**
 * Records one verdict (a second one from the same reviewer replaces the first) and applies the
 * human majority to the battle. The caller has checked the battle is a done battle of the round.
 */
export async function recordVerdict(db: Db, v: VerdictInput, humanOverride: boolean): Promise<RecordedVerdict> {
  return db.transaction(async (tx) => {
    const [b] = await tx.select().from(battles).where(and(eq(battles.id, v.battleId), eq(battles.roundId, v.roundId))).for("update");
    if (!b) throw new Error(`battle ${v.battleId} vanished from round ${v.roundId}`);
    const who = and(eq(humanVerdicts.battleId, v.battleId), eq(humanVerdicts.reviewerKind, v.reviewer.kind), eq(humanVerdicts.reviewer, v.reviewer.id));
    const [existing] = await tx.select({ id: humanVerdicts.id }).from(humanVerdicts).where(who);
    if (existing) await tx.update(humanVerdicts).set({ verdict: v.verdict, note: v.note, updatedAt: sql`now()` }).where(eq(humanVerdicts.id, existing.id));
    else await tx.insert(humanVerdicts).values({ roundId: v.roundId, battleId: v.battleId, reviewerKind: v.reviewer.kind, reviewer: v.reviewer.id, verdict: v.verdict, note: v.note });
    const all = await tx.select({ verdict: humanVerdicts.verdict }).from(humanVerdicts).where(eq(humanVerdicts.battleId, v.battleId));
    const humanOutcome = humanMajority(all.map((r) => r.verdict));
    if (!humanOverride || humanOutcome === null) {
      await tx.update(battles).set({ humanOutcome }).where(eq(battles.id, b.id));
      return { created: !existing, humanOutcome, outcome: b.outcome, labelSource: b.labelSource };
    }
    // The judges' result is kept once, the first time people override it.
    const keep = b.labelSource === "judge" ? { judgeOutcome: b.outcome, judgeMargin: b.margin } : {};
    await tx.update(battles).set({ humanOutcome, outcome: humanOutcome, margin: marginOf(humanOutcome), labelSource: "human", ...keep }).where(eq(battles.id, b.id));
    if (b.outcome !== humanOutcome) {
      const cell = { roundId: b.roundId, category: b.category, modelA: b.modelA, modelB: b.modelB };
      await moveInCells(tx, b.outcome === null ? null : { ...cell, outcome: b.outcome }, { ...cell, outcome: humanOutcome });
    }
    return { created: !existing, humanOutcome, outcome: humanOutcome, labelSource: "human" };
  });
}

export interface StoredVerdict {
  id: number;
  battleId: number;
  reviewerKind: ReviewerKind;
  reviewer: string;
  verdict: HumanVerdict;
  note: string | null;
  modelA: string;
  modelB: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A page of the round's verdicts in id order (keyset after `afterId`), with the battles' models. */
export async function verdictPage(db: Db, roundId: string, afterId: number, limit: number): Promise<StoredVerdict[]> {
  return db
    .select({
      id: humanVerdicts.id,
      battleId: humanVerdicts.battleId,
      reviewerKind: humanVerdicts.reviewerKind,
      reviewer: humanVerdicts.reviewer,
      verdict: humanVerdicts.verdict,
      note: humanVerdicts.note,
      modelA: battles.modelA,
      modelB: battles.modelB,
      createdAt: humanVerdicts.createdAt,
      updatedAt: humanVerdicts.updatedAt,
    })
    .from(humanVerdicts)
    .innerJoin(battles, eq(battles.id, humanVerdicts.battleId))
    .where(and(eq(humanVerdicts.roundId, roundId), gt(humanVerdicts.id, afterId)))
    .orderBy(asc(humanVerdicts.id))
    .limit(limit);
}

/** Every verdict of the round (for agreement statistics) with the battle's judge outcome. */
export async function roundVerdicts(db: Db, roundId: string) {
  return db
    .select({
      battleId: humanVerdicts.battleId,
      reviewerKind: humanVerdicts.reviewerKind,
      reviewer: humanVerdicts.reviewer,
      verdict: humanVerdicts.verdict,
      judgeOutcome: sql<number | null>`case when ${battles.labelSource} = 'human' then ${battles.judgeOutcome} else ${battles.outcome} end`,
    })
    .from(humanVerdicts)
    .innerJoin(battles, eq(battles.id, humanVerdicts.battleId))
    .where(eq(humanVerdicts.roundId, roundId));
}

/** Whether the round exists and lets humans override (null when it does not exist). */
export async function roundReviewOptions(db: Db, roundId: string): Promise<{ humanOverride: boolean } | null> {
  const [r] = await db.select({ options: rounds.options }).from(rounds).where(eq(rounds.id, roundId));
  return r ? { humanOverride: r.options.humanOverride === true } : null;
}
