/**
 * A round's running spend: every stored answer and judgment adds its tokens, cost and count to the
 * round's counters in the same transaction as the insert, and only when the insert happened (a row
 * that already existed, written by a worker that won the race, was counted by that worker). Budget
 * checks and progress reads then take a few rows instead of summing the whole round.
 * `storeOnce` is that rule for every result row (answers, judgments, reward scores).
 * The counters are striped (db/schema round_spend_stripes): a writer adds to one of ROUND_SPEND_STRIPES
 * rows, round-robin, and a read sums them with the base figures on the round's row. With one counter
 * row, every stored row of every worker queued on that row's lock (bench workers: 18 of 19 busy
 * connections waiting, and 4 workers no faster than 1).
 */
import { eq, sql } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.js";
import { rounds, roundSpendStripes } from "../db/schema/index.js";
import type { CallTab } from "./budget.js";

/** Counter rows per round that concurrent writers spread over. */
export const ROUND_SPEND_STRIPES = 16;
let nextStripe = Math.floor(Math.random() * ROUND_SPEND_STRIPES);

/** Db or a transaction on it. */
type Tx = Pick<Db, "update" | "select" | "insert">;

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

/** What one stored row of `kind` adds to the answer, judgment and invalid-judgment counters (an answer turn: nothing). */
export function countsOf(kind: SpendCount["kind"]): { answers: number; judgments: number; invalid: number } {
  return { answers: kind === "answer" ? 1 : 0, judgments: kind === "judgment" || kind === "invalid-judgment" ? 1 : 0, invalid: kind === "invalid-judgment" ? 1 : 0 };
}

/**
 * Count one stored row of `kind` (an invalid judgment also counts as invalid) and add its spend, on one
 * stripe. An `answer-turn` (one turn of a multi-turn answer) adds its spend only: the answer counts when
 * its last turn is in.
 */
export async function addRoundSpend(tx: Tx, roundId: string, kind: SpendCount["kind"], s: Spend): Promise<void> {
  const n = countsOf(kind);
  nextStripe = (nextStripe + 1) % ROUND_SPEND_STRIPES;
  const t = roundSpendStripes;
  const add = {
    spentPromptTokens: Math.round(s.promptTokens),
    spentCompletionTokens: Math.round(s.completionTokens),
    spentCostUsd: s.costUsd,
    answerCount: n.answers,
    judgmentCount: n.judgments,
    invalidJudgmentCount: n.invalid,
  };
  await tx
    .insert(t)
    .values({ roundId, stripe: nextStripe, ...add })
    .onConflictDoUpdate({
      target: [t.roundId, t.stripe],
      set: {
        spentPromptTokens: sql`${t.spentPromptTokens} + excluded.spent_prompt_tokens`,
        spentCompletionTokens: sql`${t.spentCompletionTokens} + excluded.spent_completion_tokens`,
        spentCostUsd: sql`${t.spentCostUsd} + excluded.spent_cost_usd`,
        answerCount: sql`${t.answerCount} + excluded.answer_count`,
        judgmentCount: sql`${t.judgmentCount} + excluded.judgment_count`,
        invalidJudgmentCount: sql`${t.invalidJudgmentCount} + excluded.invalid_judgment_count`,
      },
    });
}

/** SQL sums of a round's stripes, for selects that read its spend (`rounds` in the FROM clause). */
export const stripeSums = {
  prompt: sql<number>`${rounds.spentPromptTokens} + coalesce((select sum(s.spent_prompt_tokens) from round_spend_stripes s where s.round_id = ${rounds.id}), 0)`,
  completion: sql<number>`${rounds.spentCompletionTokens} + coalesce((select sum(s.spent_completion_tokens) from round_spend_stripes s where s.round_id = ${rounds.id}), 0)`,
  cost: sql<number>`${rounds.spentCostUsd} + coalesce((select sum(s.spent_cost_usd) from round_spend_stripes s where s.round_id = ${rounds.id}), 0)`,
};

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
  if (!tab) return storeCounted(db, table, values, count);
  return db.transaction(async (tx) => {
    // RETURNING a constant: only whether a row went in matters, not its (possibly long) text.
    const inserted = await tx.insert(table).values(values).onConflictDoNothing().returning({ stored: sql<number>`1` });
    const isNew = inserted.length > 0;
    if (isNew) await addRoundSpend(tx, count.roundId, count.kind, count.spend);
    await tab?.settle(tx, isNew);
    return isNew;
  });
}

/**
 * `storeOnce` without a call tab, in one statement (so one round trip and no explicit transaction,
 * and a stripe's row lock is held only while the statement runs): the insert is a data-modifying CTE,
 * and the stripe gains the row's spend from the rows it returned, so only an insert that happened
 * counts; PostgreSQL runs the statement atomically on either driver.
 */
async function storeCounted<T extends PgTable>(db: Db, table: T, values: PgInsertValue<T>, count: SpendCount): Promise<boolean> {
  nextStripe = (nextStripe + 1) % ROUND_SPEND_STRIPES;
  const { spend } = count;
  const n = countsOf(count.kind);
  const inserted = db.insert(table).values(values).onConflictDoNothing().returning({ stored: sql<number>`1` });
  const result = await db.execute(sql`with ins as (${inserted.getSQL()})
    insert into round_spend_stripes (round_id, stripe, spent_prompt_tokens, spent_completion_tokens, spent_cost_usd, answer_count, judgment_count, invalid_judgment_count)
    select ${count.roundId}, ${nextStripe}, ${Math.round(spend.promptTokens)}, ${Math.round(spend.completionTokens)}, ${spend.costUsd}::float8,
      ${n.answers}, ${n.judgments}, ${n.invalid} from ins
    on conflict (round_id, stripe) do update set
      spent_prompt_tokens = round_spend_stripes.spent_prompt_tokens + excluded.spent_prompt_tokens,
      spent_completion_tokens = round_spend_stripes.spent_completion_tokens + excluded.spent_completion_tokens,
      spent_cost_usd = round_spend_stripes.spent_cost_usd + excluded.spent_cost_usd,
      answer_count = round_spend_stripes.answer_count + excluded.answer_count,
      judgment_count = round_spend_stripes.judgment_count + excluded.judgment_count,
      invalid_judgment_count = round_spend_stripes.invalid_judgment_count + excluded.invalid_judgment_count
    returning 1 as counted`);
  const rows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows ?? [];
  return rows.length > 0;
}

/** The round's counters (null for an unknown round): its base figures plus its stripes. */
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
  const t = roundSpendStripes;
  const [st] = await db
    .select({
      p: sql<string | null>`sum(${t.spentPromptTokens})`,
      c: sql<string | null>`sum(${t.spentCompletionTokens})`,
      cost: sql<number | null>`sum(${t.spentCostUsd})`,
      answers: sql<string | null>`sum(${t.answerCount})`,
      judgments: sql<string | null>`sum(${t.judgmentCount})`,
      invalid: sql<string | null>`sum(${t.invalidJudgmentCount})`,
    })
    .from(t)
    .where(eq(t.roundId, roundId));
  const prompt = Number(r.p) + Number(st?.p ?? 0);
  const completion = Number(r.c) + Number(st?.c ?? 0);
  return {
    responses: Number(r.answers) + Number(st?.answers ?? 0),
    judgments: { total: Number(r.judgments) + Number(st?.judgments ?? 0), invalid: Number(r.invalid) + Number(st?.invalid ?? 0) },
    tokens: { prompt, completion, total: prompt + completion },
    costUsd: Number(r.cost) + Number(st?.cost ?? 0),
  };
}
