/**
 * A round's running spend: every stored answer and judgment adds its tokens, cost and count to
 * counters on the round's row in the same transaction as the insert, and only when the insert
 * happened (a row that already existed, written by a worker that won the race, was counted by that
 * worker). Budget checks and progress reads then take one row instead of summing the whole round.
 * `storeOnce` is that rule for every result row (answers, judgments, reward scores).
 */
import { eq, sql } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.js";
import { rounds } from "../db/schema/index.js";
import type { CallTab } from "./budget.js";

/** Db or a transaction on it. */
type Tx = Pick<Db, "update" | "select">;

export interface Spend {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface RoundSpend {
  responses: number;
  judgments: { total: number; invalid: number };
  tokens: { prompt: number; completion: number; total: number };
  costUsd: number;
}

/**
 * Count one stored row of `kind` (an invalid judgment also counts as invalid) and add its spend. An
 * `answer-turn` (one turn of a multi-turn answer) adds its spend only: the answer counts when its last turn is in.
 */
export async function addRoundSpend(tx: Tx, roundId: string, kind: SpendCount["kind"], s: Spend): Promise<void> {
  await tx
    .update(rounds)
    .set({
      spentPromptTokens: sql`${rounds.spentPromptTokens} + ${Math.round(s.promptTokens)}`,
      spentCompletionTokens: sql`${rounds.spentCompletionTokens} + ${Math.round(s.completionTokens)}`,
      spentCostUsd: sql`${rounds.spentCostUsd} + ${s.costUsd}`,
      ...(kind === "answer-turn"
        ? {}
        : kind === "answer"
        ? { answerCount: sql`${rounds.answerCount} + 1` }
        : { judgmentCount: sql`${rounds.judgmentCount} + 1`, ...(kind === "invalid-judgment" ? { invalidJudgmentCount: sql`${rounds.invalidJudgmentCount} + 1` } : {}) }),
    })
    .where(eq(rounds.id, roundId));
}

/** What a stored row counts as, and what its calls cost. */
export interface SpendCount {
  roundId: string;
  kind: "answer" | "answer-turn" | "judgment" | "invalid-judgment";
  spend: Spend;
}

/**
 * Stores one result row in one transaction: the insert does nothing on a conflict with the row's
 * unique key (a retried write, or a worker that lost the race), only an insert that happened adds to
 * the round's counters, and the call tab (if any) is settled as spent or released accordingly. So a
 * retried write is a no-op and spend is counted once. Returns whether the row was new; callers read
 * the stored row back themselves (the winner's row when the race was lost).
 */
export async function storeOnce<T extends PgTable>(db: Db, table: T, values: PgInsertValue<T>, count: SpendCount, tab?: Pick<CallTab, "settle"> | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    // RETURNING a constant: only whether a row went in matters, not its (possibly long) text.
    const inserted = await tx.insert(table).values(values).onConflictDoNothing().returning({ stored: sql<number>`1` });
    const isNew = inserted.length > 0;
    if (isNew) await addRoundSpend(tx, count.roundId, count.kind, count.spend);
    await tab?.settle(tx, isNew);
    return isNew;
  });
}

/** The round's counters (null for an unknown round). */
export async function roundSpend(db: Tx, roundId: string): Promise<RoundSpend | null> {
  const [r] = await db
    .select({
      p: rounds.spentPromptTokens,
      c: rounds.spentCompletionTokens,
      cost: rounds.spentCostUsd,
      answers: rounds.answerCount,
      judgments: rounds.judgmentCount,
      invalid: rounds.invalidJudgmentCount,
    })
    .from(rounds)
    .where(eq(rounds.id, roundId));
  if (!r) return null;
  const prompt = Number(r.p);
  const completion = Number(r.c);
  return {
    responses: Number(r.answers),
    judgments: { total: Number(r.judgments), invalid: Number(r.invalid) },
    tokens: { prompt, completion, total: prompt + completion },
    costUsd: Number(r.cost),
  };
}
