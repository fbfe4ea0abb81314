/** Provider failures are logged once per burst: the gate and the sink, table-tested on a hand clock (tests/e2e/provider-failures.test.ts drives them through a real gateway). */
import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../../src/gateway/types.js";
import { BurstGate, logProviderFailures } from "../../src/services/provider-failures.js";

describe("BurstGate", () => {
  // [key, time ms, expected decision] in order, window 1000 ms.
  const steps: [string, number, { log: true; folded: number } | { log: false }][] = [
    ["a", 0, { log: true, folded: 0 }],
    ["a", 10, { log: false }],
    ["b", 20, { log: true, folded: 0 }],
    ["a", 999, { log: false }],
    ["a", 1000, { log: true, folded: 2 }],
    ["a", 1500, { log: false }],
    ["b", 1500, { log: true, folded: 0 }],
    ["a", 5000, { log: true, folded: 1 }],
    ["a", 5001, { log: false }],
  ];
  it("logs the first event of a key, folds the rest of its window, and reports the fold on the next line", () => {
    const gate = new BurstGate(1000);
    expect(steps.map(([key, t]) => gate.decide(key, t))).toEqual(steps.map(([, , d]) => d));
  });
});

describe("logProviderFailures", () => {
  const rec = (over: Partial<UsageRecord>): UsageRecord => ({ model: "m", purpose: "judge", promptTokens: 0, completionTokens: 0, costUsd: 0, cached: false, ok: false, errorKind: "server", errorMessage: "500 from provider", latencyMs: 1, attempts: 4, ...over });

  it("passes every record on, logs failures once per model and kind per window, never budget refusals or successes", () => {
    const seen: UsageRecord[] = [];
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    let now = 0;
    const sink = logProviderFailures({ record: (r) => void seen.push(r) }, { warn: (obj: object, msg?: string) => void lines.push({ obj: obj as Record<string, unknown>, msg: msg ?? "" }) } as never, { windowMs: 60_000, now: () => now });
    const input = [rec({}), rec({}), rec({ errorKind: "timeout", errorMessage: "no response" }), rec({ model: "n" }), rec({ ok: true, errorKind: undefined }), rec({ errorKind: "budget" }), rec({})];
    for (const r of input) sink.record(r);
    now = 61_000;
    sink.record(rec({}));
    expect(seen).toHaveLength(input.length + 1);
    expect(lines.map((l) => [l.obj.model, l.obj.kind, l.obj.reason, l.obj.foldedSinceLastLine])).toEqual([
      ["m", "server", "500 from provider", 0],
      ["m", "timeout", "no response", 0],
      ["n", "server", "500 from provider", 0],
      ["m", "server", "500 from provider", 2],
    ]);
  });
});
