// Fault and latency draws: observed rates against configured ones (binomial bounds), per-model overrides,
// and latency distributions against their closed forms.
import { describe, expect, it } from "vitest";
import { drawFlag, drawTransportFault, faultsFor, sampleLatencyMs, type FaultRates } from "../../src/sim/faults.js";
import { mulberry32 } from "../../lib/random.js";

describe("drawTransportFault", () => {
  const cases: FaultRates[] = [
    { rate429: 0.2, error500: 0.1, hang: 0.05, truncate: 0.15 },
    { error500: 0.5 },
    {},
  ];
  for (const rates of cases) {
    it(JSON.stringify(rates), () => {
      const rng = mulberry32(42);
      const n = 20_000;
      const counts = { rate429: 0, error500: 0, hang: 0, truncate: 0 };
      for (let i = 0; i < n; i++) {
        const f = drawTransportFault(rates, rng);
        if (f) counts[f]++;
      }
      for (const k of ["rate429", "error500", "hang", "truncate"] as const) {
        const p = rates[k] ?? 0;
        const sd = Math.sqrt((p * (1 - p)) / n);
        expect(Math.abs(counts[k] / n - p)).toBeLessThanOrEqual(4 * sd + 1e-12);
      }
    });
  }
});

describe("faultsFor", () => {
  const spec = { rate429: 0.1, error500: 0.2, perModel: { m1: { error500: 0, hang: 0.3 } } };
  const cases = [
    { model: "m1", want: { rate429: 0.1, error500: 0, hang: 0.3 } },
    { model: "m2", want: { rate429: 0.1, error500: 0.2, hang: undefined } },
  ];
  for (const tc of cases) {
    it(tc.model, () => {
      const r = faultsFor(spec, tc.model);
      expect({ rate429: r.rate429, error500: r.error500, hang: r.hang }).toEqual(tc.want);
    });
  }
});

describe("drawFlag", () => {
  it("never draws for a zero or missing rate (keeps the stream untouched)", () => {
    let calls = 0;
    const rng = (): number => (calls++, 0);
    expect([drawFlag(undefined, rng), drawFlag(0, rng), drawFlag(0.5, rng)]).toEqual([false, false, true]);
    expect(calls).toBe(1);
  });
});

describe("sampleLatencyMs", () => {
  it.each([
    { spec: { kind: "fixed" as const, ms: 200 }, tokens: 0, want: 200 },
    { spec: { kind: "fixed" as const, ms: 50, perTokenMs: 2 }, tokens: 10, want: 70 },
    { spec: { kind: "fixed" as const, ms: 50, perModel: { m: { kind: "fixed" as const, ms: 5 } } }, tokens: 0, want: 5 },
  ])("fixed %#", ({ spec, tokens, want }) => {
    expect(sampleLatencyMs(spec, "m", tokens, mulberry32(1))).toBe(want);
  });

  it("log-normal has the configured median and log-sd", () => {
    const rng = mulberry32(7);
    const xs = Array.from({ length: 8001 }, () => sampleLatencyMs({ kind: "lognormal", medianMs: 200, sigma: 0.5 }, "m", 0, rng));
    const median = [...xs].sort((a, b) => a - b)[4000] ?? 0;
    const logs = xs.map((x) => Math.log(x));
    const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(median / 200 - 1)).toBeLessThan(0.04);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
  });
});
