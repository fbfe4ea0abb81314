/**
 * A round's running spend: every stored answer and judgment adds its tokens and cost to counters on
 * the round's row in the same transaction as the insert, and only when the insert happened (a row
 * that already existed, written by a worker that won the race, was counted by that worker). Budget
 * checks then read one row instead of summing the whole round before every battle.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rounds } from "../db/schema/index.js";

/** Db or a transaction on it. */
type Tx = Pick<Db, "update" | "select">;

export interface Spend {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export async function addRoundSpend(tx: Tx, roundId: string, s: Spend): Promise<void> {
  if (s.promptTokens === 0 && s.completionTokens === 0 && s.costUsd === 0) return;
  await tx
    .update(rounds)
    .set({
      spentPromptTokens: sql`${rounds.spentPromptTokens} + ${Math.round(s.promptTokens)}`,
      spentCompletionTokens: sql`${rounds.spentCompletionTokens} + ${Math.round(s.completionTokens)}`,
      spentCostUsd: sql`${rounds.spentCostUsd} + ${s.costUsd}`,
    })
    .where(eq(rounds.id, roundId));
}

/** The round's spend so far (null for an unknown round). */
export async function readRoundSpend(db: Tx, roundId: string): Promise<{ tokens: number; costUsd: number } | null> {
  const [r] = await db
    .select({ p: rounds.spentPromptTokens, c: rounds.spentCompletionTokens, cost: rounds.spentCostUsd })
    .from(rounds)
    .where(eq(rounds.id, roundId));
  return r ? { tokens: Number(r.p) + Number(r.c), costUsd: Number(r.cost) } : null;
}
