/**
 * A generator run's budget (db/schema/budget.ts, scope "run"), through the same ledger as rounds:
 * each call reserves its worst case before it is sent (waiting in place while only reservations in
 * flight stand in the way) and is settled at once with its real spend when it returns (a run keeps
 * no per-call rows whose insert could carry it), or released when it fails. The run's stop is the
 * engine's one budget stop (db/budget-stop.ts) bound to runs.
 */
import type { Db } from "../../../db/client.js";
import { type BudgetKey, type Holder, readBudget, reserveOrWait, settleSpend } from "../../../db/budget-ledger.js";
import { type BudgetEvent, budgetStop } from "../../../db/budget-stop.js";
import { budgetStopMessage } from "../../../battles/budget.js";
import type { SpendGuard } from "../../gateway/types.js";
import { taskQueue } from "./task-queue.js";

export interface RunGuard extends SpendGuard {
  /** Set when a call was refused because settled spend alone leaves it no room: the run must stop. */
  readonly exhausted: boolean;
}

const keyOf = (runId: string): BudgetKey => ({ scope: "run", ownerId: runId });

/**
 * The run's guard, or null when the run has no budget (its calls are not reserved). `holder`: the task
 * and lease owner its calls are made for (a killed worker's reservations are then given back by the stop).
 */
export async function loadRunGuard(db: Db, runId: string, holder?: Holder): Promise<RunGuard | null> {
  const key = keyOf(runId);
  if (!(await readBudget(db, key))) return null;
  let exhausted = false;
  return {
    get exhausted() {
      return exhausted;
    },
    // A detached reservation (a provider batch call's) is not held by this task's lease.
    reserve: async (est, opts) => {
      const r = await reserveOrWait(db, key, est, opts?.detached ? undefined : holder);
      if (r === "never") exhausted = true;
      return r === "reserved";
    },
    finish: (est, actual, opts) => settleSpend(db, key, est, actual, opts?.detached ? undefined : holder),
  };
}

/** A budgeted run's stop (db/budget-stop.ts), its error from the run's settled spend on the ledger. */
export function runBudgetStop(db: Db, runId: string, event: BudgetEvent): Promise<boolean> {
  return budgetStop(db, taskQueue, runId, event, {
    key: keyOf(runId),
    noun: "task",
    message: async (_tx, caps, pending) => budgetStopMessage(caps, { tokens: caps.spentTokens, costUsd: caps.spentCostUsd }, pending, "task"),
  });
}
