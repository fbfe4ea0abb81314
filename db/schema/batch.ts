/**
 * Provider batch calls (OpenAI's /v1/files + /v1/batches). A call to a `batch: true` model is a
 * `batch_requests` row keyed by its response-cache key (also its `custom_id` in the batch file), so
 * a request is recorded once however many battles ask for it. Every submission is a
 * `provider_batches` row, written before the upload, whose provider id is stored as soon as the
 * provider gives it: after a crash, polling resumes and an interrupted submission is found again by
 * its `metadata.local_id` instead of being sent twice.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A stored batch answer, as the response cache keeps it. */
export interface BatchResult {
  text: string;
  usage: { promptTokens: number; completionTokens: number; reasoningTokens?: number };
  reasoning: string | null;
  finishReason: string | null;
}

export const providerBatches = pgTable(
  "provider_batches",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** Registry name of the model whose requests it carries. */
    model: text("model").notNull(),
    /** submitting (claimed, upload under way) | submitted (provider id known, polled) | ended | abandoned (never reached the provider) | refused (the provider answered the submission with a 4xx; its requests failed). */
    state: text("state").notNull().default("submitting"),
    providerBatchId: text("provider_batch_id").unique(),
    inputFileId: text("input_file_id"),
    /** The provider's last status (validating, in_progress, completed, expired, ...). */
    status: text("status"),
    requestCount: integer("request_count").notNull().default(0),
    /** A submission still `submitting` after this was interrupted and is recovered. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("provider_batches_open_idx").on(t.state).where(sql`${t.state} in ('submitting', 'submitted')`)],
);

export const batchRequests = pgTable(
  "batch_requests",
  {
    /** The response-cache key of the call, sent as the line's custom_id. */
    key: text("key").primaryKey(),
    model: text("model").notNull(),
    /** The chat-completions request body of the line. */
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    /** pending | submitting | submitted | done | failed | cancelled */
    state: text("state").notNull().default("pending"),
    batchId: bigint("batch_id", { mode: "number" }),
    /** Submissions so far (a failed or expired request is resubmitted until MAX_BATCH_ATTEMPTS). */
    attempts: integer("attempts").notNull().default(0),
    /** The worst case reserved on the caller's budget when the request was recorded, settled when its answer is stored. */
    reservedTokens: doublePrecision("reserved_tokens").notNull().default(0),
    reservedCostUsd: doublePrecision("reserved_cost_usd").notNull().default(0),
    /** Who asked (a round id): cancelling it cancels the provider batches that only it needs. */
    owner: text("owner"),
    result: jsonb("result").$type<BatchResult>(),
    error: text("error"),
    /** Set by the first caller that took the answer (and was charged for it); later ones read the cache. */
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("batch_requests_pending_idx").on(t.model, t.createdAt).where(sql`${t.state} = 'pending'`),
    index("batch_requests_batch_idx").on(t.batchId),
  ],
);
