/**
 * The generator's embedder through the gateway against the simulator over real HTTP: the
 * OpenAI-compatible /v1/embeddings route and Hugging Face feature extraction give the same
 * (L2-normalised) vectors for the same texts, a batch larger than one request is split and kept in
 * order, every call is accounted for, and failures are JobErrors that say whether a retry can help.
 * The TF-IDF fallback needs no model.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/gateway/cache-key.js";
import { createGateway } from "../../src/gateway/gateway.js";
import { LimiterRegistry, REAL_CLOCK } from "../../src/gateway/limiter.js";
import type { Gateway, ModelSpec, UsageRecord } from "../../src/gateway/types.js";
import { createEmbedder } from "../../src/generator/engine/embedder.js";
import { JobError } from "../../lib/job-error.js";
import { norm } from "../../src/generator/algorithms/vectors.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
});
afterAll(async () => {
  await sim?.close();
});

const texts = Array.from({ length: 300 }, (_, i) => `agent ${i} works as a ${i % 2 ? "nurse" : "farmer"} and likes ${i % 3 ? "chess" : "hiking"}`);
const usage: UsageRecord[] = [];
let gateway: Gateway;
beforeAll(() => {
  gateway = createGateway({
    cache: new MemoryCache(),
    usage: { record: (r) => usage.push(r) },
    secrets: () => undefined,
    simBaseUrl: sim.baseUrl,
    limiters: new LimiterRegistry(REAL_CLOCK),
    defaults: { baseBackoffMs: 10, maxBackoffMs: 50, timeoutMs: 5000 },
  });
});

describe("createEmbedder", () => {
  it("gives the same vectors through /v1/embeddings and Hugging Face feature extraction", async () => {
    const openai: ModelSpec = { name: "emb-openai", provider: "sim", model: "sim-embed" };
    const hf: ModelSpec = { name: "emb-hf", provider: "huggingface", model: "sim-embed", baseUrl: `${sim.url}/hf/models/sim-embed` };
    const a = await createEmbedder(openai, gateway)(texts);
    const b = await createEmbedder(hf, gateway)(texts.slice(0, 40));
    expect(a.method).toBe("emb-openai");
    expect(a.vectors).toHaveLength(300);
    for (const v of a.vectors) expect(norm(v)).toBeCloseTo(1, 5);
    b.vectors.forEach((v, i) => v.forEach((x, k) => expect(x).toBeCloseTo(a.vectors[i]?.[k] ?? NaN, 5)));
    // In order across the 256-text request boundary: equal texts give equal vectors.
    const again = await createEmbedder(openai, gateway)([texts[299] ?? "", texts[0] ?? ""]);
    expect(again.vectors[0]).toEqual(a.vectors[299]);
    // One usage record per embedder call, labelled for the generator; the repeat came from the cache.
    expect(usage.map((u) => [u.model, u.purpose, u.cached])).toEqual([
      ["emb-openai", "generator", false],
      ["emb-hf", "generator", false],
      ["emb-openai", "generator", true],
    ]);
  });

  const failures = [
    { name: "unknown model (not retryable)", spec: { name: "x", provider: "sim", model: "no-such-model" } as ModelSpec, retryable: false },
    { name: "missing API key (config)", spec: { name: "x", provider: "openai", model: "m", apiKeyEnv: "NOPE_KEY" } as ModelSpec, retryable: false },
  ];
  for (const tc of failures) {
    it(`fails as a JobError: ${tc.name}`, async () => {
      const err = await createEmbedder(tc.spec, gateway)(["hello"]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JobError);
      expect((err as JobError).retryable).toBe(tc.retryable);
    });
  }

  it("falls back to TF-IDF without a model", async () => {
    const r = await createEmbedder(null, gateway)(["red apple", "green apple", "blue sky"]);
    expect(r.method).toBe("tfidf");
    expect(r.vectors).toHaveLength(3);
  });
});
