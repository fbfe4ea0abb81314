/**
 * A generator run's lifecycle is in the log with its id and counts: created (tasks planned), started
 * (the claim that moved it to running), finished (done tasks), failed (every task failed, at warn),
 * stopped by its budget, and cancelled. Persona runs against the simulator over real HTTP, one
 * in-process generator worker; the lines are read from the test app's JSON log.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGeneratorWorker } from "../../src/generator/engine/worker.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { registerSimModels } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface LogLine {
  msg: string;
  level: number;
  runId?: string;
  runIds?: string[];
  kind?: string;
  tasks?: number;
  done?: number;
  failed?: number;
  pending?: number;
  cancelledTasks?: number;
  error?: string | null;
}

interface RunView {
  id: string;
  status: string;
  counts: Record<string, number>;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 5 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("generator run lifecycle logs on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-good"], { inputPricePerMTok: 10, outputPricePerMTok: 30 });
    // The simulator knows no such model: every call is refused for good (a 404), so every task fails.
    const res = await t.req("POST", "/v1/models", { name: "sim-missing", provider: "sim", model: "no-such-sim-model" });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const lines = (): LogLine[] => t.logs.map((l) => JSON.parse(l) as LogLine);
  const ofRun = (id: string, msg: string) => lines().filter((l) => l.msg === msg && (l.runId === id || l.runIds?.includes(id)));

  const waitRun = async (id: string): Promise<RunView> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const v = await json<RunView>(await t.req("GET", `/v1/generator/runs/${id}`));
      if (["done", "failed", "cancelled", "budget_exhausted"].includes(v.status) && (v.counts.running ?? 0) === 0) return v;
      if (Date.now() > deadline) throw new Error(`run not finished: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const startPersonas = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.req("POST", "/v1/generator/personas/generate", body);
    expect(res.status).toBe(202);
    return (await json<{ id: string }>(res)).id;
  };

  it("logs created, started and finished for a run that completes, with its task counts", async () => {
    const worker = startGeneratorWorker(t.deps, { concurrency: 4, pollMs: 20 });
    try {
      const id = await startPersonas({ model: "sim-good", count: 6, set: "logs-ok", seed: 1 });
      const created = ofRun(id, "generator run created");
      expect(created).toEqual([expect.objectContaining({ level: 30, kind: "personas" })]);
      const v = await waitRun(id);
      expect(v.status).toBe("done");
      expect(created[0]?.tasks).toBeGreaterThan(0);
      expect(ofRun(id, "generator run started")).toEqual([expect.objectContaining({ level: 30 })]);
      expect(ofRun(id, "generator run finished")).toEqual([expect.objectContaining({ level: 30, kind: "personas", done: v.counts.done, failed: 0 })]);
      expect(v.counts.done).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
  });

  it("logs a run whose every task failed at warn, with the failed count", async () => {
    const worker = startGeneratorWorker(t.deps, { concurrency: 4, pollMs: 20, maxAttempts: 1 });
    try {
      const id = await startPersonas({ model: "sim-missing", count: 3, set: "logs-fail", seed: 2 });
      const v = await waitRun(id);
      expect(v.status).toBe("failed");
      expect(ofRun(id, "generator run failed: every task failed")).toEqual([expect.objectContaining({ level: 40, done: 0, failed: v.counts.failed, error: "every task failed" })]);
      expect(v.counts.failed).toBeGreaterThan(0);
      expect(ofRun(id, "generator run finished")).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it("logs a budget stop with the tasks left", async () => {
    const worker = startGeneratorWorker(t.deps, { concurrency: 4, pollMs: 20 });
    try {
      const id = await startPersonas({ model: "sim-good", count: 60, set: "logs-budget", seed: 3, budget: { maxCostUsd: 0.03 } });
      const v = await waitRun(id);
      expect(v.status).toBe("budget_exhausted");
      expect(ofRun(id, "generator run created")).toEqual([expect.objectContaining({ budgeted: true })]);
      const stop = ofRun(id, "generator run stopped by its budget");
      expect(stop).toEqual([expect.objectContaining({ level: 30, kind: "personas" })]);
      expect(stop[0]?.pending).toBeGreaterThan(0);
      expect(ofRun(id, "generator run finished")).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it("logs a cancelled run with the tasks it cancelled, once", async () => {
    // No worker: every task is still pending when the cancel arrives.
    const id = await startPersonas({ model: "sim-good", count: 6, set: "logs-cancel", seed: 4 });
    const tasks = ofRun(id, "generator run created")[0]?.tasks ?? 0;
    expect(tasks).toBeGreaterThan(0);
    expect((await t.req("POST", `/v1/generator/runs/${id}/cancel`)).status).toBe(200);
    expect((await t.req("POST", `/v1/generator/runs/${id}/cancel`)).status).toBe(200);
    expect(ofRun(id, "generator run cancelled")).toEqual([expect.objectContaining({ level: 30, kind: "personas", cancelledTasks: tasks })]);
  });
});
