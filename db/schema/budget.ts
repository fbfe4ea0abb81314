/**
 * Spend budgets: one row per budgeted round or generator run. A call reserves its worst-case spend
 * here before it is sent (a conditional UPDATE on this one row, so any number of workers share the
 * cap), and the reservation is settled with the real spend when the result is stored, or released
 * when the call fails. Overshoot records where a settled call cost more than it reserved.
 */
import { bigint, doublePrecision, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const budgets = pgTable(
  "budgets",
  {
    /** What the budget caps: "round" (rounds.id) or "run" (gen_runs.id). */
    scope: text("scope").$type<"round" | "run">().notNull(),
    ownerId: text("owner_id").notNull(),
    /** Caps; null means no cap of that kind. */
    maxCostUsd: doublePrecision("max_cost_usd"),
    maxTokens: bigint("max_tokens", { mode: "number" }),
    /** Settled spend (for a round, equal to its spend counters: both move in the insert's transaction). */
    spentCostUsd: doublePrecision("spent_cost_usd").notNull().default(0),
    spentTokens: bigint("spent_tokens", { mode: "number" }).notNull().default(0),
    /** Worst-case spend of calls in flight. */
    reservedCostUsd: doublePrecision("reserved_cost_usd").notNull().default(0),
    reservedTokens: bigint("reserved_tokens", { mode: "number" }).notNull().default(0),
    /** Calls whose real spend exceeded their reservation, and by how much in total. */
    overshootCalls: integer("overshoot_calls").notNull().default(0),
    overshootCostUsd: doublePrecision("overshoot_cost_usd").notNull().default(0),
    overshootTokens: bigint("overshoot_tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.ownerId] })],
);

/**
 * Who holds a budget's reservations: one row per (budget, job, lease owner), the worst case of that
 * owner's calls for that job still in flight. A reservation adds to it in the same statement as to
 * `budgets`, a settle takes from both only while the hold is there, and the budget stop gives back
 * the holds of owners that no longer hold their job's lease (a killed worker's), so a crashed worker's
 * reservations stop blocking the calls of the workers that took its jobs over.
 */
export const budgetHolds = pgTable(
  "budget_holds",
  {
    scope: text("scope").$type<"round" | "run">().notNull(),
    ownerId: text("owner_id").notNull(),
    /** The job (battle or gen task id) the calls are made for. */
    job: bigint("job", { mode: "number" }).notNull(),
    /** The lease owner (worker) that made them. */
    holder: text("holder").notNull(),
    reservedCostUsd: doublePrecision("reserved_cost_usd").notNull().default(0),
    reservedTokens: bigint("reserved_tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.ownerId, t.job, t.holder] })],
);
