// One contract suite for both provider adapters, over real HTTP to the simulator through the real
// SDKs (`openai` for provider "sim", `@huggingface/inference` for its HF-style route). Faults are
// switched on in the simulator; retry waits are observed through an injected sleep that records them.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { MemoryCache } from "../../src/gateway/cache-key.js";
import { createGateway, type GatewayOptions } from "../../src/gateway/gateway.js";
import { keepAliveFetch } from "../../src/gateway/http-fetch.js";
import { LimiterRegistry, REAL_CLOCK } from "../../src/gateway/limiter.js";
import { backoffDelayMs } from "../../src/gateway/retry-policy.js";
import { chatJson } from "../../src/gateway/structured-output.js";
import type { ChatMessage, ModelSpec, UsageRecord } from "../../src/gateway/types.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

const CHAT_MODEL = "sim-strong";
const REWARD_MODEL = "sim-reward";
const EMBED_MODEL = "sim-embed";
let sim: Simulator;

interface AdapterCase {
  name: string;
  /** A model spec routed through this adapter; `model` may name a model the simulator lacks. */
  spec(name: string, extra?: Partial<ModelSpec>, model?: string): ModelSpec;
}
const openaiAdapter: AdapterCase = {
  name: "openai adapter (provider sim)",
  spec: (name, extra, model = CHAT_MODEL) => ({ name, provider: "sim", model, ...extra }),
};
const hfAdapter: AdapterCase = {
  name: "huggingface adapter (HF route)",
  spec: (name, extra, model = CHAT_MODEL) => ({ name, provider: "huggingface", model, baseUrl: `${sim.url}/hf/models/${model}`, ...extra }),
};

interface Harness {
  gw: ReturnType<typeof createGateway>;
  usage: UsageRecord[];
  sleeps: number[];
  /** Request start times (ms since harness creation) and the highest number in flight at once. */
  starts: number[];
  maxInFlight: () => number;
}

/** A gateway with a fresh cache and limiter registry, a recording sleep and an observing fetch. */
function harness(opts: Partial<GatewayOptions> & { afterResponse?: (n: number) => void; onSleep?: (ms: number) => Promise<void> } = {}): Harness {
  const usage: UsageRecord[] = [];
  const sleeps: number[] = [];
  const starts: number[] = [];
  const t0 = performance.now();
  let inFlight = 0;
  let max = 0;
  let responses = 0;
  const observed = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    starts.push(performance.now() - t0);
    max = Math.max(max, ++inFlight);
    try {
      return await keepAliveFetch(input, init);
    } finally {
      inFlight--;
      opts.afterResponse?.(++responses);
    }
  };
  const gw = createGateway({
    cache: new MemoryCache(),
    usage: { record: (r) => usage.push(r) },
    secrets: (name) => (name === "SIM_TEST_KEY" ? "sk-sim-secret-0123456789" : undefined),
    simBaseUrl: sim.baseUrl,
    limiters: new LimiterRegistry(REAL_CLOCK),
    random: () => 0.5,
    defaults: { baseBackoffMs: 100, maxBackoffMs: 1000, timeoutMs: 5000 },
    fetch: observed as typeof fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
      await opts.onSleep?.(ms);
    },
    ...opts,
  });
  return { gw, usage, sleeps, starts, maxInFlight: () => max };
}

const ask = (content: string): ChatMessage[] => [{ role: "user", content }];
const simCount = (model = CHAT_MODEL): number => sim.stats().byModel[model] ?? 0;
const clearFaults = async (): Promise<void> => sim.setFaults({});

const unhandled = vi.fn();
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
  process.on("unhandledRejection", unhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", unhandled);
  await sim.close();
  expect(unhandled).not.toHaveBeenCalled();
});
beforeEach(() => {
  sim.setFaults({});
  sim.setLatency({ kind: "fixed", ms: 0 });
});

describe.each([openaiAdapter, hfAdapter])("gateway contract: $name", (adapter) => {
  it("completes with text and usage, and records one usage row", async () => {
    const h = harness();
    const res = await h.gw.chat(adapter.spec("basic"), { messages: ask("Explain how a hash map works."), purpose: "candidate" });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.text.length).toBeGreaterThan(10);
    expect(res.usage.promptTokens).toBeGreaterThan(0);
    expect(res.usage.completionTokens).toBeGreaterThan(0);
    expect(res).toMatchObject({ cached: false, attempts: 1, costUsd: 0 });
    expect(h.usage).toEqual([expect.objectContaining({ model: "basic", purpose: "candidate", ok: true, cached: false, attempts: 1 })]);
  });

  it("serves a repeat from the cache without a request; bypass makes one and refreshes the cache", async () => {
    const h = harness();
    const spec = adapter.spec("cache");
    const req = { messages: ask("What is a B-tree?"), params: { temperature: 0.7 } };
    const first = await h.gw.chat(spec, req);
    const before = simCount();
    const second = await h.gw.chat(spec, req);
    expect(simCount()).toBe(before);
    expect(second).toMatchObject({ ok: true, cached: true, costUsd: 0 });
    expect(second.ok && first.ok && second.text === first.text).toBe(true);
    const bypass = await h.gw.chat(spec, { ...req, bypassCache: true });
    expect(simCount()).toBe(before + 1);
    expect(bypass).toMatchObject({ ok: true, cached: false });
    expect(await h.gw.chat(spec, req)).toMatchObject({ ok: true, cached: true });
    expect(simCount()).toBe(before + 1);
    expect(h.usage.map((u) => u.cached)).toEqual([false, true, false, true]);
  });

  it("retries a 429 after exactly the server's Retry-After", async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 0.25 });
    const h = harness({ onSleep: clearFaults });
    const res = await h.gw.chat(adapter.spec("r429"), { messages: ask("Define entropy.") });
    expect(res).toMatchObject({ ok: true, attempts: 2 });
    expect(h.sleeps).toEqual([250]);
  });

  it("waits out Retry-After in real time with the real sleep", async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 0.2 });
    const h = harness({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)).then(clearFaults) });
    const t0 = performance.now();
    const res = await h.gw.chat(adapter.spec("r429real"), { messages: ask("Define enthalpy.") });
    expect(res).toMatchObject({ ok: true, attempts: 2 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
  });

  it("gives up on a persistent 429 after maxAttempts with a retryable rate_limit failure", async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 0.05 });
    const h = harness();
    const res = await h.gw.chat(adapter.spec("r429x"), { messages: ask("Define momentum."), maxAttempts: 3 });
    expect(res).toMatchObject({ ok: false, kind: "rate_limit", retryable: true, status: 429, attempts: 3 });
    expect(h.sleeps).toEqual([50, 50]);
    expect(h.usage).toEqual([expect.objectContaining({ ok: false, errorKind: "rate_limit", attempts: 3 })]);
  });

  it("retries a 500 with jittered backoff, then succeeds", async () => {
    sim.setFaults({ error500: 1 });
    const h = harness({ onSleep: clearFaults });
    const res = await h.gw.chat(adapter.spec("r500"), { messages: ask("Define torque.") });
    expect(res).toMatchObject({ ok: true, attempts: 2 });
    // random() = 0.5, base 100 ms: first retry waits floor(0.5 * 100) = 50 ms.
    expect(h.sleeps).toEqual([backoffDelayMs(1, { baseBackoffMs: 100, maxBackoffMs: 1000 }, () => 0.5)]);
    expect(h.sleeps).toEqual([50]);
  });

  const noRetry = [
    { name: "400 (empty messages)", messages: [] as ChatMessage[], model: CHAT_MODEL, status: 400 },
    { name: "404 (unknown model)", messages: ask("hi"), model: "no-such-model", status: 404 },
  ];
  for (const tc of noRetry) {
    it(`does not retry a ${tc.name}`, async () => {
      const h = harness();
      const res = await h.gw.chat(adapter.spec("bad", {}, tc.model), { messages: tc.messages });
      expect(res).toMatchObject({ ok: false, kind: "client", retryable: false, status: tc.status, attempts: 1 });
      expect(h.starts.length).toBe(1);
      expect(h.sleeps).toEqual([]);
    });
  }

  it("times out a hanging request on every attempt", async () => {
    sim.setFaults({ hang: 1 });
    const h = harness();
    const t0 = performance.now();
    const res = await h.gw.chat(adapter.spec("hang"), { messages: ask("Define voltage."), timeoutMs: 150, maxAttempts: 2 });
    expect(res).toMatchObject({ ok: false, kind: "timeout", retryable: true, attempts: 2 });
    expect(h.starts.length).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
  });

  it("retries a truncated body, then succeeds", async () => {
    sim.setFaults({ truncate: 1 });
    const h = harness({ onSleep: clearFaults });
    const res = await h.gw.chat(adapter.spec("trunc"), { messages: ask("Define inertia.") });
    expect(res).toMatchObject({ ok: true, attempts: 2 });
    expect(h.sleeps.length).toBe(1);
  });

  it("never has more requests in flight than maxConcurrency", async () => {
    sim.setLatency({ kind: "fixed", ms: 100 });
    const h = harness();
    const spec = adapter.spec("conc", { maxConcurrency: 3 });
    const t0 = performance.now();
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => h.gw.chat(spec, { messages: ask(`Question ${i} about graphs.`) })));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(h.maxInFlight()).toBe(3);
    // 12 calls, 3 at a time, 100 ms each: at least 4 rounds.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(395);
  });

  it("spaces requests to respect rpm", async () => {
    const h = harness();
    // rpm 240: a burst of 4 (one second's worth), then one request every 250 ms.
    const spec = adapter.spec("rpm", { rpm: 240, maxConcurrency: 100 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => h.gw.chat(spec, { messages: ask(`Rate question ${i}.`) })));
    const s = [...h.starts].sort((a, b) => a - b);
    const first = s[0] ?? 0;
    for (let i = 4; i < 8; i++) expect((s[i] ?? 0) - first).toBeGreaterThanOrEqual((i - 3) * 250 - 20);
  });

  it("returns validated structured output", async () => {
    const h = harness();
    const schema = z.object({ verdict: z.enum(["A", "B", "tie"]), confidence: z.number().min(0).max(1), reason: z.string() });
    const res = await chatJson(h.gw, adapter.spec("json"), { messages: ask("Which answer is better, A or B?") }, schema);
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(schema.safeParse(res.value).success).toBe(true);
      expect(res.calls).toBe(1);
    }
  });

  it("asks again, bypassing the cache, after invalid JSON", async () => {
    sim.setFaults({ invalidJson: 1 });
    const h = harness({ afterResponse: (n) => n === 1 && sim.setFaults({}) });
    const schema = z.object({ title: z.string(), year: z.number().int() });
    const res = await chatJson(h.gw, adapter.spec("json2"), { messages: ask("Name a film and its year.") }, schema);
    expect(res).toMatchObject({ ok: true, calls: 2 });
  });

  it("fails with invalid_output when every reply is invalid", async () => {
    sim.setFaults({ invalidJson: 1 });
    const h = harness();
    const before = simCount();
    const schema = z.object({ title: z.string() });
    const res = await chatJson(h.gw, adapter.spec("json3"), { messages: ask("Name a book.") }, schema, { maxInvalidRetries: 2 });
    expect(res).toMatchObject({ ok: false, kind: "invalid_output", retryable: false });
    expect(simCount() - before).toBe(3);
  });

  it("prices calls from the model's token prices; cached calls cost nothing", async () => {
    const h = harness();
    const spec = adapter.spec("priced", { inputPricePerMTok: 2.5, outputPricePerMTok: 10 });
    const res = await h.gw.chat(spec, { messages: ask("Summarise the water cycle.") });
    const again = await h.gw.chat(spec, { messages: ask("Summarise the water cycle.") });
    expect(res.ok && again.ok).toBe(true);
    if (!res.ok || !again.ok) return;
    expect(res.costUsd).toBeCloseTo((res.usage.promptTokens * 2.5 + res.usage.completionTokens * 10) / 1e6, 15);
    expect(res.costUsd).toBeGreaterThan(0);
    expect(again.costUsd).toBe(0);
    expect(h.usage.map((u) => u.costUsd)).toEqual([res.costUsd, 0]);
  });

  it("fails with config naming the variable when the API key is missing, and never leaks a key", async () => {
    const h = harness();
    const missing = await h.gw.chat(adapter.spec("nokey", { apiKeyEnv: "SIM_MISSING_KEY" }), { messages: ask("hi") });
    expect(missing).toMatchObject({ ok: false, kind: "config", retryable: false, attempts: 0 });
    expect(!missing.ok && missing.message).toContain("SIM_MISSING_KEY");
    expect(h.starts.length).toBe(0);
    const withKey = await h.gw.chat(adapter.spec("key", { apiKeyEnv: "SIM_TEST_KEY" }, "no-such-model"), { messages: ask("hi") });
    expect(withKey.ok).toBe(false);
    expect(JSON.stringify([missing, withKey, h.usage])).not.toContain("sk-sim-secret");
  });

  it("scores a conversation with the reward model, cached on repeat", async () => {
    const h = harness();
    const spec =
      adapter === hfAdapter
        ? adapter.spec("reward", {}, REWARD_MODEL)
        : { name: "reward", provider: "sim" as const, model: REWARD_MODEL };
    const text = "User: What is 2+2?\nAssistant: 2+2 equals 4.";
    const first = await h.gw.score(spec, text);
    const second = await h.gw.score(spec, text);
    expect(first).toMatchObject({ ok: true, cached: false });
    expect(second).toMatchObject({ ok: true, cached: true });
    if (first.ok && second.ok) {
      expect(first.score).toBeGreaterThanOrEqual(0);
      expect(second.score).toBe(first.score);
    }
  });

  it("embeds texts in order, caches each text, and sends only the texts it has not seen", async () => {
    const h = harness();
    const spec = adapter.spec("embed", {}, EMBED_MODEL);
    const texts = Array.from({ length: 300 }, (_, i) => `agent ${i} tends ${i % 2 ? "bees" : "goats"}`);
    const before = simCount(EMBED_MODEL);
    const first = await h.gw.embed(spec, { texts, purpose: "generator" });
    expect(first).toMatchObject({ ok: true, cachedTexts: 0, attempts: 2 });
    // 300 texts = one request of 256 and one of 44.
    expect(simCount(EMBED_MODEL)).toBe(before + 2);
    if (!first.ok) return;
    expect(first.vectors).toHaveLength(300);
    expect(first.vectors[0]).toHaveLength(256);
    const again = await h.gw.embed(spec, { texts: [texts[299] ?? "", "a text never seen", texts[0] ?? ""], purpose: "generator" });
    expect(simCount(EMBED_MODEL)).toBe(before + 3);
    expect(again).toMatchObject({ ok: true, cachedTexts: 2, attempts: 1 });
    if (!again.ok) return;
    expect(again.vectors[0]).toEqual(first.vectors[299]);
    expect(again.vectors[2]).toEqual(first.vectors[0]);
    const all = await h.gw.embed(spec, { texts: texts.slice(0, 10) });
    expect(all).toMatchObject({ ok: true, cachedTexts: 10, attempts: 0, costUsd: 0 });
    expect(simCount(EMBED_MODEL)).toBe(before + 3);
    expect(h.usage.map((u) => [u.purpose, u.cached, u.attempts])).toEqual([
      ["generator", false, 2],
      ["generator", false, 1],
      ["embedding", true, 0],
    ]);
  });

  it("retries an embeddings request after a 500, and fails an unknown embedding model without retrying", async () => {
    sim.setFaults({ error500: 1 });
    const h = harness({ onSleep: clearFaults });
    const ok = await h.gw.embed(adapter.spec("embed-retry", {}, EMBED_MODEL), { texts: ["retry me"] });
    expect(ok).toMatchObject({ ok: true, attempts: 2 });
    expect(h.sleeps).toEqual([50]);
    const missing = await h.gw.embed(adapter.spec("embed-missing", {}, "no-such-embedder"), { texts: ["x"] });
    expect(missing).toMatchObject({ ok: false, retryable: false, status: 404, attempts: 1 });
  });

  it("ends 1,000 calls under 30% injected faults in a result or a recorded failure", async () => {
    const h = harness({ sleep: () => new Promise((r) => setImmediate(r)) });
    const spec = adapter.spec("soak", { maxConcurrency: 64 });
    const call = (i: number) => h.gw.chat(spec, { messages: ask(`Soak question ${i}.`), timeoutMs: 2000, maxAttempts: 5 });
    // Warm the simulator and the connection pool first: a cold burst of 64 is slow enough to time out.
    await Promise.all(Array.from({ length: 64 }, (_, i) => call(-1 - i)));
    sim.setFaults({ rate429: 0.1, error500: 0.1, truncate: 0.05, hang: 0.05, retryAfterSeconds: 0 });
    const before = h.usage.length;
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => call(i)));
    const failures = results.filter((r) => !r.ok);
    expect(results.length).toBe(1000);
    expect(h.usage.length - before).toBe(1000);
    expect(h.usage.filter((u) => !u.ok).length).toBe(failures.length);
    // Every failure is final: either not retryable, or every allowed attempt was spent.
    for (const f of failures) expect(!f.retryable || f.attempts === 5).toBe(true);
    // 30% faults, 5 attempts: P(all fail) = 0.3^5 = 0.24% (about 2 calls); allow for a loaded machine.
    expect(failures.length).toBeLessThan(30);
    expect(results.filter((r) => r.ok && r.attempts > 1).length).toBeGreaterThan(100);
  });
});
