/**
 * Core tables: API keys, the model registry, instructions and the LLM response cache.
 * Rounds, battles, responses and judgments live in `arena.ts`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** First characters of the key, shown in listings so users can tell keys apart. */
  prefix: text("prefix").notNull(),
  /** sha256 of the full key; the key itself is never stored. */
  hash: text("hash").notNull().unique(),
  scopes: jsonb("scopes").$type<string[]>().notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  /** Id of the API key whose request created the row (null in local mode); shown to admins only. */
  createdBy: text("created_by"),
});

export const models = pgTable("models", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  baseUrl: text("base_url"),
  /** Name of the environment variable holding the API key; never the key. */
  apiKeyEnv: text("api_key_env"),
  params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
  maxConcurrency: integer("max_concurrency"),
  rpm: integer("rpm"),
  tpm: integer("tpm"),
  inputPricePerMTok: doublePrecision("input_price_per_mtok"),
  outputPricePerMTok: doublePrecision("output_price_per_mtok"),
  /** A reasoning model's trace settings (inline tag pairs); null for an ordinary model. */
  reasoning: jsonb("reasoning").$type<{ tags?: [string, string][] }>(),
  /** Calls go through the provider's batch interface (/v1/files + /v1/batches) at the batch price. */
  batch: boolean("batch").notNull().default(false),
  /** The batch price as a share of the model's prices; null = 0.5 (OpenAI's batch discount). */
  batchPriceFactor: doublePrecision("batch_price_factor"),
  tags: jsonb("tags").$type<string[]>().notNull().default([]),
  /** Previous checkpoint of the same model line (by name). */
  parent: text("parent"),
  description: text("description"),
  /** Id of the API key whose request created the row (null in local mode); shown to admins only. */
  createdBy: text("created_by"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One turn of a stored conversation (instructions, generated items). */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export const instructions = pgTable(
  "instructions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** sha256 of the normalised conversation: exact duplicates collide here. */
    contentHash: text("content_hash").notNull().unique(),
    messages: jsonb("messages").$type<ChatMessage[]>().notNull(),
    /** The first user turn, for search and display. */
    text: text("text").notNull(),
    /**
     * A multi-turn instruction's user turns (two or more), answered turn by turn, each answer seeing the
     * candidate's own earlier ones (MT-bench); null for a single-turn instruction. `messages` then holds
     * the prefix up to and including the first user turn, so readers of one turn keep working.
     */
    turns: jsonb("turns").$type<string[]>(),
    category: text("category").notNull().default("general"),
    complexity: integer("complexity"),
    source: text("source").notNull().default("user"),
    externalId: text("external_id"),
    reference: text("reference"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("instructions_category_idx").on(t.category),
    index("instructions_source_idx").on(t.source),
    uniqueIndex("instructions_source_external_idx")
      .on(t.source, t.externalId)
      .where(sql`${t.externalId} is not null`),
  ],
);

export const llmCache = pgTable("llm_cache", {
  key: text("key").primaryKey(),
  model: text("model").notNull(),
  text: text("text").notNull(),
  promptTokens: integer("prompt_tokens").notNull(),
  completionTokens: integer("completion_tokens").notNull(),
  /** The provider's separate reasoning field, kept as sent (the trace is split on every read). */
  reasoning: text("reasoning"),
  /** The provider's reasoning token count; null when it sent none. */
  reasoningTokens: integer("reasoning_tokens"),
  finishReason: text("finish_reason"),
  createdAt: createdAt(),
});

/** Running totals per model and purpose, so cost is visible without scanning every call. */
export const modelUsage = pgTable(
  "model_usage",
  {
    model: text("model").notNull(),
    purpose: text("purpose").notNull(),
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
    cachedCalls: bigint("cached_calls", { mode: "number" }).notNull().default(0),
    failedCalls: bigint("failed_calls", { mode: "number" }).notNull().default(0),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    /** The part of completion_tokens spent on reasoning traces. */
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
  },
  (t) => [uniqueIndex("model_usage_pk").on(t.model, t.purpose)],
);
