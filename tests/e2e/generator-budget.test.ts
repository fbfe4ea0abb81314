/**
 * A generator run that takes a budget never spends past it: a priced persona run whose budget covers
 * only part of the work, run by a worker with 8 tasks in flight against the simulator over real HTTP,
 * stops as budget_exhausted within the cap (beyond the overshoot it records), and resume with a
 * raised budget finishes it. The run's calls go through the same ledger as rounds'.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genPersonas } from "../../db/schema/index.js";
import { startGeneratorWorker } from "../../src/generator/engine/worker.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { registerSimModels } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface RunView {
  id: string;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  budget: { maxCostUsd: number | null; spentCostUsd: number; reservedCostUsd: number; overshoot: { calls: number; costUsd: number; tokens: number } } | null;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 31, latency: { kind: "fixed", ms: 5 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("generator run budget on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-good"], { inputPricePerMTok: 10, outputPricePerMTok: 30 });
  });
  afterAll(async () => {
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

  it("stops a priced persona run at its maxCostUsd and finishes it after resume with a raised budget", async () => {
    const maxCostUsd = 0.06;
    const worker = startGeneratorWorker(t.deps, { concurrency: 8, pollMs: 20 });
    try {
      const res = await t.req("POST", "/v1/generator/personas/generate", { model: "sim-good", count: 80, set: "budgeted", seed: 3, budget: { maxCostUsd } });
      expect(res.status).toBe(202);
      const { id } = await json<{ id: string }>(res);
      const stopped = await waitRun(id);
      expect(stopped.status).toBe("budget_exhausted");
      expect(stopped.counts.done ?? 0).toBeGreaterThan(0);
      expect(stopped.counts.pending ?? 0).toBeGreaterThan(0);
      expect(stopped.counts.failed ?? 0).toBe(0);
      const b = stopped.budget;
      expect(b).not.toBeNull();
      expect(b?.spentCostUsd ?? Number.NaN).toBeLessThanOrEqual(maxCostUsd + (b?.overshoot.costUsd ?? Number.NaN) + 1e-9);
      expect(b?.overshoot.calls).toBe(0);
      expect(b?.reservedCostUsd).toBe(0);
      expect(stopped.error).toContain(`spent $${b?.spentCostUsd} of $${maxCostUsd}`);
      console.log(`[budget] generator ${target.name}: spent $${b?.spentCostUsd} of $${maxCostUsd}; ${stopped.counts.done} of ${stopped.counts.total} tasks done`);

      const refused = await t.req("POST", `/v1/generator/runs/${id}/resume`, { budget: { maxCostUsd: 0.01 } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain("budget.maxCostUsd");
      const resumed = await t.req("POST", `/v1/generator/runs/${id}/resume`, { budget: { maxCostUsd: 100 } });
      expect(resumed.status).toBe(200);
      const done = await waitRun(id);
      expect(done.status).toBe("done");
      expect(done.budget?.spentCostUsd ?? 0).toBeGreaterThan(b?.spentCostUsd ?? Number.NaN);
      const personas = await t.deps.db.select().from(genPersonas).where(eq(genPersonas.set, "budgeted"));
      expect(personas.length).toBe(80);
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
