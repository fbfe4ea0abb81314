/**
 * A round's budget as the gateway sees it: each call gets a tab (a `SpendGuard`) that reserves the
 * call's worst case on the round's budget row before it is sent and gives it back if the call fails.
 * A successful call's reservation is held until its answer or judgment is stored, and settled in
 * that insert's transaction, where the round's spend counters move too (battles/spend.ts).
 */
import type { Db } from "../db/client.js";
import { type BudgetKey, type Holder, readBudget, reserveOrWait, settleSpend, type SpendAmount } from "../db/budget-ledger.js";
import type { CallGuard } from "./llm.js";

type Tx = Pick<Db, "insert" | "update" | "select" | "delete" | "execute">;

/** Reservations of one stored row's calls (a judgment may take several calls). */
export interface CallTab extends CallGuard {
  /** In the insert's transaction: settle each call with its real spend, or release it when nothing was stored. */
  settle(tx: Tx, stored: boolean): Promise<void>;
  /** Give back what is held (the row was never stored). */
  release(): Promise<void>;
}

export interface RoundBudget {
  readonly key: BudgetKey;
  tab(): CallTab;
  /** Set when a call was refused because settled spend alone leaves it no room: the round must stop. */
  readonly exhausted: boolean;
}

/**
 * The round's budget, or null when it has none (its calls are then not reserved). `holder`: the battle
 * and lease owner its calls are made for, so a killed worker's reservations can be given back
 * (db/budget-ledger.ts `releaseLostHolds`, called by the budget stop).
 */
export async function loadRoundBudget(db: Db, roundId: string, holder?: Holder): Promise<RoundBudget | null> {
  const key: BudgetKey = { scope: "round", ownerId: roundId };
  if (!(await readBudget(db, key))) return null;
  let exhausted = false;
  const onNever = () => {
    exhausted = true;
  };
  return {
    key,
    tab: () => newTab(db, key, onNever, holder),
    get exhausted() {
      return exhausted;
    },
  };
}

function newTab(db: Db, key: BudgetKey, onNever: () => void, holder: Holder | undefined): CallTab {
  let held: { est: SpendAmount; actual: SpendAmount; detached: boolean }[] = [];
  const take = () => {
    const out = held;
    held = [];
    return out;
  };
  // A detached reservation (a provider batch call's) is not held by this battle's lease.
  const by = (detached: boolean | undefined) => (detached ? undefined : holder);
  return {
    reserve: async (est, opts) => {
      // Waiting in place for reservations in flight beats handing the battle back and claiming it again at once.
      const r = await reserveOrWait(db, key, est, by(opts?.detached));
      if (r === "never") onNever();
      return r === "reserved";
    },
    finish: async (est, actual, opts) => {
      if (actual) held.push({ est, actual, detached: opts?.detached === true });
      else await settleSpend(db, key, est, null, by(opts?.detached));
    },
    // Kept until the tab is dropped: if the insert's transaction rolls back, withTab releases them.
    settle: async (tx, stored) => {
      for (const h of held) await settleSpend(tx, key, h.est, stored ? h.actual : null, by(h.detached));
    },
    release: async () => {
      for (const h of take()) await settleSpend(db, key, h.est, null, by(h.detached));
    },
  };
}

/**
 * Runs `work` with a tab; when it throws, whatever the tab holds is released before rethrowing.
 * `work` must end with the insert's transaction that settles the tab (nothing may throw after it).
 */
export async function withTab<T>(budget: RoundBudget | null | undefined, work: (tab: CallTab | undefined) => Promise<T>): Promise<T> {
  const tab = budget?.tab();
  try {
    return await work(tab);
  } catch (e) {
    await tab?.release();
    throw e;
  }
}

/** USD as reported (progress and messages share it): rounded to 1e-8, far below any provider's price step. */
export function roundUsd(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

/**
 * Why a round stopped, from the same counters GET /v1/rounds/{id} shows (`costUsd`, `tokens.total`)
 * with the same rounding. Pure.
 */
export function budgetStopMessage(caps: { maxCostUsd: number | null; maxTokens: number | null }, spent: SpendAmount, pending: number, noun = "battle"): string {
  const cost = `$${roundUsd(spent.costUsd)}${caps.maxCostUsd !== null ? ` of $${caps.maxCostUsd}` : ""}`;
  const tokens = `${Math.round(spent.tokens)}${caps.maxTokens !== null ? ` of ${caps.maxTokens}` : ""} tokens`;
  return `budget exhausted: spent ${cost} and ${tokens}; the next call does not fit, ${pending} ${noun}(s) left pending (raise the budget and resume)`;
}
