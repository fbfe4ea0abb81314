/**
 * Budget ledger queries (db/schema/budget.ts), shared by rounds and generator runs. A reservation is
 * one conditional UPDATE on the budget's row: it succeeds only while settled spend plus reservations
 * plus this call's worst case stays within every cap, so concurrent workers on any driver share one
 * cap through the row lock. Functions take the database or a transaction.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./client.js";
import { budgetHolds, budgets } from "./schema/index.js";

type Tx = Pick<Db, "insert" | "update" | "select" | "delete" | "execute">;

/**
 * The job and lease owner a call is made for. Reservations made with a holder are also written to
 * `budget_holds`, so the budget stop can give back those of a worker that lost its lease (killed) and a
 * late settle of a given-back reservation does not give it back twice.
 */
export interface Holder {
  job: number;
  owner: string;
}

/** Rows of a raw statement on either driver (postgres.js returns an array, PGlite `{ rows }`). */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[];
}

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

/**
 * Reserves `est` if it fits under every cap. A key without a budget row has no cap. With a holder the
 * reservation is added to its hold in the same statement (both or neither).
 */
export async function reserveSpend(db: Tx, k: BudgetKey, est: SpendAmount, holder?: Holder): Promise<Reservation> {
  const tokens = Math.ceil(est.tokens);
  const reserve = sql`update budgets set reserved_cost_usd = reserved_cost_usd + ${est.costUsd}::float8, reserved_tokens = reserved_tokens + ${tokens}::bigint
    where scope = ${k.scope}::text and owner_id = ${k.ownerId}::text
      and (max_cost_usd is null or spent_cost_usd + reserved_cost_usd + ${est.costUsd}::float8 <= max_cost_usd)
      and (max_tokens is null or spent_tokens + reserved_tokens + ${tokens}::bigint <= max_tokens)
    returning 1 as reserved`;
  const statement = holder
    ? sql`with r as (${reserve})
      insert into budget_holds (scope, owner_id, job, holder, reserved_cost_usd, reserved_tokens)
      select ${k.scope}::text, ${k.ownerId}::text, ${holder.job}::bigint, ${holder.owner}::text, ${est.costUsd}::float8, ${tokens}::bigint from r
      on conflict (scope, owner_id, job, holder) do update set
        reserved_cost_usd = budget_holds.reserved_cost_usd + excluded.reserved_cost_usd,
        reserved_tokens = budget_holds.reserved_tokens + excluded.reserved_tokens
      returning 1 as held`
    : reserve;
  if (rowsOf(await db.execute(statement)).length > 0) return "reserved";
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
export async function reserveOrWait(db: Tx, k: BudgetKey, est: SpendAmount, holder?: Holder): Promise<Reservation> {
  for (let waited = 0; ; waited += WAIT_POLL_MS) {
    const r = await reserveSpend(db, k, est, holder);
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
 * With a holder the reservation is taken from its hold too, and from the budget only while the hold
 * is there: one the budget stop gave back already (its owner had lost the lease) is not given back twice.
 */
export async function settleSpend(tx: Tx, k: BudgetKey, reserved: SpendAmount, actual: SpendAmount | null, holder?: Holder): Promise<void> {
  const rTokens = Math.ceil(reserved.tokens);
  const a = actual ?? { tokens: 0, costUsd: 0 };
  const overCost = Math.max(0, a.costUsd - reserved.costUsd);
  const overTokens = Math.max(0, Math.round(a.tokens) - rTokens);
  const over = overCost > 0 || overTokens > 0;
  // Clamped: reservations cleared when a budget stopped its owner may still be settled late. With a
  // holder, given back only while its hold is there (`h`, the hold's own decrement).
  const giveBack = (column: SQL, amount: SQL) => (holder ? sql`case when exists (select 1 from h) then greatest(0, ${column} - ${amount}) else ${column} end` : sql`greatest(0, ${column} - ${amount})`);
  const update = sql`update budgets set
      reserved_cost_usd = ${giveBack(sql`reserved_cost_usd`, sql`${reserved.costUsd}::float8`)},
      reserved_tokens = ${giveBack(sql`reserved_tokens`, sql`${rTokens}::bigint`)},
      spent_cost_usd = spent_cost_usd + ${a.costUsd}::float8,
      spent_tokens = spent_tokens + ${Math.round(a.tokens)}::bigint,
      overshoot_calls = overshoot_calls + ${over ? 1 : 0}::int,
      overshoot_cost_usd = overshoot_cost_usd + ${overCost}::float8,
      overshoot_tokens = overshoot_tokens + ${overTokens}::bigint
    where scope = ${k.scope}::text and owner_id = ${k.ownerId}::text`;
  await tx.execute(
    holder
      ? sql`with h as (
          update budget_holds set reserved_cost_usd = greatest(0, reserved_cost_usd - ${reserved.costUsd}::float8), reserved_tokens = greatest(0, reserved_tokens - ${rTokens}::bigint)
          where scope = ${k.scope}::text and owner_id = ${k.ownerId}::text and job = ${holder.job}::bigint and holder = ${holder.owner}::text
          returning 1)
        ${update}`
      : update,
  );
}

/** The columns of a job table the release of lost holds reads (db/job-queue.ts descriptors have them). */
export interface HoldJobs {
  table: PgTable;
  id: AnyPgColumn;
  status: AnyPgColumn;
  leaseOwner: AnyPgColumn;
  leaseExpiresAt: AnyPgColumn;
}

/**
 * Gives back the holds of `k` whose owner no longer holds its job's lease (the job finished, failed,
 * went back to the queue, or its lease expired: a killed worker's calls will never settle), and
 * deletes them. Returns the number of holds that still had a reservation. In the caller's transaction.
 */
export async function releaseLostHolds(tx: Tx, k: BudgetKey, jobs: HoldJobs): Promise<number> {
  const alive: SQL = sql`select 1 from ${jobs.table} where ${jobs.id} = h.job and ${jobs.leaseOwner} = h.holder and ${jobs.status} = 'running' and ${jobs.leaseExpiresAt} > now()`;
  const [row] = rowsOf(
    await tx.execute(sql`with dead as (
        delete from budget_holds h where h.scope = ${k.scope}::text and h.owner_id = ${k.ownerId}::text and not exists (${alive})
        returning h.reserved_cost_usd as c, h.reserved_tokens as t),
      upd as (
        update budgets set
          reserved_cost_usd = greatest(0, reserved_cost_usd - (select coalesce(sum(c), 0) from dead)),
          reserved_tokens = greatest(0, reserved_tokens - (select coalesce(sum(t), 0) from dead)::bigint)
        where scope = ${k.scope}::text and owner_id = ${k.ownerId}::text and exists (select 1 from dead where c > 0 or t > 0)
        returning 1)
      select (select count(*) from dead where c > 0 or t > 0)::int as released, (select count(*) from upd)::int as updated`),
  );
  return Number(row?.released ?? 0);
}

/**
 * Drops every reservation; only for an owner with nothing in flight (a stopped round or run), whose
 * reservations can only be leftovers of crashed workers.
 */
export async function clearReservations(tx: Tx, k: BudgetKey): Promise<void> {
  await tx.update(budgets).set({ reservedCostUsd: 0, reservedTokens: 0 }).where(where(k));
  await tx.delete(budgetHolds).where(and(eq(budgetHolds.scope, k.scope), eq(budgetHolds.ownerId, k.ownerId)));
}
