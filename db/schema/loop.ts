/**
 * The Arena Learning loop: a loop splits the instruction pool into seeded shards plus a held-out
 * evaluation set (diverse and hard subsets); each iteration battles the current target version
 * against opponents on the next unused shard, and on the evaluation set to measure progress.
 */
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { instructions } from "./core.js";

export const loops = pgTable("loops", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  shards: integer("shards").notNull(),
  seed: integer("seed").notNull(),
  /** How the split was made: instruction filter, eval sizes. */
  options: jsonb("options").$type<Record<string, unknown>>().notNull().default({}),
  /** Id of the API key whose request created the row (null in local mode); shown to admins only. */
  createdBy: text("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** shard >= 0 for training shards; -1 for the held-out evaluation set (evalKind "diverse" or "hard"). */
export const loopShards = pgTable(
  "loop_shards",
  {
    loopId: text("loop_id")
      .notNull()
      .references(() => loops.id, { onDelete: "cascade" }),
    instructionId: bigint("instruction_id", { mode: "number" })
      .notNull()
      .references(() => instructions.id),
    shard: integer("shard").notNull(),
    evalKind: text("eval_kind"),
  },
  (t) => [primaryKey({ columns: [t.loopId, t.instructionId] }), index("loop_shards_shard_idx").on(t.loopId, t.shard)],
);

export const iterations = pgTable(
  "iterations",
  {
    id: text("id").primaryKey(),
    loopId: text("loop_id")
      .notNull()
      .references(() => loops.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    target: text("target").notNull(),
    opponents: jsonb("opponents").$type<string[]>().notNull(),
    judges: jsonb("judges").$type<string[]>().notNull(),
    shard: integer("shard").notNull(),
    /** The target-vs-opponents round on the shard (training data comes from it). */
    roundId: text("round_id").notNull(),
    /** The round on the held-out evaluation set (progress across versions). */
    evalRoundId: text("eval_round_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("iterations_loop_number_idx").on(t.loopId, t.number), uniqueIndex("iterations_loop_shard_idx").on(t.loopId, t.shard)],
);
