/**
 * Retry timing: exponential backoff with full jitter, and the server's own `retry-after-ms` /
 * `Retry-After` hints (seconds or an HTTP date). Pure: the clock and random generator are arguments.
 */

export interface BackoffOptions {
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** Longest server-requested wait we honour; a larger hint is clamped so one call cannot stall for hours. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Full-jitter delay before retry number `retry` (1 = the wait after the first failed attempt):
 * uniform in [0, min(maxBackoffMs, baseBackoffMs * 2^(retry-1))). `random` returns [0, 1).
 */
export function backoffDelayMs(retry: number, opts: BackoffOptions, random: () => number): number {
  const exp = Math.min(Math.max(retry - 1, 0), 40);
  const ceiling = Math.min(opts.maxBackoffMs, opts.baseBackoffMs * 2 ** exp);
  return Math.floor(random() * ceiling);
}

/** Minimal header reader, satisfied by fetch `Headers` and by a plain lookup function. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The server's requested wait in ms, or null when it gave none (or gave garbage).
 * `retry-after-ms` (OpenAI's header, fractional ms) wins over `Retry-After`, which is either
 * delta-seconds or an HTTP date measured against `nowEpochMs`. Negative waits become 0.
 */
export function parseRetryAfterMs(headers: HeaderLookup | null | undefined, nowEpochMs: number): number | null {
  if (!headers) return null;
  const ms = parseNumber(headers.get("retry-after-ms"));
  if (ms !== null) return clampWait(ms);
  const raw = headers.get("retry-after");
  if (raw === null || raw.trim() === "") return null;
  const seconds = parseNumber(raw);
  if (seconds !== null) return clampWait(seconds * 1000);
  // An HTTP date always names a weekday/month; without letters Date.parse would read "-3" as a year.
  const at = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return clampWait(at - nowEpochMs);
}

function parseNumber(raw: string | null): number | null {
  if (raw === null) return null;
  const t = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

function clampWait(ms: number): number {
  return Math.min(Math.max(Math.ceil(ms), 0), MAX_RETRY_AFTER_MS);
}

/**
 * The wait before the next attempt: the server's hint when it sent one, otherwise full-jitter backoff.
 * A hint is honoured exactly (never shortened) so that we do not hammer a rate-limited endpoint.
 */
export function nextDelayMs(
  retry: number,
  retryAfterMs: number | null | undefined,
  opts: BackoffOptions,
  random: () => number,
): number {
  if (retryAfterMs !== null && retryAfterMs !== undefined) return retryAfterMs;
  return backoffDelayMs(retry, opts, random);
}
