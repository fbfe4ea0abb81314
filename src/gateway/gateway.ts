/**
 * The provider gateway: every LLM call goes through `createGateway(...).chat`. It resolves the
 * endpoint and secret, serves and fills the response cache, runs the adapter under the model's
 * shared limiter with retries and timeouts, prices the call and records one usage record.
 * Expected failures come back as `ChatFailure` values; nothing here rejects for provider trouble.
 */
import { estimateTokens, type ProviderAdapter } from "./adapter.js";
import { runAttempts, type RunnerDeps, type RunPlan } from "./attempt-runner.js";
import { cacheKey } from "./cache-key.js";
import { finalAnswer } from "./reasoning.js";
import { configFailure, resolveTarget, type CallTarget } from "./call-target.js";
import { callCostUsd, estimateCallSpend, estimateEmbedSpend, priceFactor } from "./cost.js";
import { attemptFailure, type AttemptFailure } from "./failures.js";
import { createHfAdapter } from "./hf-adapter.js";
import { keepAliveFetch } from "./http-fetch.js";
import { SHARED_LIMITERS, type LimiterRegistry } from "./limiter.js";
import { chatRequestBody, createOpenAiAdapter } from "./openai-adapter.js";
import type {
  BatchQueue,
  CachedCompletion,
  ChatFailure,
  ChatParams,
  ChatRequest,
  ChatResult,
  EmbedRequest,
  EmbedResult,
  Gateway,
  ModelSpec,
  ResponseCache,
  ScoreResult,
  SecretResolver,
  SpendEstimate,
  SpendOptions,
  SpendGuard,
  UsageRecord,
  UsageSink,
} from "./types.js";

export interface GatewayDefaults {
  timeoutMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Concurrency limit for a model that sets none. */
  maxConcurrency: number;
}

export const GATEWAY_DEFAULTS: GatewayDefaults = {
  timeoutMs: 60_000,
  maxAttempts: 4,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxConcurrency: 8,
};

export interface GatewayOptions {
  cache: ResponseCache;
  usage?: UsageSink;
  secrets: SecretResolver;
  defaults?: Partial<GatewayDefaults>;
  /** Base URL (ending in /v1) of the simulator, used by `provider: "sim"` models with no baseUrl. */
  simBaseUrl?: string;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds; also the reference for HTTP-date Retry-After headers. */
  now?: () => number;
  /** HTTP client for both SDKs; defaults to `keepAliveFetch` (node:http with keep-alive agents). */
  fetch?: typeof fetch;
  /** Limiter registry; defaults to the process-wide one so every gateway shares model limits. */
  limiters?: LimiterRegistry;
  /** Where batch models' calls are recorded and read back (without it, a batch model's call fails as misconfigured). */
  batches?: BatchQueue;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = Omit<UsageRecord, "model" | "purpose">;

/** Build a gateway. Adapters and their SDK clients live as long as the gateway. */
export function createGateway(opts: GatewayOptions): Gateway {
  return new ProviderGateway(opts);
}

class ProviderGateway implements Gateway {
  private readonly defaults: GatewayDefaults;
  private readonly now: () => number;
  private readonly deps: RunnerDeps;
  private readonly adapters: Record<CallTarget["adapter"], ProviderAdapter>;
  private readonly limiters: LimiterRegistry;

  constructor(private readonly opts: GatewayOptions) {
    this.defaults = { ...GATEWAY_DEFAULTS, ...opts.defaults };
    this.now = opts.now ?? Date.now;
    this.deps = {
      now: this.now,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? realSleep,
      backoff: { baseBackoffMs: this.defaults.baseBackoffMs, maxBackoffMs: this.defaults.maxBackoffMs },
    };
    // Node's built-in fetch costs ~1 ms CPU per call; the keep-alive node:http path a fraction of it.
    const adapterOpts = { fetch: opts.fetch ?? keepAliveFetch };
    this.adapters = { openai: createOpenAiAdapter(adapterOpts), huggingface: createHfAdapter(adapterOpts) };
    this.limiters = opts.limiters ?? SHARED_LIMITERS;
  }

  async chat(model: ModelSpec, req: ChatRequest): Promise<ChatResult> {
    const started = this.now();
    const target = resolveTarget(model, "chat", this.opts.secrets, this.opts.simBaseUrl);
    if (!target.ok) return this.fail(model, req.purpose, target, 0, started);
    const params = mergeParams(model.params, req.params);
    const jsonSchema = req.jsonSchema ?? null;
    const { provider, model: modelId } = model;
    const { messages } = req;
    const keyInput = { provider, baseUrl: target.baseUrl, model: modelId, messages, params, jsonSchema };
    // A bypassing call needs the key only to store its answer, so it hashes after the call: a burst of
    // queued calls then does the least work before it waits for the limiter.
    let key: string | undefined;
    if (!req.bypassCache) {
      key = cacheKey(keyInput);
      const hit = await safeGet(this.opts.cache, key);
      if (hit) return this.succeed(model, req.purpose, hit, true, 0, started);
    }
    // Only a call that will really be sent is charged to a budget: reserve its worst case first.
    const guard = req.guard;
    const estimate = estimateCallSpend(model, messages, params);
    if (model.batch === true) {
      const call = { messages, params, ...(jsonSchema ? { jsonSchema } : {}) };
      return this.viaBatch(model, req, key ?? cacheKey(keyInput), chatRequestBody(modelId, call), estimate, target, started);
    }
    if (guard && !(await safeReserve(guard, estimate))) {
      const refused = attemptFailure("budget", `budget cannot cover this call (worst case ${estimate.tokens} tokens, $${estimate.costUsd})`, false);
      return this.fail(model, req.purpose, refused, 0, started);
    }
    const plan = this.plan(model, target, req.timeoutMs, req.maxAttempts);
    if (model.tpm) plan.reserveTokens = estimateTokens(req.messages, params);
    const adapter = this.adapters[target.adapter];
    const call = { messages: req.messages, params, ...(jsonSchema ? { jsonSchema } : {}) };
    const { result, attempts } = await runAttempts(plan, this.deps, (ctx) => adapter.chat(ctx, call));
    if (!result.ok) {
      if (guard) await safeFinish(guard, estimate, null);
      return this.fail(model, req.purpose, result, attempts, started);
    }
    const value: CachedCompletion = { text: result.text, usage: result.usage, reasoning: result.reasoning ?? null, finishReason: result.finishReason ?? null };
    await safePut(this.opts.cache, key ?? cacheKey(keyInput), model.name, value);
    const out = this.succeed(model, req.purpose, value, false, attempts, started);
    if (guard && out.ok) await safeFinish(guard, estimate, { tokens: out.usage.promptTokens + out.usage.completionTokens, costUsd: out.costUsd });
    return out;
  }

  /**
   * A batch model's call: recorded for the coordinator (src/services/batch-coordinator.ts), with its
   * worst case reserved on the budget until its answer is stored, and answered "batch_pending" until
   * the batch has ended; then the first caller takes the answer at the batch price and later ones
   * read it as a cache hit.
   */
  private async viaBatch(model: ModelSpec, req: ChatRequest, key: string, body: object, estimate: SpendEstimate, target: CallTarget, started: number): Promise<ChatResult> {
    const q = this.opts.batches;
    if (!q || target.adapter !== "openai") {
      const why = q ? `model ${model.name} is a batch model, but only OpenAI-compatible providers have a batch interface` : `model ${model.name} is a batch model, but this process has no batch queue`;
      return this.fail(model, req.purpose, configFailure(why), 0, started);
    }
    const guard = req.guard;
    try {
      const entry = await q.find(key);
      if (entry === null || entry.state === "cancelled") {
        if (guard && !(await safeReserve(guard, estimate, DETACHED))) {
          return this.fail(model, req.purpose, attemptFailure("budget", `budget cannot cover this batch call (worst case ${estimate.tokens} tokens, $${estimate.costUsd})`, false), 0, started);
        }
        const r = { key, model: model.name, body: body as Record<string, unknown>, reserved: estimate, owner: req.owner ?? null };
        const recorded = entry === null ? await q.enqueue(r) : await q.requeue(key, estimate);
        // Recorded by another caller meanwhile: its reservation covers the call.
        if (!recorded && guard) await safeFinish(guard, estimate, null, DETACHED);
        return batchPending(model, started, this.now());
      }
      if (entry.state !== "done" && entry.state !== "failed") return batchPending(model, started, this.now());
      const reserved = await q.consume(key);
      if (entry.state === "failed" || entry.result === null) {
        if (reserved && guard) await safeFinish(guard, reserved, null, DETACHED);
        return this.fail(model, req.purpose, attemptFailure("client", entry.error ?? "batch request failed", false), 1, started);
      }
      await safePut(this.opts.cache, key, model.name, entry.result);
      if (!reserved) return this.succeed(model, req.purpose, entry.result, true, 0, started);
      const out = this.succeed(model, req.purpose, entry.result, false, 1, started, priceFactor(model));
      if (guard && out.ok) await safeFinish(guard, reserved, { tokens: out.usage.promptTokens + out.usage.completionTokens, costUsd: out.costUsd }, DETACHED);
      return out;
    } catch (e) {
      // The batch store is the database: an outage is a passing failure, as for any call.
      return this.fail(model, req.purpose, attemptFailure("server", `batch store unavailable: ${e instanceof Error ? e.message : String(e)}`, true), 0, started);
    }
  }

  /** Score `text` with a reward / classification model; the score is cached like a completion. */
  async score(model: ModelSpec, text: string): Promise<ScoreResult | ChatFailure> {
    const started = this.now();
    const target = resolveTarget(model, "score", this.opts.secrets, this.opts.simBaseUrl);
    if (!target.ok) return this.fail(model, "score", target, 0, started);
    const messages = [{ role: "user" as const, content: text }];
    const { provider, model: modelId } = model;
    const key = cacheKey({ task: "score", provider, baseUrl: target.baseUrl, model: modelId, messages, params: {} });
    const hit = await safeGet(this.opts.cache, key);
    const cachedScore = hit ? Number(hit.text) : Number.NaN;
    if (Number.isFinite(cachedScore)) {
      const latencyMs = this.now() - started;
      this.record(model, "score", { ...NO_TOKENS, costUsd: 0, cached: true, ok: true, latencyMs, attempts: 0 });
      return { ok: true, score: cachedScore, latencyMs, cached: true };
    }
    const adapter = this.adapters[target.adapter];
    const plan = this.plan(model, target, undefined, undefined);
    const { result, attempts } = await runAttempts(plan, this.deps, (ctx) => adapter.score(ctx, text));
    if (!result.ok) return this.fail(model, "score", result, attempts, started);
    await safePut(this.opts.cache, key, model.name, { text: String(result.score), usage: { ...NO_TOKENS } });
    const latencyMs = this.now() - started;
    this.record(model, "score", { ...NO_TOKENS, costUsd: 0, cached: false, ok: true, latencyMs, attempts });
    return { ok: true, score: result.score, latencyMs, cached: false };
  }

  /** Embeddings: cached texts come from the cache; the rest go out in batches under the limiter. */
  async embed(model: ModelSpec, req: EmbedRequest): Promise<EmbedResult | ChatFailure> {
    const started = this.now();
    const purpose = req.purpose ?? "embedding";
    const target = resolveTarget(model, "embed", this.opts.secrets, this.opts.simBaseUrl);
    if (!target.ok) return this.fail(model, purpose, target, 0, started);
    const { provider, model: modelId } = model;
    const keys = req.texts.map((content) =>
      cacheKey({ task: "embed", provider, baseUrl: target.baseUrl, model: modelId, messages: [{ role: "user", content }], params: {} }),
    );
    const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(req.texts.length);
    if (!req.bypassCache) {
      const hits = await Promise.all(keys.map((k) => safeGet(this.opts.cache, k)));
      hits.forEach((hit, i) => {
        const v = hit ? parseVector(hit.text) : null;
        if (v) vectors[i] = v;
      });
    }
    const missing: number[] = [];
    for (let i = 0; i < req.texts.length; i++) if (vectors[i] === undefined) missing.push(i);
    const cachedTexts = req.texts.length - missing.length;
    // As for chat: only texts really sent are charged, their worst case reserved before any batch goes out.
    const guard = missing.length > 0 ? req.guard : undefined;
    const estimate = estimateEmbedSpend(model, missing.map((i) => req.texts[i] ?? ""));
    if (guard && !(await safeReserve(guard, estimate))) {
      const refused = attemptFailure("budget", `budget cannot cover these embeddings (worst case ${estimate.tokens} tokens, $${estimate.costUsd})`, false);
      return this.fail(model, purpose, refused, 0, started);
    }
    const adapter = this.adapters[target.adapter];
    const plan = this.plan(model, target, undefined, undefined);
    const batches: number[][] = [];
    for (let i = 0; i < missing.length; i += EMBED_BATCH) batches.push(missing.slice(i, i + EMBED_BATCH));
    // Batches run side by side under the limiter; each stores its vectors as soon as it has them,
    // so a failed batch costs only itself when the call is made again.
    const runs = await Promise.all(
      batches.map(async (batch) => {
        const texts = batch.map((i) => req.texts[i] ?? "");
        const run = await runAttempts(plan, this.deps, async (ctx) => {
          const out = await adapter.embed(ctx, texts);
          if (out.ok && out.vectors.length !== texts.length) {
            return attemptFailure("invalid_output", `embedding model returned ${out.vectors.length} vectors for ${texts.length} texts`, true);
          }
          return out;
        });
        if (run.result.ok) {
          const got = run.result.vectors;
          await Promise.all(
            batch.map((textIndex, j) => {
              const v = got[j];
              const key = keys[textIndex];
              vectors[textIndex] = v;
              return v === undefined || key === undefined ? undefined : safePut(this.opts.cache, key, model.name, { text: JSON.stringify(v), usage: { ...NO_TOKENS } });
            }),
          );
        }
        return run;
      }),
    );
    let attempts = 0;
    let promptTokens = 0;
    for (const run of runs) {
      attempts += run.attempts;
      if (run.result.ok) promptTokens += run.result.usage.promptTokens;
    }
    const usage = { promptTokens, completionTokens: 0 };
    const costUsd = callCostUsd(model, usage, false);
    // Batches that succeeded were paid for even when another failed: settle what was spent.
    if (guard) await safeFinish(guard, estimate, runs.some((r) => r.result.ok) ? { tokens: promptTokens, costUsd } : null);
    for (const run of runs) if (!run.result.ok) return this.fail(model, purpose, run.result, attempts, started);
    const latencyMs = this.now() - started;
    const cached = missing.length === 0;
    this.record(model, purpose, { ...usage, costUsd, cached, ok: true, latencyMs, attempts });
    return { ok: true, vectors: vectors as number[][], cachedTexts, usage, costUsd, latencyMs, attempts };
  }

  private plan(model: ModelSpec, target: CallTarget, timeoutMs?: number, maxAttempts?: number): RunPlan {
    const limiter = this.limiters.get(target.limiterKey, {
      maxConcurrency: Math.max(1, model.maxConcurrency ?? this.defaults.maxConcurrency),
      rpm: model.rpm ?? null,
      tpm: model.tpm ?? null,
    });
    return {
      model,
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      limiter,
      timeoutMs: timeoutMs ?? this.defaults.timeoutMs,
      maxAttempts: Math.max(1, maxAttempts ?? this.defaults.maxAttempts),
      reserveTokens: 0,
    };
  }

  private succeed(
    model: ModelSpec,
    purpose: string | undefined,
    value: CachedCompletion,
    cached: boolean,
    attempts: number,
    started: number,
    factor = 1,
  ): ChatResult {
    const costUsd = callCostUsd(model, value.usage, cached, factor);
    const latencyMs = this.now() - started;
    const { text, trace, traceStatus, usage } = finalAnswer(model, value);
    this.record(model, purpose, { ...usage, costUsd, cached, ok: true, latencyMs, attempts });
    return { ok: true, text, trace, traceStatus, usage, latencyMs, cached, costUsd, attempts };
  }

  private fail(
    model: ModelSpec,
    purpose: string | undefined,
    f: AttemptFailure,
    attempts: number,
    started: number,
  ): ChatFailure {
    const latencyMs = this.now() - started;
    const { kind, message, retryable } = f;
    const out: ChatFailure = { ok: false, kind, message, retryable, attempts, latencyMs };
    if (f.status !== undefined) out.status = f.status;
    const outcome = { ...NO_TOKENS, costUsd: 0, cached: false, ok: false, errorKind: kind, errorMessage: message, latencyMs, attempts };
    this.record(model, purpose, outcome);
    return out;
  }

  private record(model: ModelSpec, purpose: string | undefined, outcome: Outcome): void {
    if (!this.opts.usage) return;
    try {
      this.opts.usage.record({ model: model.name, purpose: purpose ?? "other", ...outcome });
    } catch {
      // Accounting must never turn a finished call into a failure.
    }
  }
}

const NO_TOKENS = { promptTokens: 0, completionTokens: 0 } as const;

/** Not a failure of the call: it waits in a provider batch (no usage is recorded until it is answered). */
function batchPending(model: ModelSpec, started: number, now: number): ChatFailure {
  return { ok: false, kind: "batch_pending", message: `model ${model.name}: waiting for its provider batch`, retryable: true, attempts: 0, latencyMs: now - started };
}

/** Texts per embeddings request (OpenAI accepts up to 2,048 inputs; smaller requests retry cheaper). */
export const EMBED_BATCH = 256;

/** A cached vector, or null if the entry is not one (then the text is embedded again). */
function parseVector(text: string): number[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number") ? (v as number[]) : null;
  } catch {
    return null;
  }
}

/** The model's default params overlaid with the request's; an explicit `undefined` keeps the default. */
export function mergeParams(base: ChatParams | null | undefined, over: ChatParams | undefined): ChatParams {
  const out: ChatParams = { ...base };
  if (over) {
    for (const [k, v] of Object.entries(over) as [keyof ChatParams, ChatParams[keyof ChatParams]][]) {
      if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** A budget that cannot be read (database down) covers nothing: the call is not sent. */
/** A batch call's reservation belongs to its batch request, not to the battle that parked on it. */
const DETACHED: SpendOptions = { detached: true };

async function safeReserve(guard: SpendGuard, est: SpendEstimate, opts?: SpendOptions): Promise<boolean> {
  try {
    return await guard.reserve(est, opts);
  } catch {
    return false;
  }
}

/** A lost release only leaves a reservation behind (the budget errs on the safe side). */
async function safeFinish(guard: SpendGuard, est: SpendEstimate, actual: SpendEstimate | null, opts?: SpendOptions): Promise<void> {
  try {
    await guard.finish(est, actual, opts);
  } catch {
    // Cleared when the round or run stops (db/budget-ledger.ts clearReservations).
  }
}

/** A cache read that fails (database down) is a miss, not a failed call. */
async function safeGet(cache: ResponseCache, key: string): Promise<CachedCompletion | null> {
  try {
    return await cache.get(key);
  } catch {
    return null;
  }
}

async function safePut(cache: ResponseCache, key: string, model: string, value: CachedCompletion): Promise<void> {
  try {
    await cache.put(key, model, value);
  } catch {
    // A lost cache write only costs a repeat call later.
  }
}
