/**
 * The generator's work queue: tasks of active runs are claimed with FOR UPDATE SKIP LOCKED and a
 * lease on the database clock (a crashed worker's tasks are claimed again when it expires), results
 * are written only by the lease owner, and a retryable failure goes back to the queue until its
 * attempts are spent; a final failure keeps its error on the task.
 */
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type BudgetCaps, readBudget, setBudgetCaps } from "../../db/budget-ledger.js";
import { genRuns, genTasks } from "../../db/schema/index.js";

export type TaskRow = typeof genTasks.$inferSelect;
export type RunRow = typeof genRuns.$inferSelect;

export const ACTIVE_RUN = ["pending", "running"];
export const OPEN_TASK = ["pending", "running"];

const leaseUntil = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/** Claims up to `n` tasks of active runs for `owner`, oldest first; expired leases are reclaimed. */
export async function claimTasks(db: Db, owner: string, n: number, leaseMs: number): Promise<TaskRow[]> {
  if (n <= 0) return [];
  const claimable = db
    .select({ id: genTasks.id })
    .from(genTasks)
    .innerJoin(genRuns, eq(genRuns.id, genTasks.runId))
    .where(
      and(
        inArray(genRuns.status, ACTIVE_RUN),
        or(eq(genTasks.status, "pending"), and(eq(genTasks.status, "running"), lt(genTasks.leaseExpiresAt, sql`now()`))),
      ),
    )
    .orderBy(genTasks.id)
    .limit(n)
    .for("update", { of: genTasks, skipLocked: true });
  const claimed = await db
    .update(genTasks)
    .set({ status: "running", leaseOwner: owner, leaseExpiresAt: leaseUntil(leaseMs), attempts: sql`${genTasks.attempts} + 1` })
    .where(inArray(genTasks.id, claimable))
    .returning();
  const runIds = [...new Set(claimed.map((t) => t.runId))];
  if (runIds.length > 0) {
    await db
      .update(genRuns)
      .set({ status: "running", startedAt: sql`coalesce(${genRuns.startedAt}, now())` })
      .where(and(inArray(genRuns.id, runIds), eq(genRuns.status, "pending")));
  }
  return claimed.sort((a, b) => a.id - b.id);
}

export async function renewTaskLeases(db: Db, owner: string, ids: number[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(genTasks)
    .set({ leaseExpiresAt: leaseUntil(leaseMs) })
    .where(and(inArray(genTasks.id, ids), eq(genTasks.leaseOwner, owner), eq(genTasks.status, "running")));
}

/**
 * Records a finished task and runs its `write` (items, scenarios, personas) in the same transaction;
 * nothing is written when another worker already finished it.
 */
export async function completeTask(db: Db, id: number, owner: string, output: Record<string, unknown>, write?: (tx: Db) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(genTasks)
      .set({ status: "done", output, error: null, errorKind: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()` })
      .where(and(eq(genTasks.id, id), eq(genTasks.leaseOwner, owner), eq(genTasks.status, "running")))
      .returning({ id: genTasks.id });
    if (rows.length === 0) return false;
    if (write) await write(tx);
    return true;
  });
}

/** Back to the queue (retryable, attempts left) or failed with its error kept. */
export async function failTask(
  db: Db,
  t: Pick<TaskRow, "id" | "attempts">,
  owner: string,
  err: { message: string; kind: string; retryable: boolean },
  maxAttempts: number,
): Promise<"retry" | "failed"> {
  const again = err.retryable && t.attempts < maxAttempts;
  await db
    .update(genTasks)
    .set({
      status: again ? "pending" : "failed",
      error: err.message.slice(0, 2000),
      errorKind: err.kind,
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: again ? null : sql`now()`,
    })
    .where(and(eq(genTasks.id, t.id), eq(genTasks.leaseOwner, owner), eq(genTasks.status, "running")));
  return again ? "retry" : "failed";
}

/** Hands a claimed task back to the queue without counting the attempt (its budget refused a call). */
export async function requeueTask(db: Db, id: number, owner: string): Promise<void> {
  await db
    .update(genTasks)
    .set({ status: "pending", leaseOwner: null, leaseExpiresAt: null, attempts: sql`greatest(0, ${genTasks.attempts} - 1)` })
    .where(and(eq(genTasks.id, id), eq(genTasks.leaseOwner, owner), eq(genTasks.status, "running")));
}

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
export async function cancelRun(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(genRuns).set({ status: "cancelled", finishedAt: sql`now()` }).where(and(eq(genRuns.id, id), inArray(genRuns.status, ACTIVE_RUN)));
    await tx.update(genTasks).set({ status: "cancelled" }).where(and(eq(genTasks.runId, id), eq(genTasks.status, "pending")));
  });
}

/**
 * Re-queues a run's failed and cancelled tasks and reopens it. Stages already planned from earlier
 * results are not re-planned: a retried task of an earlier stage adds its own output only.
 */
export async function resumeRun(db: Db, id: string, caps?: BudgetCaps): Promise<number> {
  return db.transaction(async (tx) => {
    // The run row first, as the budget stop (src/generator/budget.ts) takes it before the budget row:
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
