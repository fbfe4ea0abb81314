/**
 * The retry loop around one adapter call: wait for the model's limiter, run the attempt under a
 * per-attempt timeout, and on a retryable failure sleep (server hint or full-jitter backoff) and go
 * again, up to `maxAttempts`. The slot is released during the sleep so other callers can proceed.
 */
import type { AttemptContext } from "./adapter.js";
import { attemptFailure, redact, type AttemptFailure } from "./failures.js";
import type { ModelLimiter } from "./limiter.js";
import { nextDelayMs, type BackoffOptions } from "./retry-policy.js";
import type { ModelSpec, Usage } from "./types.js";

export interface RunnerDeps {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  backoff: BackoffOptions;
}

export interface RunPlan {
  model: ModelSpec;
  baseUrl: string | null;
  apiKey: string | undefined;
  limiter: ModelLimiter;
  timeoutMs: number;
  maxAttempts: number;
  /** Tokens reserved in the tpm bucket per attempt (0 without a tpm limit). */
  reserveTokens: number;
}

export type AttemptFn<T extends { ok: true }> = (ctx: AttemptContext) => Promise<T | AttemptFailure>;

/** Run attempts until success, a non-retryable failure or the attempt budget; never rejects for I/O. */
export async function runAttempts<T extends { ok: true; usage?: Usage }>(
  plan: RunPlan,
  deps: RunnerDeps,
  attempt: AttemptFn<T>,
): Promise<{ result: T | AttemptFailure; attempts: number }> {
  for (let n = 1; ; n++) {
    await plan.limiter.acquire(plan.reserveTokens);
    let out: T | AttemptFailure | undefined;
    try {
      out = await runOne(plan, deps, attempt);
    } finally {
      plan.limiter.release(plan.reserveTokens, usedTokens(out));
    }
    if (out.ok || !out.retryable || n >= plan.maxAttempts) return { result: out, attempts: n };
    await deps.sleep(nextDelayMs(n, out.retryAfterMs, deps.backoff, deps.random));
  }
}

function usedTokens(out: { ok: boolean; usage?: Usage } | undefined): number {
  if (out === undefined || !out.ok || out.usage === undefined) return 0;
  return out.usage.promptTokens + out.usage.completionTokens;
}

/**
 * One attempt under a timeout. The adapter gets an AbortSignal, and the attempt settles at the
 * deadline even if a library were to ignore the signal. (One promise, no race: this runs per call.)
 */
function runOne<T extends { ok: true }>(
  plan: RunPlan,
  deps: RunnerDeps,
  attempt: AttemptFn<T>,
): Promise<T | AttemptFailure> {
  return new Promise((resolve) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      resolve(attemptFailure("timeout", `no complete response within ${plan.timeoutMs} ms`, true));
    }, plan.timeoutMs);
    const ctx: AttemptContext = {
      model: plan.model,
      baseUrl: plan.baseUrl,
      apiKey: plan.apiKey,
      signal: controller.signal,
      timeoutMs: plan.timeoutMs,
      timedOut: () => timedOut,
      now: deps.now,
    };
    const settle = (out: T | AttemptFailure): void => {
      clearTimeout(timer);
      resolve(out);
    };
    // Adapters never reject; a rejection here is a bug, reported as a failure rather than lost.
    attempt(ctx).then(settle, (err: unknown) => {
      settle(attemptFailure("network", `adapter error: ${redact(String(err), plan.apiKey)}`, false));
    });
  });
}
