/**
 * A round under injected faults (20% of calls get 429 or 500, and one candidate always fails):
 * the round still finishes; battles that exhaust their retries are recorded as failed with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roundSpend } from "../../battles/spend.js";
import { sumRoundSpend } from "../helpers/spend.js";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

describeWithSharedData("rounds with faults, budgets and cancellation over MT-bench and Arena-Hard prompts", () => {
  let sim: Simulator;
  let t: TestApp;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 5,
      latency: { kind: "fixed", ms: 1 },
      faults: { rate429: 0.1, error500: 0.1, retryAfterSeconds: 0, perModel: { "sim-weak": { error500: 1 } } },
    });
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-strong", "sim-medium", "sim-weak", "sim-judge-fair"]);
    await importItems(t, mtBenchItems(20));
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await sim?.close();
  });

  describe("round with injected faults", () => {
    it("finishes; failures after the retry limit are recorded with their reason", async () => {
      const res = await t.req("POST", "/v1/rounds", { candidates: ["sim-strong", "sim-medium", "sim-weak"], pairing: "all-pairs", judges: ["sim-judge-fair"], maxAttempts: 2 });
      const { id } = await json<{ id: string }>(res);
      const worker = startBattleWorker(t.deps, "faults");
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
      await worker.stop();
      expect(done.status).toBe("done");
      // Every battle that involves the always-failing model fails; the others succeed despite 20% faults.
      expect(done.counts).toMatchObject({ total: 60, done: 20, failed: 40, pending: 0 });
      // The last failure of each is a 500 or, when the global 429 rate hit the final attempt, a 429.
      expect((done.errors.server ?? 0) + (done.errors.rate_limit ?? 0)).toBe(40);
      expect(done.errors.server ?? 0).toBeGreaterThan(20);
      const page = await json<{ items: { modelA: string; modelB: string; status: string; error: string | null }[] }>(await t.req("GET", `/v1/battles?roundId=${id}&limit=100`));
      for (const b of page.items) {
        const involvesWeak = b.modelA === "sim-weak" || b.modelB === "sim-weak";
        expect(b.status).toBe(involvesWeak ? "failed" : "done");
        if (involvesWeak) expect(b.error).toMatch(/^candidate sim-weak: /);
      }
      // Transient faults were really injected and retried: more requests than calls needed.
      const s = sim.stats();
      expect(s.byModel["sim-judge-fair"] ?? 0).toBeGreaterThan(40);
    }, 300_000);
  });

  describe("round budget", () => {
    it("stops the round as budget_exhausted, within its token budget, once the next call does not fit", async () => {
      sim.setFaults({});
      // Fresh prompts: cached answers from the test above would cost nothing and never exhaust a budget.
      await importItems(t, arenaHardItems(20));
      const res = await t.req("POST", "/v1/rounds", { candidates: ["sim-strong", "sim-medium"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { source: "arena-hard" }, budget: { maxTokens: 4000 } });
      const { id } = await json<{ id: string }>(res);
      const worker = startBattleWorker(t.deps, "budget");
      const stopped = (p: Progress) => ["done", "failed", "cancelled", "budget_exhausted"].includes(p.status);
      const done = await waitForRound(async () => json<Progress & { error: string | null }>(await t.req("GET", `/v1/rounds/${id}`)), 120_000, stopped);
      await worker.stop();
      const p = done as Progress & { error: string | null };
      expect(p.status).toBe("budget_exhausted");
      expect(p.error).toMatch(/^budget exhausted: spent \$[\d.]+ and \d+ of 4000 tokens/);
      expect(p.counts.done).toBeLessThan(20);
      expect(p.counts.failed).toBe(0);
      // The reservations read the round's budget row; its counters agree with the sums over the stored rows.
      const counters = await roundSpend(t.deps.db, id);
      expect(counters).toEqual({ ...(await sumRoundSpend(t.deps.db, id)), costUsd: expect.any(Number) });
      expect(counters?.tokens.total ?? Number.NaN).toBeLessThanOrEqual(4000);
    }, 120_000);
  });

  describe("cancel and resume", () => {
    it("cancels pending battles, keeps finished ones, and resumes to completion", async () => {
      sim.setFaults({});
      sim.setLatency({ kind: "fixed", ms: 150 });
      // 40 battles: more than a worker holds at once (16), so some are still pending when we cancel.
      await importItems(t, mtBenchItems(80).slice(20, 60).map((x) => ({ ...x, source: "cancel-test" })));
      const { id } = await json<{ id: string }>(await t.req("POST", "/v1/rounds", { candidates: ["sim-strong", "sim-medium"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { source: "cancel-test" } }));
      const worker = startBattleWorker(t.deps, "cancel");
      const get = async () => json<Progress & { counts: { cancelled: number } }>(await t.req("GET", `/v1/rounds/${id}`));
      await waitForRound(get, 120_000, (p) => p.counts.done >= 3);
      const cancelled = await json<Progress & { counts: { cancelled: number } }>(await t.req("POST", `/v1/rounds/${id}/cancel`));
      expect(cancelled.status).toBe("cancelled");
      expect(cancelled.counts.cancelled).toBeGreaterThan(0);
      // In-flight battles finish; nothing new is claimed.
      const settled = await waitForRound(get, 60_000, (p) => p.counts.running === 0);
      await new Promise((r) => setTimeout(r, 600));
      const still = await get();
      expect(still.counts.done).toBe(settled.counts.done);
      expect(still.counts.done + still.counts.cancelled).toBe(40);
      const resumed = await json<Progress>(await t.req("POST", `/v1/rounds/${id}/resume`));
      expect(resumed.status).toBe("pending");
      const done = await waitForRound(get);
      await worker.stop();
      sim.setLatency({ kind: "fixed", ms: 1 });
      expect(done.status).toBe("done");
      expect(done.counts).toMatchObject({ total: 40, done: 40, cancelled: 0, pending: 0 });
      expect(done.judgments.total).toBe(80);
    }, 200_000);
  });
});
