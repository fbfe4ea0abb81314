/**
 * The budget stop of the job engine, one for every queue (rounds over battles, generator runs over
 * gen_tasks): after a refusal for good ("never"), or a "wait" refusal with nothing left in flight, an
 * active parent becomes budget_exhausted, so none of its jobs is claimed again; jobs still in flight
 * finish under their reservations. A "wait" first gives back the reservations of workers that lost
 * their job's lease (a killed worker's, db/budget-ledger.ts `releaseLostHolds`): when that frees any,
 * the parent is not stopped (the refusal was theirs, not the budget's). Whoever calls this last, once none is in flight ("ended"), writes the error from the
 * final counters and clears the reservations crashed workers left behind. The parent row is locked
 * first (the lock order resume takes too), so concurrent callers take turns.
 */
import { eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type BudgetKey, type BudgetRow, clearReservations, readBudget, releaseLostHolds } from "./budget-ledger.js";
import type { Db } from "./client.js";
import { type JobQueue, setter } from "./job-queue.js";

/**
 * Why the stop is called: a call was refused for good ("never"), refused while other calls'
 * reservations stood in the way ("wait"), or a job of a budgeted parent ended ("ended").
 */
export type BudgetEvent = "never" | "wait" | "ended";

export interface BudgetStopOptions {
  /** The parent's budget row. */
  key: BudgetKey;
  /** What a job is called in the error ("battle", "task"). */
  noun: string;
  /**
   * Why the parent stopped, from its final counters read through `tx` (`pending` jobs are left), or
   * null when they cannot be read (then nothing is written).
   */
  message(tx: Db, caps: BudgetRow, pending: number): Promise<string | null>;
}

const ACTIVE = ["pending", "running"];

/** Stops a budgeted parent of `queue` on `event`; true when this call stopped it (it was active). */
export async function budgetStop<T extends PgTable>(db: Db, queue: Pick<JobQueue<T>, "columns">, parentId: string, event: BudgetEvent, o: BudgetStopOptions): Promise<boolean> {
  const t = queue.columns;
  const p = t.parent;
  // drizzle cannot check `from` on a generic table; the count reads only the descriptor's columns.
  const jobs: PgTable = t.table;
  return db.transaction(async (tx) => {
    const [parent] = await tx.select({ status: p.status }).from(p.table).where(eq(p.id, parentId)).for("update");
    if (!parent) return false;
    const status = String(parent.status);
    const active = ACTIVE.includes(status);
    if (!active && status !== "budget_exhausted") return false;
    if (active && event === "ended") return false;
    // Reservations of workers that lost their lease (killed) can never settle: give them back first, and
    // if that made room, this was no budget stop: the refused job is claimed again and finds it.
    if (active && event === "wait" && (await releaseLostHolds(tx, o.key, t)) > 0) return false;
    const [open] = await tx
      .select({ running: sql<number>`count(*) filter (where ${t.status} = 'running')::int`, pending: sql<number>`count(*) filter (where ${t.status} = 'pending')::int` })
      .from(jobs)
      .where(eq(t.parentId, parentId));
    if (!open) return false;
    const stopping = active && (event === "never" || open.running === 0);
    if (active && !stopping) return false;
    const caps = await readBudget(tx, o.key);
    if (!caps) return false;
    const message = await o.message(tx, caps, open.pending);
    if (message === null) return false;
    const settled = open.running === 0;
    if (settled) await clearReservations(tx, o.key);
    const error = settled ? message : `${message}; ${open.running} ${o.noun}(s) in flight still settling`;
    const set = setter<PgTable>(p.table).values([[p.status, "budget_exhausted"], [p.error, error], ...(stopping ? [[p.finishedAt, sql`now()`] as [typeof p.finishedAt, unknown]] : [])]);
    await tx.update(p.table).set(set).where(eq(p.id, parentId));
    return stopping;
  });
}
