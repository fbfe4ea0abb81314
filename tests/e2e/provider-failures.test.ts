/** A provider answering 500 to every call, through a real gateway over HTTP (the simulator): one warning per burst, with the reason, no stack. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/gateway/cache-key.js";
import { createGateway } from "../../src/gateway/gateway.js";
import { LimiterRegistry, REAL_CLOCK } from "../../src/gateway/limiter.js";
import type { UsageRecord } from "../../src/gateway/types.js";
import { logProviderFailures } from "../../src/services/provider-failures.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

describe("provider failure log", () => {
  describe("through a real gateway", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, latency: { kind: "fixed", ms: 1 } });
    sim.setFaults({ error500: 1 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("twenty calls to a provider answering 500 write one warning with the provider's reason and no stack", async () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const records: UsageRecord[] = [];
    const usage = logProviderFailures({ record: (r) => void records.push(r) }, { warn: (obj: object, msg?: string) => void lines.push({ obj: obj as Record<string, unknown>, msg: msg ?? "" }) } as never);
    const gw = createGateway({ cache: new MemoryCache(), usage, secrets: () => undefined, simBaseUrl: sim.baseUrl, limiters: new LimiterRegistry(REAL_CLOCK), sleep: async () => {}, defaults: { maxAttempts: 2 } });
    const spec = { name: "down", provider: "sim" as const, model: "sim-strong" };
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => gw.chat(spec, { messages: [{ role: "user", content: `question ${i}` }], purpose: "candidate" })));
    expect(out.every((r) => !r.ok)).toBe(true);
    expect(records).toHaveLength(20);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.obj).toMatchObject({ model: "down", kind: expect.any(String), attempts: 2 });
    expect(String(lines[0]?.obj.reason)).toMatch(/500/);
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /);
  });
});
});
