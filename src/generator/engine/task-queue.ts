/**
 * The generator's work queue: the gen_tasks descriptor for the lease queue (db/job-queue.ts: claims
 * of active runs' tasks, leases on the database clock, writes by the lease owner only, retries while
 * attempts are left) and the run-side queries: stalled runs, cancel, resume, a stage's tasks.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { type BudgetCaps, readBudget, setBudgetCaps } from "../../../db/budget-ledger.js";
import { jobQueue } from "../../../db/job-queue.js";
import { genRuns, genTasks } from "../../../db/schema/index.js";

export type TaskRow = typeof genTasks.$inferSelect;
export type RunRow = typeof genRuns.$inferSelect;

export const ACTIVE_RUN = ["pending", "running"];
export const OPEN_TASK = ["pending", "running"];

/** The gen_tasks table as a lease queue (db/job-queue.ts): tasks are claimed while their run is active. */
export const taskQueue = jobQueue({
  table: genTasks,
  id: genTasks.id,
  parentId: genTasks.runId,
  status: genTasks.status,
  leaseOwner: genTasks.leaseOwner,
  leaseExpiresAt: genTasks.leaseExpiresAt,
  attempts: genTasks.attempts,
  error: genTasks.error,
  errorKind: genTasks.errorKind,
  finishedAt: genTasks.finishedAt,
  parent: { table: genRuns, id: genRuns.id, status: genRuns.status, startedAt: genRuns.startedAt, error: genRuns.error, finishedAt: genRuns.finishedAt },
});

/** Runs that are active but have no open task: their stage must be advanced (also after a crash). */
export async function stalledRuns(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: genRuns.id })
    .from(genRuns)
    .where(
      and(
        inArray(genRuns.status, ACTIVE_RUN),
        sql`not exists (select 1 from ${genTasks} where ${genTasks.runId} = ${genRuns.id} and ${genTasks.status} in ('pending', 'running'))`,
      ),
    );
  return rows.map((r) => r.id);
}

/** Stops a run: pending tasks are cancelled; tasks in flight finish and are kept. */
/** Cancels an active run and its pending tasks; what it changed, for the lifecycle log (nothing when the run had ended). */
export async function cancelRun(db: Db, id: string): Promise<{ cancelled: boolean; cancelledTasks: number }> {
  return db.transaction(async (tx) => {
    const runs = await tx.update(genRuns).set({ status: "cancelled", finishedAt: sql`now()` }).where(and(eq(genRuns.id, id), inArray(genRuns.status, ACTIVE_RUN))).returning({ id: genRuns.id });
    const tasks = await tx.update(genTasks).set({ status: "cancelled" }).where(and(eq(genTasks.runId, id), eq(genTasks.status, "pending"))).returning({ id: genTasks.id });
    return { cancelled: runs.length > 0, cancelledTasks: tasks.length };
  });
}

/** A run's tasks by status (every stage), for lifecycle logs. */
export async function taskCounts(db: Db, runId: string): Promise<{ done: number; failed: number; pending: number; running: number; cancelled: number }> {
  const [c] = await db
    .select({
      done: sql<number>`count(*) filter (where ${genTasks.status} = 'done')::int`,
      failed: sql<number>`count(*) filter (where ${genTasks.status} = 'failed')::int`,
      pending: sql<number>`count(*) filter (where ${genTasks.status} = 'pending')::int`,
      running: sql<number>`count(*) filter (where ${genTasks.status} = 'running')::int`,
      cancelled: sql<number>`count(*) filter (where ${genTasks.status} = 'cancelled')::int`,
    })
    .from(genTasks)
    .where(eq(genTasks.runId, runId));
  return { done: c?.done ?? 0, failed: c?.failed ?? 0, pending: c?.pending ?? 0, running: c?.running ?? 0, cancelled: c?.cancelled ?? 0 };
}

/**
 * Re-queues a run's failed and cancelled tasks and reopens it. Stages already planned from earlier
 * results are not re-planned: a retried task of an earlier stage adds its own output only.
 */
export async function resumeRun(db: Db, id: string, caps?: BudgetCaps): Promise<number> {
  return db.transaction(async (tx) => {
    // The run row first, as the budget stop (db/budget-stop.ts) takes it before the budget row:
    // the other order deadlocks against a worker stopping the run on PostgreSQL.
    await tx.select({ id: genRuns.id }).from(genRuns).where(eq(genRuns.id, id)).for("update");
    if (caps && (caps.maxCostUsd != null || caps.maxTokens != null)) {
      const key = { scope: "run" as const, ownerId: id };
      const current = await readBudget(tx, key);
      await setBudgetCaps(tx, key, { maxCostUsd: caps.maxCostUsd ?? current?.maxCostUsd, maxTokens: caps.maxTokens ?? current?.maxTokens });
    }
    const requeued = await tx
      .update(genTasks)
      .set({ status: "pending", attempts: 0, error: null, errorKind: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: null })
      .where(and(eq(genTasks.runId, id), inArray(genTasks.status, ["failed", "cancelled"])))
      .returning({ id: genTasks.id });
    await tx.update(genRuns).set({ status: "pending", finishedAt: null, error: null }).where(eq(genRuns.id, id));
    return requeued.length;
  });
}

/** Every task of a run in one stage (or, with `prefix`, in every stage starting with it), in id order. */
export async function tasksOfStage(db: Db, runId: string, stage: string, prefix = false): Promise<TaskRow[]> {
  const stageCond = prefix ? sql`${genTasks.stage} like ${`${stage}%`}` : eq(genTasks.stage, stage);
  return db.select().from(genTasks).where(and(eq(genTasks.runId, runId), stageCond)).orderBy(genTasks.id);
}
