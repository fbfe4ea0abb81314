/**
 * A generator run's budget (db/schema/budget.ts, scope "run"), through the same ledger as rounds:
 * each call reserves its worst case before it is sent (waiting in place while only reservations in
 * flight stand in the way) and is settled at once with its real spend when it returns (a run keeps
 * no per-call rows whose insert could carry it), or released when it fails.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { type BudgetKey, clearReservations, readBudget, reserveOrWait, settleSpend } from "../../../db/budget-ledger.js";
import { genRuns, genTasks } from "../../../db/schema/index.js";
import { budgetStopMessage } from "../../../battles/budget.js";
import type { SpendGuard } from "../../gateway/types.js";

export interface RunGuard extends SpendGuard {
  /** Set when a call was refused because settled spend alone leaves it no room: the run must stop. */
  readonly exhausted: boolean;
}

const keyOf = (runId: string): BudgetKey => ({ scope: "run", ownerId: runId });

/** The run's guard, or null when the run has no budget (its calls are not reserved). */
export async function loadRunGuard(db: Db, runId: string): Promise<RunGuard | null> {
  const key = keyOf(runId);
  if (!(await readBudget(db, key))) return null;
  let exhausted = false;
  return {
    get exhausted() {
      return exhausted;
    },
    reserve: async (est) => {
      const r = await reserveOrWait(db, key, est);
      if (r === "never") exhausted = true;
      return r === "reserved";
    },
    finish: (est, actual) => settleSpend(db, key, est, actual),
  };
}

/**
 * The run-side twin of battles' budgetStop, on tasks: after a refusal for good ("never", or "wait"
 * with no task in flight) an active run becomes budget_exhausted; once no task is in flight the
 * error names the settled spend and leftover reservations are cleared.
 */
export async function runBudgetStop(db: Db, runId: string, event: "never" | "wait" | "ended"): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select({ status: genRuns.status }).from(genRuns).where(eq(genRuns.id, runId)).for("update");
    if (!run) return false;
    const active = ["pending", "running"].includes(run.status);
    if ((!active && run.status !== "budget_exhausted") || (active && event === "ended")) return false;
    const [open] = await tx
      .select({ running: sql<number>`count(*) filter (where ${genTasks.status} = 'running')::int`, pending: sql<number>`count(*) filter (where ${genTasks.status} = 'pending')::int` })
      .from(genTasks)
      .where(eq(genTasks.runId, runId));
    if (!open) return false;
    const stopping = active && (event === "never" || open.running === 0);
    if (active && !stopping) return false;
    const key = keyOf(runId);
    const caps = await readBudget(tx, key);
    if (!caps) return false;
    if (open.running === 0) await clearReservations(tx, key);
    const message = budgetStopMessage(caps, { tokens: caps.spentTokens, costUsd: caps.spentCostUsd }, open.pending, "task");
    const error = open.running === 0 ? message : `${message}; ${open.running} task(s) in flight still settling`;
    await tx
      .update(genRuns)
      .set({ status: "budget_exhausted", error, ...(stopping ? { finishedAt: sql`now()` } : {}) })
      .where(eq(genRuns.id, runId));
    return stopping;
  });
}
