/**
 * A generator run's embedding calls are charged to its budget like its chat calls: a simulation whose
 * chat model is free and whose embedding model is priced spends exactly what its embeddings cost (the
 * run's settled spend is theirs), and a budget too small for one embedding call stops the run as
 * budget_exhausted before it groups its agents. Against the simulator over real HTTP.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGeneratorWorker, type GeneratorWorker } from "../../src/generator/engine/worker.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { registerSimModels } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface RunView {
  id: string;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  stages: Record<string, { done: number }>;
  budget: { maxCostUsd: number | null; spentCostUsd: number; reservedCostUsd: number; overshoot: { calls: number } } | null;
}

/** $1,000 per million input tokens: one embedded token costs $0.001. */
const EMBED_PRICE = 1000;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 12, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("embeddings under a generator run's budget on $name", (target) => {
  let t: TestApp;
  let worker: GeneratorWorker;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-good"]);
    expect((await t.req("POST", "/v1/models", { name: "emb", provider: "sim", model: "sim-embed", inputPricePerMTok: EMBED_PRICE })).status).toBe(201);
    // Two sets with different texts, so the second run's embeddings are not served by the cache.
    for (const set of ["paid", "tiny"]) {
      const items = Array.from({ length: 6 }, (_, i) => ({ name: `${set} agent ${i}`, goal: `open a ${set} bakery number ${i} in town`, plan: [`find a ${set} shop`, "bake bread"], occupation: i % 2 ? "baker" : "clerk" }));
      const res = await t.req("POST", `/v1/generator/personas/import?set=${set}`, { items });
      expect(await json(res)).toMatchObject({ inserted: 6 });
    }
    worker = startGeneratorWorker(t.deps, { concurrency: 4, pollMs: 20 });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const waitRun = async (id: string): Promise<RunView> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const v = await json<RunView>(await t.req("GET", `/v1/generator/runs/${id}`));
      if (["done", "failed", "cancelled", "budget_exhausted"].includes(v.status) && (v.counts.running ?? 0) === 0) return v;
      if (Date.now() > deadline) throw new Error(`run not finished: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const simulate = async (set: string, maxCostUsd: number): Promise<RunView> => {
    const res = await t.req("POST", "/v1/generator/simulations", { model: "sim-good", embeddingModel: "emb", personaSet: set, agents: 6, groups: 2, steps: 1, communication: "grouped", seed: 5, budget: { maxCostUsd } });
    expect(res.status).toBe(202);
    return waitRun((await json<{ id: string }>(res)).id);
  };

  it("charges a run's embeddings to its budget: with a free chat model its spend is what they cost", async () => {
    const run = await simulate("paid", 100);
    expect(run.status, JSON.stringify(run)).toBe("done");
    expect(run.budget?.spentCostUsd ?? 0).toBeGreaterThan(0);
    expect(run.budget?.reservedCostUsd).toBe(0);
    // Only the embedding model is priced, so every cent settled on the run came from an embedding call:
    // the run's spend equals the embedding model's recorded cost. Usage records are written after each
    // call, one call at a time (the group and the route embeddings), so wait until they have all landed
    // (a sum that never reaches the spend still fails below).
    const spent = run.budget?.spentCostUsd ?? 0;
    let embCost = 0;
    for (let k = 0; k < 50 && Math.abs(embCost - spent) > 5e-10; k++) {
      const usage = await json<{ items: { model: string; costUsd: number }[] }>(await t.req("GET", "/v1/usage"));
      embCost = usage.items.filter((u) => u.model === "emb").reduce((sum, u) => sum + u.costUsd, 0);
      if (Math.abs(embCost - spent) > 5e-10) await new Promise((r) => setTimeout(r, 100));
    }
    expect(embCost).toBeGreaterThan(0);
    expect(run.budget?.spentCostUsd).toBeCloseTo(embCost, 9);
  });

  it("stops a run whose budget cannot cover one embedding call, before it groups its agents", async () => {
    const run = await simulate("tiny", 0.001);
    expect(run.status, JSON.stringify(run)).toBe("budget_exhausted");
    expect(run.error).toContain("budget");
    expect(run.stages["act:1"]?.done ?? 0).toBe(0);
    expect(run.budget?.spentCostUsd ?? 0).toBeLessThanOrEqual(0.001);
  });
});
