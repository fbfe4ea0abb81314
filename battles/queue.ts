/**
 * The battles table as a work queue: its descriptor for the lease queue (db/job-queue.ts) and the
 * round-side queries over it: closing a round whose battles have all settled, and a budgeted round's
 * stop (the engine's one budget stop, db/budget-stop.ts, bound to rounds). Result rows have unique
 * keys, so a late or repeated write changes nothing.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { jobQueue } from "../db/job-queue.js";
import { battles, rounds, type StoredStyle } from "../db/schema/index.js";
import { type BudgetEvent, budgetStop } from "../db/budget-stop.js";
import { budgetStopMessage } from "./budget.js";
import { roundSpend } from "./spend.js";

export type BattleRow = typeof battles.$inferSelect;

/** The battles table as a lease queue (db/job-queue.ts): battles are claimed while their round is active. */
export const battleQueue = jobQueue({
  table: battles,
  id: battles.id,
  parentId: battles.roundId,
  status: battles.status,
  leaseOwner: battles.leaseOwner,
  leaseExpiresAt: battles.leaseExpiresAt,
  attempts: battles.attempts,
  error: battles.error,
  errorKind: battles.errorKind,
  finishedAt: battles.finishedAt,
  parent: { table: rounds, id: rounds.id, status: rounds.status, startedAt: rounds.startedAt, error: rounds.error, finishedAt: rounds.finishedAt },
});

export interface BattleResult {
  outcome: number | null;
  margin: number | null;
  styleA?: StoredStyle;
  styleB?: StoredStyle;
}

/** How a round ended, with its battle counts (for the lifecycle log). */
export interface RoundEnd {
  status: "done" | "failed";
  done: number;
  failed: number;
}

/** Marks a running round done (or failed when every battle failed) once nothing is left to do; null when it was not this call that ended it. */
export async function finishRoundIfComplete(db: Db, roundId: string): Promise<RoundEnd | null> {
  // Called after every battle: while one is still open (the usual case) one index probe says so,
  // instead of counting the round's every battle each time (quadratic over a round).
  const [left] = await db
    .select({ id: battles.id })
    .from(battles)
    .where(and(eq(battles.roundId, roundId), inArray(battles.status, ["pending", "running"])))
    .limit(1);
  if (left) return null;
  const [open] = await db
    .select({
      n: sql<number>`count(*) filter (where ${battles.status} in ('pending','running'))::int`,
      ok: sql<number>`count(*) filter (where ${battles.status} = 'done')::int`,
      failed: sql<number>`count(*) filter (where ${battles.status} = 'failed')::int`,
    })
    .from(battles)
    .where(eq(battles.roundId, roundId));
  if (!open || open.n > 0) return null;
  const status = open.ok > 0 ? "done" : "failed";
  const rows = await db
    .update(rounds)
    .set({ status, finishedAt: sql`now()`, error: open.ok > 0 ? null : "every battle failed" })
    .where(and(eq(rounds.id, roundId), inArray(rounds.status, ["pending", "running"])))
    .returning({ id: rounds.id });
  return rows.length > 0 ? { status, done: Number(open.ok), failed: Number(open.failed) } : null;
}

/** A budgeted round's stop (db/budget-stop.ts), its error from the counters GET /v1/rounds/{id} shows. */
export function roundBudgetStop(db: Db, roundId: string, event: BudgetEvent): Promise<boolean> {
  return budgetStop(db, battleQueue, roundId, event, {
    key: { scope: "round", ownerId: roundId },
    noun: "battle",
    message: async (tx, caps, pending) => {
      const spent = await roundSpend(tx, roundId);
      return spent && budgetStopMessage(caps, { tokens: spent.tokens.total, costUsd: spent.costUsd }, pending);
    },
  });
}
