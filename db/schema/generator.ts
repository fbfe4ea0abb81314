/**
 * Generator tables: runs and their tasks (the generator's work queue), personas, simulation
 * scenarios, seed documents, generated items with their cleaning outcome, and uploaded benchmark
 * prompt sets for decontamination. Unique keys make a retried task write a no-op.
 */
import { sql } from "drizzle-orm";
import { bigint, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ChatMessage } from "./core.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const genRuns = pgTable(
  "gen_runs",
  {
    id: text("id").primaryKey(),
    /** personas | simulation | matrix-gen | agentinstruct | evol */
    kind: text("kind").notNull(),
    name: text("name"),
    /** pending | running | done | failed | cancelled */
    status: text("status").notNull().default("pending"),
    /** The pipeline stage whose tasks are being worked on. */
    stage: text("stage").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    /** Feedback the run used (source, weights, complexity adjustments), null without feedback. */
    feedback: jsonb("feedback").$type<Record<string, unknown>>(),
    /** Pipeline results kept between stages (e.g. the simulation's groups). */
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
    /** Id of the API key whose request created the row (null in local mode); shown to admins only. */
    createdBy: text("created_by"),
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("gen_runs_kind_idx").on(t.kind, t.createdAt)],
);

export const genTasks = pgTable(
  "gen_tasks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: text("run_id")
      .notNull()
      .references(() => genRuns.id, { onDelete: "cascade" }),
    stage: text("stage").notNull(),
    /** What the task does (persona, act, route, scenario, write, transform, ...). */
    kind: text("kind").notNull(),
    /** Unique within the run: a re-planned stage inserts nothing twice. */
    key: text("key").notNull(),
    /** pending | running | done | failed | cancelled */
    status: text("status").notNull().default("pending"),
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    output: jsonb("output").$type<Record<string, unknown>>(),
    error: text("error"),
    errorKind: text("error_kind"),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ts("lease_expires_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    uniqueIndex("gen_tasks_run_key_idx").on(t.runId, t.key),
    index("gen_tasks_run_stage_idx").on(t.runId, t.stage, t.status),
    index("gen_tasks_status_lease_idx").on(t.status, t.leaseExpiresAt),
  ],
);

export const genPersonas = pgTable(
  "gen_personas",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** A named collection; simulations draw their agents from one set. */
    set: text("set").notNull().default("default"),
    name: text("name").notNull(),
    profile: jsonb("profile").$type<Record<string, unknown>>().notNull(),
    /** generated | imported */
    source: text("source").notNull(),
    runId: text("run_id"),
    externalId: text("external_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("gen_personas_set_idx").on(t.set),
    uniqueIndex("gen_personas_set_external_idx")
      .on(t.set, t.externalId)
      .where(sql`${t.externalId} is not null`),
  ],
);

export const genScenarios = pgTable(
  "gen_scenarios",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    simulationId: text("simulation_id")
      .notNull()
      .references(() => genRuns.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    groupIndex: integer("group_index").notNull(),
    /** [{ personaId, name }] of the agents who took part. */
    participants: jsonb("participants").$type<{ personaId: number; name: string }[]>().notNull(),
    title: text("title").notNull(),
    events: jsonb("events").$type<string[]>().notNull(),
    summary: text("summary").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gen_scenarios_sim_step_group_idx").on(t.simulationId, t.step, t.groupIndex)],
);

export const genSeeds = pgTable(
  "gen_seeds",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    set: text("set").notNull().default("default"),
    title: text("title"),
    text: text("text").notNull(),
    source: text("source"),
    contentHash: text("content_hash").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gen_seeds_set_hash_idx").on(t.set, t.contentHash)],
);

export const genItems = pgTable(
  "gen_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: text("run_id")
      .notNull()
      .references(() => genRuns.id, { onDelete: "cascade" }),
    /** The task that wrote it and its position among that task's items (unique together). */
    taskKey: text("task_key").notNull(),
    ordinal: integer("ordinal").notNull().default(0),
    kind: text("kind").notNull(),
    category: text("category").notNull(),
    complexity: integer("complexity"),
    messages: jsonb("messages").$type<ChatMessage[]>().notNull(),
    /** The user turns joined, for listing and cleaning. */
    text: text("text").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** generated | published | removed */
    status: text("status").notNull().default("generated"),
    removalReason: text("removal_reason"),
    /** What a removed item collided with: { itemId } | { instructionId } | { benchmark, promptId }. */
    collidedWith: jsonb("collided_with").$type<Record<string, unknown>>(),
    similarity: doublePrecision("similarity"),
    removalDetail: text("removal_detail"),
    /** The pool instruction this item became when published. */
    instructionId: bigint("instruction_id", { mode: "number" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gen_items_run_task_ord_idx").on(t.runId, t.taskKey, t.ordinal), index("gen_items_run_status_idx").on(t.runId, t.status)],
);

export const benchmarkSets = pgTable("benchmark_sets", {
  name: text("name").primaryKey(),
  format: text("format").notNull(),
  prompts: integer("prompts").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const benchmarkPrompts = pgTable(
  "benchmark_prompts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    setName: text("set_name")
      .notNull()
      .references(() => benchmarkSets.name, { onDelete: "cascade" }),
    promptId: text("prompt_id").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("benchmark_prompts_set_prompt_idx").on(t.setName, t.promptId)],
);
