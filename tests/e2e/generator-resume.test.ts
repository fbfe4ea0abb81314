/**
 * Generator runs are resumable and keep failures: against the simulator, replies broken by the
 * `invalidJson` fault leave failed tasks with their error (the run still finishes), `resume` retries
 * them once the fault is gone; tasks held by a worker that died are taken over when the lease expires,
 * and every persona is written exactly once.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { genPersonas, genTasks } from "../../db/schema/index.js";
import { taskQueue } from "../../src/generator/engine/task-queue.js";
import { startGeneratorWorker } from "../../src/generator/engine/worker.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { registerSimModels } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface RunView {
  id: string;
  status: string;
  counts: Record<string, number>;
  errors: Record<string, number>;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 23, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("generator resume on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-good"]);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const waitRun = async (id: string): Promise<RunView> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await json<RunView>(await t.req("GET", `/v1/generator/runs/${id}`));
      if (["done", "failed", "cancelled"].includes(v.status)) return v;
      if (Date.now() > deadline) throw new Error(`run not finished: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const personasOf = async (set: string) => t.deps.db.select().from(genPersonas).where(eq(genPersonas.set, set));

  it("keeps failed tasks with their error and retries them on resume", async () => {
    const worker = startGeneratorWorker(t.deps, { concurrency: 8, pollMs: 20 });
    try {
      sim.setFaults({ invalidJson: 0.8 });
      const res = await t.req("POST", "/v1/generator/personas/generate", { model: "sim-good", count: 20, set: "faulty", seed: 1 });
      const { id } = await json<{ id: string }>(res);
      const first = await waitRun(id);
      expect(first.counts.failed).toBeGreaterThan(0);
      expect(first.errors.invalid_output).toBe(first.counts.failed);
      const failed = await json<{ items: { status: string; error: string; errorKind: string }[] }>(await t.req("GET", `/v1/generator/runs/${id}/tasks?status=failed`));
      expect(failed.items).toHaveLength(first.counts.failed ?? -1);
      for (const f of failed.items) expect(f.error).toContain("reply");
      expect(await personasOf("faulty")).toHaveLength(20 - (first.counts.failed ?? 0));

      sim.setFaults({});
      expect((await t.req("POST", `/v1/generator/runs/${id}/resume`)).status).toBe(200);
      const second = await waitRun(id);
      expect(second.status).toBe("done");
      expect(second.counts).toMatchObject({ total: 20, done: 20, failed: 0 });
      expect(await personasOf("faulty")).toHaveLength(20);
    } finally {
      sim.setFaults({});
      await worker.stop();
    }
  }, 90_000);

  it("takes over the tasks of a worker that died once their lease expires, writing each result once", async () => {
    const res = await t.req("POST", "/v1/generator/personas/generate", { model: "sim-good", count: 10, set: "crash", seed: 2 });
    const { id } = await json<{ id: string }>(res);
    // A worker claims four tasks and dies without finishing them.
    const ghost = await taskQueue.claim(t.deps.db, "ghost", 4, 300);
    expect(ghost).toHaveLength(4);
    const worker = startGeneratorWorker(t.deps, { concurrency: 8, pollMs: 20, leaseMs: 5000 });
    try {
      const done = await waitRun(id);
      expect(done.status).toBe("done");
      expect(done.counts).toMatchObject({ total: 10, done: 10, failed: 0 });
      const tasks = await t.deps.db.select().from(genTasks).where(eq(genTasks.runId, id));
      const retaken = tasks.filter((x) => ghost.some((g) => g.id === x.id));
      for (const x of retaken) expect(x.attempts).toBe(2);
      expect(await personasOf("crash")).toHaveLength(10);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
