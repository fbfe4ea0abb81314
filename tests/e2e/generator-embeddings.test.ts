/**
 * The generator's embedder against the simulator over real HTTP: the OpenAI-compatible /v1/embeddings
 * route and Hugging Face feature extraction give the same (L2-normalised) vectors for the same texts,
 * a batch larger than one request is split and kept in order, and failures are TaskErrors that say
 * whether a retry can help. The TF-IDF fallback needs no model.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/generator/embedder.js";
import { TaskError } from "../../src/generator/llm.js";
import { norm } from "../../src/generator/vectors.js";
import type { ModelSpec } from "../../src/gateway/types.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
});
afterAll(async () => {
  await sim?.close();
});

const texts = Array.from({ length: 300 }, (_, i) => `agent ${i} works as a ${i % 2 ? "nurse" : "farmer"} and likes ${i % 3 ? "chess" : "hiking"}`);
const secrets = () => undefined;

describe("createEmbedder", () => {
  it("gives the same vectors through /v1/embeddings and Hugging Face feature extraction", async () => {
    const openai: ModelSpec = { name: "emb-openai", provider: "sim", model: "sim-embed" };
    const hf: ModelSpec = { name: "emb-hf", provider: "huggingface", model: "sim-embed", baseUrl: `${sim.url}/hf/models/sim-embed` };
    const a = await createEmbedder(openai, { secrets, simBaseUrl: sim.baseUrl })(texts);
    const b = await createEmbedder(hf, { secrets })(texts.slice(0, 40));
    expect(a.method).toBe("emb-openai");
    expect(a.vectors).toHaveLength(300);
    for (const v of a.vectors) expect(norm(v)).toBeCloseTo(1, 5);
    b.vectors.forEach((v, i) => v.forEach((x, k) => expect(x).toBeCloseTo(a.vectors[i]?.[k] ?? NaN, 5)));
    // In order across the 256-text request boundary: equal texts give equal vectors.
    const again = await createEmbedder(openai, { secrets, simBaseUrl: sim.baseUrl })([texts[299] ?? "", texts[0] ?? ""]);
    expect(again.vectors[0]).toEqual(a.vectors[299]);
  });

  const failures = [
    { name: "unknown model (not retryable)", spec: { name: "x", provider: "sim", model: "no-such-model" } as ModelSpec, retryable: false },
    { name: "missing API key (config)", spec: { name: "x", provider: "openai", model: "m", apiKeyEnv: "NOPE_KEY" } as ModelSpec, retryable: false },
  ];
  for (const tc of failures) {
    it(`fails as a TaskError: ${tc.name}`, async () => {
      const err = await createEmbedder(tc.spec, { secrets, simBaseUrl: sim.baseUrl })(["hello"]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TaskError);
      expect((err as TaskError).retryable).toBe(tc.retryable);
    });
  }

  it("falls back to TF-IDF without a model", async () => {
    const r = await createEmbedder(null, { secrets })(["red apple", "green apple", "blue sky"]);
    expect(r.method).toBe("tfidf");
    expect(r.vectors).toHaveLength(3);
  });
});
