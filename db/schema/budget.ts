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
