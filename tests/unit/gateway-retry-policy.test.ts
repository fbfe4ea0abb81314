// Retry timing: full-jitter backoff bounds (closed form: random * min(max, base * 2^(n-1))) and the
// Retry-After / retry-after-ms parsing rules, with expected waits worked out by hand.
import { describe, expect, it } from "vitest";
import { backoffDelayMs, MAX_RETRY_AFTER_MS, nextDelayMs, parseRetryAfterMs } from "../../src/gateway/retry-policy.js";

const opts = { baseBackoffMs: 500, maxBackoffMs: 30_000 };

describe("backoffDelayMs", () => {
  const cases = [
    { retry: 1, r: 0.5, want: 250 }, // 0.5 * 500
    { retry: 2, r: 0.5, want: 500 }, // 0.5 * 1000
    { retry: 3, r: 0.999, want: 1998 }, // floor(0.999 * 2000)
    { retry: 6, r: 0.5, want: 8000 }, // 0.5 * 16000
    { retry: 7, r: 0.5, want: 15000 }, // 32000 capped at 30000
    { retry: 50, r: 0.5, want: 15000 }, // huge exponents stay capped
    { retry: 4, r: 0, want: 0 }, // full jitter reaches zero
  ];
  for (const tc of cases) {
    it(`retry ${tc.retry}, random ${tc.r} -> ${tc.want}`, () => {
      expect(backoffDelayMs(tc.retry, opts, () => tc.r)).toBe(tc.want);
    });
  }
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
  const h = (entries: Record<string, string>) => new Headers(entries);
  const cases: { name: string; headers: Headers | null; want: number | null }[] = [
    { name: "no headers object", headers: null, want: null },
    { name: "no hint", headers: h({}), want: null },
    { name: "delta seconds", headers: h({ "retry-after": "2" }), want: 2000 },
    { name: "fractional seconds", headers: h({ "retry-after": "0.25" }), want: 250 },
    { name: "retry-after-ms wins", headers: h({ "retry-after": "5", "retry-after-ms": "120" }), want: 120 },
    { name: "fractional ms rounds up", headers: h({ "retry-after-ms": "10.2" }), want: 11 },
    { name: "HTTP date", headers: h({ "retry-after": "Wed, 21 Oct 2015 07:28:07 GMT" }), want: 7000 },
    { name: "date in the past", headers: h({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }), want: 0 },
    { name: "garbage", headers: h({ "retry-after": "soon" }), want: null },
    { name: "negative number is not delta-seconds", headers: h({ "retry-after": "-3" }), want: null },
    { name: "clamped", headers: h({ "retry-after": "86400" }), want: MAX_RETRY_AFTER_MS },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(parseRetryAfterMs(tc.headers, now)).toBe(tc.want));
  }
});

describe("nextDelayMs", () => {
  it("uses the server hint exactly when present, else backoff", () => {
    expect(nextDelayMs(3, 1234, opts, () => 0.9)).toBe(1234);
    expect(nextDelayMs(3, 0, opts, () => 0.9)).toBe(0);
    expect(nextDelayMs(3, null, opts, () => 0.5)).toBe(1000);
  });
});
