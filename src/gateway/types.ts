/**
 * The provider gateway's public types. Every LLM call in matrix-arena (candidates, judges, generator)
 * goes through a `Gateway`; adapters speak to OpenAI-compatible endpoints or Hugging Face.
 * Expected provider failures are values (`ChatFailure`), never exceptions.
 */

import type { TraceStatus } from "../../lib/reasoning-trace.js";

export type ProviderKind = "openai" | "huggingface" | "sim";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Generation parameters passed to the provider (snake_case on the wire is the adapter's business). */
export interface ChatParams {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
}

/** What the gateway needs to know about a registered model. Never holds a secret, only the env var name. */
export interface ModelSpec {
  name: string;
  provider: ProviderKind;
  /** The provider's model id (e.g. "gpt-4o-mini", "meta-llama/Llama-3.1-8B-Instruct", "sim-strong"). */
  model: string;
  baseUrl?: string | null;
  apiKeyEnv?: string | null;
  params?: ChatParams | null;
  maxConcurrency?: number | null;
  /** Requests per minute; null = unlimited. */
  rpm?: number | null;
  /** Tokens per minute (prompt + completion); null = unlimited. */
  tpm?: number | null;
  /** USD per million prompt tokens. */
  inputPricePerMTok?: number | null;
  /** USD per million completion tokens. */
  outputPricePerMTok?: number | null;
  /** A reasoning model: its inline trace tags, and that budgets reserve for its thinking. */
  reasoning?: ReasoningSpec | null;
  /** Calls go through the provider's batch interface (gateway `batches`), priced at `batchPriceFactor`. */
  batch?: boolean | null;
  /** Share of the prices a batch call costs; null/absent = DEFAULT_BATCH_PRICE_FACTOR (0.5). */
  batchPriceFactor?: number | null;
}

/** How a reasoning model shows its trace (lib/reasoning-trace.ts reads it). */
export interface ReasoningSpec {
  /** Inline tag pairs; absent = `<think>`/`</think>` (a separate reasoning field is always read). */
  tags?: [string, string][];
}

export interface JsonSchemaSpec {
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  params?: ChatParams;
  /** Ask for structured output; the adapter uses response_format json_schema where it can. */
  jsonSchema?: JsonSchemaSpec;
  /** Skip the persistent cache for this call (the result is still written to it). */
  bypassCache?: boolean;
  /** Per-attempt timeout; default from gateway options. */
  timeoutMs?: number;
  /** Max attempts including the first; default from gateway options. */
  maxAttempts?: number;
  /** Free-form label recorded with usage ("candidate", "judge", "generator", ...). */
  purpose?: string;
  /** A budget to reserve this call's worst-case spend against before it is sent (not for cache hits). */
  guard?: SpendGuard;
  /** Who asks (a round id), recorded with a batch request so cancelling the round cancels its provider batches. */
  owner?: string;
}

/** Tokens (prompt + completion) and USD of one call: an estimate before it, the real spend after. */
export interface SpendEstimate {
  tokens: number;
  costUsd: number;
}

/**
 * A budget a call is charged to. The gateway calls `reserve` with the call's worst-case spend just
 * before sending it (a refusal means the call is not sent and fails with kind "budget"), and `finish`
 * once the call has ended: with its real spend, or null when it failed.
 */
/**
 * `detached`: the reservation outlives the job that makes it (a provider batch call, answered after
 * the battle parked and gave up its lease), so it is not held by the job's worker (budget_holds: the
 * budget stop gives back holds whose worker lost the lease) and its settle takes it from the budget
 * directly, whoever settles it.
 */
export interface SpendOptions {
  detached?: boolean;
}

export interface SpendGuard {
  reserve(est: SpendEstimate, opts?: SpendOptions): Promise<boolean>;
  finish(est: SpendEstimate, actual: SpendEstimate | null, opts?: SpendOptions): Promise<void>;
}

export interface Usage {
  promptTokens: number;
  /** Every generated token, reasoning included (as OpenAI and vLLM count `completion_tokens`). */
  completionTokens: number;
  /** The part of `completionTokens` spent on the reasoning trace (the provider's count, or estimated). */
  reasoningTokens?: number;
}

export interface ChatSuccess {
  ok: true;
  /** The final answer, without the reasoning trace. */
  text: string;
  /** The reasoning trace, apart from the answer; null when the model gave none. */
  trace: string | null;
  /** "unclosed": the output ended inside the trace (max_tokens), so `text` is empty. */
  traceStatus: TraceStatus;
  usage: Usage;
  latencyMs: number;
  cached: boolean;
  costUsd: number;
  attempts: number;
}

export type FailureKind =
  | "rate_limit"
  | "server"
  | "timeout"
  | "network"
  | "client"
  | "auth"
  | "invalid_output"
  | "config"
  /** The call's budget could not reserve its worst-case spend; nothing was sent. */
  | "budget"
  /** A batch model's call is recorded for (or in) a provider batch: ask again once the batch has ended. */
  | "batch_pending";

export interface ChatFailure {
  ok: false;
  kind: FailureKind;
  message: string;
  retryable: boolean;
  status?: number;
  attempts: number;
  latencyMs: number;
}

export type ChatResult = ChatSuccess | ChatFailure;

/**
 * A cached completion, keyed by a hash of (provider, base URL, model, messages, params, schema): the
 * content and the separate reasoning field as the provider sent them, split on every read (so a change
 * of a model's trace tags applies to cached answers too).
 */
export interface CachedCompletion {
  text: string;
  usage: Usage;
  /** The provider's separate reasoning field (`reasoning_content` / `reasoning`), if any. */
  reasoning?: string | null;
  /** The provider's finish_reason ("length": cut at max_tokens). */
  finishReason?: string | null;
}

/** Persistent response cache; the database implementation lives in db/, an in-memory one in the gateway. */
export interface ResponseCache {
  get(key: string): Promise<CachedCompletion | null>;
  put(key: string, model: string, value: CachedCompletion): Promise<void>;
}

/** A batch model's request as the gateway sees it (the store is db/batch-store.ts, wired in src/services/batch-queue.ts). */
export interface BatchEntry {
  state: "pending" | "submitting" | "submitted" | "done" | "failed" | "cancelled";
  result: CachedCompletion | null;
  error: string | null;
}

/** Where batch models' calls are recorded and their answers read back; the coordinator submits and polls. */
export interface BatchQueue {
  find(key: string): Promise<BatchEntry | null>;
  /** Records the request with the reservation made for it; false when it was recorded already. */
  enqueue(r: { key: string; model: string; body: Record<string, unknown>; reserved: SpendEstimate; owner: string | null }): Promise<boolean>;
  /** A cancelled request asked for again: back to pending with a new reservation; false if it was not cancelled. */
  requeue(key: string, reserved: SpendEstimate): Promise<boolean>;
  /** Takes an ended request: its reservation for the first caller, null for later ones. */
  consume(key: string): Promise<SpendEstimate | null>;
}

export interface UsageRecord {
  model: string;
  purpose: string;
  promptTokens: number;
  completionTokens: number;
  /** The part of completionTokens spent reasoning (0 when none or unknown). */
  reasoningTokens?: number;
  costUsd: number;
  cached: boolean;
  ok: boolean;
  errorKind?: FailureKind;
  /** The failure's message (secrets already redacted), for the failure log. */
  errorMessage?: string;
  latencyMs: number;
  attempts: number;
}

/** Receives one record per gateway call (after retries). */
export interface UsageSink {
  record(rec: UsageRecord): void;
}

/** Resolves an API key from the *name* of an environment variable (config is the only env reader). */
export type SecretResolver = (envVarName: string) => string | undefined;

export interface ScoreResult {
  ok: true;
  score: number;
  latencyMs: number;
  cached: boolean;
}

export interface EmbedRequest {
  texts: readonly string[];
  /** Skip the cache lookup (answers are still stored). */
  bypassCache?: boolean;
  /** Accounting label ("generator", ...). */
  purpose?: string;
  /** The budget the texts not served from the cache are charged to, as chat calls' `guard`. */
  guard?: SpendGuard;
}

export interface EmbedResult {
  ok: true;
  /** One vector per text, in order, as the model returned it (not normalised). */
  vectors: number[][];
  /** How many of the texts were served from the cache. */
  cachedTexts: number;
  usage: Usage;
  costUsd: number;
  latencyMs: number;
  /** Attempts over every request the call needed (0 when all came from the cache). */
  attempts: number;
}

export interface Gateway {
  chat(model: ModelSpec, req: ChatRequest): Promise<ChatResult>;
  /** Reward-model scoring of a full conversation rendered as text. */
  score(model: ModelSpec, text: string): Promise<ScoreResult | ChatFailure>;
  /**
   * Text embeddings, cached per text: only texts not in the cache are sent, in requests of at most
   * `EMBED_BATCH` texts, each under the model's limiter with retries; one usage record per call.
   */
  embed(model: ModelSpec, req: EmbedRequest): Promise<EmbedResult | ChatFailure>;
}
