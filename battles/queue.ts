/**
 * The battles table as a work queue: its descriptor for the lease queue (db/job-queue.ts) and the
 * round-side queries over it: closing a round whose battles have all settled, and a budgeted round's
 * stop. Result rows have unique keys, so a late or repeated write changes nothing.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { jobQueue } from "../db/job-queue.js";
import { battles, rounds } from "../db/schema/index.js";
import { clearReservations, readBudget } from "../db/budget-ledger.js";
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
  parent: { table: rounds, id: rounds.id, status: rounds.status, startedAt: rounds.startedAt },
});

export interface BattleResult {
  outcome: number | null;
  margin: number | null;
  styleA?: Record<string, number>;
  styleB?: Record<string, number>;
}

/** How a round ended, with its battle counts (for the lifecycle log). */
export interface RoundEnd {
  status: "done" | "failed";
  done: number;
  failed: number;
}

/** Marks a running round done (or failed when every battle failed) once nothing is left to do; null when it was not this call that ended it. */
export async function finishRoundIfComplete(db: Db, roundId: string): Promise<RoundEnd | null> {
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

/**
 * Why `budgetStop` is called: a call was refused for good ("never"), refused while other calls'
 * reservations stood in the way ("wait"), or a battle of a budgeted round ended ("ended").
 */
export type BudgetEvent = "never" | "wait" | "ended";

/**
 * A budgeted round's stop: after a "never" refusal (or a "wait" one with nothing left in flight,
 * whose blocking reservations can only be a crashed worker's leftovers) an active round becomes
 * budget_exhausted, so no battle of it is claimed again; battles still in flight finish under their
 * reservations. Whoever calls this last, once none is in flight, writes the error from the round's
 * final counters (the figures GET /v1/rounds/{id} shows) and clears reservations that crashed
 * workers left behind. The round row is locked, so concurrent callers take turns.
 */
export async function budgetStop(db: Db, roundId: string, event: BudgetEvent): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [round] = await tx.select({ status: rounds.status }).from(rounds).where(eq(rounds.id, roundId)).for("update");
    if (!round) return false;
    const active = ["pending", "running"].includes(round.status);
    if (!active && round.status !== "budget_exhausted") return false;
    if (active && event === "ended") return false;
    const [open] = await tx
      .select({ running: sql<number>`count(*) filter (where ${battles.status} = 'running')::int`, pending: sql<number>`count(*) filter (where ${battles.status} = 'pending')::int` })
      .from(battles)
      .where(eq(battles.roundId, roundId));
    if (!open) return false;
    const stopping = active && (event === "never" || open.running === 0);
    if (active && !stopping) return false;
    const key = { scope: "round" as const, ownerId: roundId };
    const caps = await readBudget(tx, key);
    const spent = await roundSpend(tx, roundId);
    if (!caps || !spent) return false;
    const settled = open.running === 0;
    if (settled) await clearReservations(tx, key);
    const message = budgetStopMessage(caps, { tokens: spent.tokens.total, costUsd: spent.costUsd }, open.pending);
    const error = settled ? message : `${message}; ${open.running} battle(s) in flight still settling`;
    await tx
      .update(rounds)
      .set({ status: "budget_exhausted", error, ...(stopping ? { finishedAt: sql`now()` } : {}) })
      .where(eq(rounds.id, roundId));
    return stopping;
  });
}
