/**
 * The failure vocabulary shared by the adapters: HTTP status -> `FailureKind` + retryable, and the
 * classification of thrown transport errors (timeouts, dropped connections, malformed bodies).
 * Messages never carry a secret: `redact` removes the API key from any provider text we echo.
 */
import type { FailureKind } from "./types.js";

/** One attempt's failure, before the gateway adds attempts and latency. */
export interface AttemptFailure {
  ok: false;
  kind: FailureKind;
  message: string;
  retryable: boolean;
  status?: number;
  /** The server's requested wait, from `retry-after-ms` / `Retry-After`. */
  retryAfterMs?: number | null;
}

export function attemptFailure(
  kind: FailureKind,
  message: string,
  retryable: boolean,
  extra: { status?: number; retryAfterMs?: number | null } = {},
): AttemptFailure {
  const f: AttemptFailure = { ok: false, kind, message, retryable };
  if (extra.status !== undefined) f.status = extra.status;
  if (extra.retryAfterMs !== undefined && extra.retryAfterMs !== null) f.retryAfterMs = extra.retryAfterMs;
  return f;
}

/**
 * Kind and retryability of an HTTP error status. 408 (request timeout), 429 and every 5xx are
 * transient; other 4xx will fail the same way again, so they are not retried.
 */
export function classifyStatus(status: number): { kind: FailureKind; retryable: boolean } {
  if (status === 429) return { kind: "rate_limit", retryable: true };
  if (status === 408) return { kind: "timeout", retryable: true };
  if (status >= 500) return { kind: "server", retryable: true };
  if (status === 401 || status === 403) return { kind: "auth", retryable: false };
  return { kind: "client", retryable: false };
}

/** An error status as a failure, with the provider's message (key redacted, length capped). */
export function statusFailure(
  status: number,
  detail: string,
  secret: string | undefined,
  retryAfterMs: number | null,
): AttemptFailure {
  const { kind, retryable } = classifyStatus(status);
  const text = `HTTP ${status}: ${truncate(redact(detail, secret), 300)}`;
  return attemptFailure(kind, text, retryable, { status, retryAfterMs });
}

/**
 * A thrown error that carries no HTTP status: our own timeout abort, a dropped or refused
 * connection, or a body that was cut short or is not JSON. All of these are worth another attempt.
 */
export function transportFailure(err: unknown, timedOut: boolean, timeoutMs: number, secret?: string): AttemptFailure {
  if (timedOut) return attemptFailure("timeout", `no complete response within ${timeoutMs} ms`, true);
  const detail = truncate(redact(describe(err), secret), 300);
  if (err instanceof SyntaxError) return attemptFailure("server", `malformed response body: ${detail}`, true);
  return attemptFailure("network", `connection failed: ${detail}`, true);
}

/** `message (cause)` for an unknown thrown value. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause);
  return causeText && causeText !== err.message ? `${err.message} (${causeText})` : err.message;
}

/** Replace every occurrence of `secret` (if any, and long enough to be a real key) with [redacted]. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
