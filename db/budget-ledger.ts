/**
 * Budget ledger queries (db/schema/budget.ts), shared by rounds and generator runs. A reservation is
 * one conditional UPDATE on the budget's row: it succeeds only while settled spend plus reservations
 * plus this call's worst case stays within every cap, so concurrent workers on any driver share one
 * cap through the row lock. Functions take the database or a transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { budgets } from "./schema/index.js";

type Tx = Pick<Db, "insert" | "update" | "select">;

export interface BudgetKey {
  scope: "round" | "run";
  ownerId: string;
}

/** Tokens (prompt + completion) and USD, of one call or a sum of calls. */
export interface SpendAmount {
  tokens: number;
  costUsd: number;
}

export interface BudgetCaps {
  maxCostUsd?: number | null;
  maxTokens?: number | null;
}

export type BudgetRow = typeof budgets.$inferSelect;

const where = (k: BudgetKey) => and(eq(budgets.scope, k.scope), eq(budgets.ownerId, k.ownerId));

/** Creates the budget row, or replaces its caps (a raised budget on resume); `spent` seeds a new row. */
export async function setBudgetCaps(tx: Tx, k: BudgetKey, caps: BudgetCaps, spent: SpendAmount = { tokens: 0, costUsd: 0 }): Promise<void> {
  const values = { maxCostUsd: caps.maxCostUsd ?? null, maxTokens: caps.maxTokens ?? null };
  await tx
    .insert(budgets)
    .values({ ...k, ...values, spentTokens: Math.round(spent.tokens), spentCostUsd: spent.costUsd })
    .onConflictDoUpdate({ target: [budgets.scope, budgets.ownerId], set: values });
}

export async function readBudget(tx: Tx, k: BudgetKey): Promise<BudgetRow | null> {
  const [row] = await tx.select().from(budgets).where(where(k));
  return row ?? null;
}

/**
 * What a reservation attempt found: "reserved"; "wait" (only other calls' reservations stand in the
 * way; they may settle below their worst case and leave room); "never" (settled spend alone leaves
 * no room, and settled spend only grows).
 */
export type Reservation = "reserved" | "wait" | "never";

/** Reserves `est` if it fits under every cap. A key without a budget row has no cap. */
export async function reserveSpend(db: Tx, k: BudgetKey, est: SpendAmount): Promise<Reservation> {
  const tokens = Math.ceil(est.tokens);
  const rows = await db
    .update(budgets)
    .set({ reservedCostUsd: sql`${budgets.reservedCostUsd} + ${est.costUsd}`, reservedTokens: sql`${budgets.reservedTokens} + ${tokens}` })
    .where(
      and(
        where(k),
        sql`(${budgets.maxCostUsd} is null or ${budgets.spentCostUsd} + ${budgets.reservedCostUsd} + ${est.costUsd} <= ${budgets.maxCostUsd})`,
        sql`(${budgets.maxTokens} is null or ${budgets.spentTokens} + ${budgets.reservedTokens} + ${tokens} <= ${budgets.maxTokens})`,
      ),
    )
    .returning({ scope: budgets.scope });
  if (rows.length > 0) return "reserved";
  const row = await readBudget(db, k);
  if (!row) return "reserved";
  return fitsAlone(row, { tokens, costUsd: est.costUsd }) ? "wait" : "never";
}

/** How often, and how long at most, a call blocked only by reservations in flight asks again. */
export const WAIT_POLL_MS = 200;
export const WAIT_LIMIT_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * `reserveSpend`, waiting in place while only other calls' reservations stand in the way (they
 * usually settle below their worst case and leave room), up to WAIT_LIMIT_MS; "wait" after that.
 */
export async function reserveOrWait(db: Tx, k: BudgetKey, est: SpendAmount): Promise<Reservation> {
  for (let waited = 0; ; waited += WAIT_POLL_MS) {
    const r = await reserveSpend(db, k, est);
    if (r !== "wait" || waited >= WAIT_LIMIT_MS) return r;
    await sleep(WAIT_POLL_MS);
  }
}

/**
 * The first cap in `caps` that does not exceed what is already spent, as a 400's field and message
 * (a resume with such a cap would stop again at once), or null. Pure.
 */
export function capProblem(caps: BudgetCaps, spent: SpendAmount): { field: string; message: string } | null {
  if (caps.maxCostUsd != null && caps.maxCostUsd <= spent.costUsd) return { field: "budget.maxCostUsd", message: `budget.maxCostUsd: must exceed what is already spent ($${spent.costUsd})` };
  if (caps.maxTokens != null && caps.maxTokens <= spent.tokens) return { field: "budget.maxTokens", message: `budget.maxTokens: must exceed the tokens already spent (${spent.tokens})` };
  return null;
}

/** Whether `est` fits under the caps on top of settled spend alone (no reservations). Pure. */
export function fitsAlone(row: Pick<BudgetRow, "maxCostUsd" | "maxTokens" | "spentCostUsd" | "spentTokens">, est: SpendAmount): boolean {
  const costOk = row.maxCostUsd === null || row.spentCostUsd + est.costUsd <= row.maxCostUsd;
  const tokensOk = row.maxTokens === null || row.spentTokens + est.tokens <= row.maxTokens;
  return costOk && tokensOk;
}

/**
 * Settles a reservation: it is given back, and the real spend (null for a call that failed or whose
 * result was not stored) is added; a call that cost more than it reserved is counted as overshoot.
 */
export async function settleSpend(tx: Tx, k: BudgetKey, reserved: SpendAmount, actual: SpendAmount | null): Promise<void> {
  const rTokens = Math.ceil(reserved.tokens);
  const a = actual ?? { tokens: 0, costUsd: 0 };
  const overCost = Math.max(0, a.costUsd - reserved.costUsd);
  const overTokens = Math.max(0, Math.round(a.tokens) - rTokens);
  await tx
    .update(budgets)
    .set({
      // Clamped: reservations cleared when a budget stopped its owner may still be settled late.
      reservedCostUsd: sql`greatest(0, ${budgets.reservedCostUsd} - ${reserved.costUsd})`,
      reservedTokens: sql`greatest(0, ${budgets.reservedTokens} - ${rTokens})`,
      spentCostUsd: sql`${budgets.spentCostUsd} + ${a.costUsd}`,
      spentTokens: sql`${budgets.spentTokens} + ${Math.round(a.tokens)}`,
      ...(overCost > 0 || overTokens > 0
        ? {
            overshootCalls: sql`${budgets.overshootCalls} + 1`,
            overshootCostUsd: sql`${budgets.overshootCostUsd} + ${overCost}`,
            overshootTokens: sql`${budgets.overshootTokens} + ${overTokens}`,
          }
        : {}),
    })
    .where(where(k));
}

/**
 * Drops every reservation; only for an owner with nothing in flight (a stopped round or run), whose
 * reservations can only be leftovers of crashed workers.
 */
export async function clearReservations(tx: Tx, k: BudgetKey): Promise<void> {
  await tx.update(budgets).set({ reservedCostUsd: 0, reservedTokens: 0 }).where(where(k));
}
