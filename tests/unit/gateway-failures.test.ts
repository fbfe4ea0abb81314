// Failure vocabulary and cost: status -> kind/retryable per the gateway's rules (429, 408 and 5xx
// retry; other 4xx do not), transport errors, key redaction, and prices worked out by hand.
import { describe, expect, it } from "vitest";
import { callCostUsd } from "../../src/gateway/cost.js";
import { classifyStatus, redact, statusFailure, transportFailure } from "../../src/gateway/failures.js";

describe("classifyStatus", () => {
  const cases = [
    { status: 400, kind: "client", retryable: false },
    { status: 401, kind: "auth", retryable: false },
    { status: 403, kind: "auth", retryable: false },
    { status: 404, kind: "client", retryable: false },
    { status: 408, kind: "timeout", retryable: true },
    { status: 422, kind: "client", retryable: false },
    { status: 429, kind: "rate_limit", retryable: true },
    { status: 500, kind: "server", retryable: true },
    { status: 502, kind: "server", retryable: true },
    { status: 503, kind: "server", retryable: true },
  ] as const;
  for (const tc of cases) {
    it(`${tc.status} -> ${tc.kind}`, () => expect(classifyStatus(tc.status)).toEqual({ kind: tc.kind, retryable: tc.retryable }));
  }
});

describe("messages never carry the key", () => {
  const key = "sk-test-SECRET-123";
  it("redacts every occurrence", () => {
    expect(redact(`bad key ${key}, again ${key}`, key)).toBe("bad key [redacted], again [redacted]");
  });
  it("statusFailure redacts and keeps status and hint", () => {
    const f = statusFailure(401, `Incorrect API key provided: ${key}`, key, null);
    expect(f).toEqual({ ok: false, kind: "auth", retryable: false, status: 401, message: "HTTP 401: Incorrect API key provided: [redacted]" });
    expect(statusFailure(429, "slow down", key, 1500).retryAfterMs).toBe(1500);
  });
  it("transportFailure redacts causes", () => {
    const err = new TypeError("fetch failed", { cause: new Error(`ECONNRESET for ${key}`) });
    const f = transportFailure(err, false, 1000, key);
    expect(f.kind).toBe("network");
    expect(f.retryable).toBe(true);
    expect(f.message).not.toContain(key);
    expect(f.message).toContain("ECONNRESET");
  });
});

describe("transportFailure kinds", () => {
  const cases = [
    { name: "our timeout", err: new Error("aborted"), timedOut: true, kind: "timeout" },
    { name: "malformed body", err: new SyntaxError("Unexpected end of JSON input"), timedOut: false, kind: "server" },
    { name: "dropped connection", err: new TypeError("terminated"), timedOut: false, kind: "network" },
  ] as const;
  for (const tc of cases) {
    it(tc.name, () => {
      const f = transportFailure(tc.err, tc.timedOut, 500);
      expect(f.kind).toBe(tc.kind);
      expect(f.retryable).toBe(true);
    });
  }
});

describe("callCostUsd", () => {
  const cases = [
    // (1000 * 0.15 + 500 * 0.60) / 1e6 = 0.00045
    { inP: 0.15, outP: 0.6, p: 1000, c: 500, cached: false, want: 0.00045 },
    // (2_000_000 * 3 + 1_000_000 * 15) / 1e6 = 21
    { inP: 3, outP: 15, p: 2_000_000, c: 1_000_000, cached: false, want: 21 },
    { inP: 3, outP: 15, p: 2_000_000, c: 1_000_000, cached: true, want: 0 },
    { inP: null, outP: null, p: 100, c: 100, cached: false, want: 0 },
  ];
  for (const tc of cases) {
    it(`${tc.p}/${tc.c} tokens at ${tc.inP}/${tc.outP}${tc.cached ? " cached" : ""} -> ${tc.want}`, () => {
      const cost = callCostUsd({ inputPricePerMTok: tc.inP, outputPricePerMTok: tc.outP }, { promptTokens: tc.p, completionTokens: tc.c }, tc.cached);
      expect(cost).toBeCloseTo(tc.want, 12);
    });
  }
});
