/**
 * A budget is a cap: a priced round with a small maxCostUsd, run by a worker holding 16 battles at
 * once (on PostgreSQL by two `matrix-arena worker` processes sharing the budget), never spends past
 * it beyond the overshoot it records; it stops as budget_exhausted with an error naming the same
 * figures as its counters, and POST /resume with a raised budget finishes it. A token budget takes
 * the same path. Real HTTP to the simulator throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roundSpend } from "../../battles/spend.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { spawnCli, stop, type Proc } from "../helpers/proc.js";
import { sumRoundSpend } from "../helpers/spend.js";

interface BudgetProgress extends Progress {
  error: string | null;
  costUsd: number;
  tokens: { prompt: number; completion: number; total: number };
  budget: {
    maxCostUsd: number | null;
    maxTokens: number | null;
    reservedCostUsd: number;
    reservedTokens: number;
    overshoot: { calls: number; costUsd: number; tokens: number };
  } | null;
}

// $10 / $30 per million tokens: an answer or a verdict costs about a cent.
const PRICES = { inputPricePerMTok: 10, outputPricePerMTok: 30 };
const STOPPED = (p: Progress) => ["done", "failed", "cancelled", "budget_exhausted"].includes(p.status);

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 23, latency: { kind: "fixed", ms: 20 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("round budgets over MT-bench and Arena-Hard prompts", () => {
  describeEachDb("round budgets on $name", (target) => {
    let t: TestApp;
    let workers: Proc[] = [];
    const url = () => (t.deps.dbHandle as { databaseUrl?: string }).databaseUrl;
    /** Runs workers until the round stops: two processes on PostgreSQL, one in-process worker otherwise. */
    const runUntilStopped = async (id: string): Promise<BudgetProgress> => {
      const get = async () => json<BudgetProgress>(await t.req("GET", `/v1/rounds/${id}`));
      const dbUrl = url();
      if (target.name === "postgres" && dbUrl) {
        const env = { DATABASE_URL: dbUrl, MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "warn", MATRIX_ARENA_WORKER_CONCURRENCY: "16" };
        workers = [spawnCli(["worker"], env), spawnCli(["worker"], env)];
        await waitForRound(get, 180_000, STOPPED);
        for (const w of workers) await stop(w);
        workers = [];
        return get();
      }
      const worker = startBattleWorker(t.deps, "budget");
      await waitForRound(get, 180_000, STOPPED);
      await worker.stop();
      return get();
    };

    beforeAll(async () => {
      const handle = await target.open();
      t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "16" });
      // Candidates cap their answers (max_tokens 200); judges set none, so the conservative default applies.
      await registerSimModels(t, ["sim-strong", "sim-medium"], { ...PRICES, params: { maxTokens: 200 } });
      await registerSimModels(t, ["sim-judge-fair"], PRICES);
      await importItems(t, arenaHardItems(30));
      await importItems(t, mtBenchItems(30));
    });
    afterAll(async () => {
      for (const w of workers) await stop(w);
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    it("stops a priced round at its maxCostUsd as budget_exhausted, and resume with a raised budget finishes it", async () => {
      const maxCostUsd = 0.5;
      const created = await t.req("POST", "/v1/rounds", {
        candidates: ["sim-strong", "sim-medium"],
        pairing: "all-pairs",
        judges: ["sim-judge-fair"],
        instructions: { source: "arena-hard" },
        budget: { maxCostUsd },
      });
      expect(created.status).toBe(202);
      const { id } = await json<{ id: string }>(created);
      const p = await runUntilStopped(id);

      expect(p.status).toBe("budget_exhausted");
      // How much of the spend reached finished battles depends on how many were in flight; some work was stored.
      expect(p.responses).toBeGreaterThan(0);
      expect(p.counts.pending).toBeGreaterThan(0);
      expect(p.counts.failed).toBe(0);
      expect(p.budget).not.toBeNull();
      const overshoot = p.budget?.overshoot.costUsd ?? Number.NaN;
      // The cap: never past the budget beyond the overshoot recorded for estimates that were too low.
      expect(p.costUsd).toBeLessThanOrEqual(maxCostUsd + overshoot + 1e-9);
      // The estimate bounds these calls (a byte a token, max_tokens or 1024), so nothing overshot.
      expect(p.budget?.overshoot).toEqual({ calls: 0, costUsd: 0, tokens: 0 });
      expect(p.budget?.reservedCostUsd).toBe(0);
      console.log(`[budget] ${target.name}: spent $${p.costUsd} of $${maxCostUsd}; overshoot $${overshoot}; ${p.counts.done} of ${p.counts.total} battles done`);
      // The error names the same figures as the counters, with the same rounding.
      expect(p.error).toContain(`$${p.costUsd} of $${maxCostUsd}`);
      const counters = await roundSpend(t.deps.db, id);
      const sums = await sumRoundSpend(t.deps.db, id);
      expect(counters).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 9) });
      expect(p.costUsd).toBeCloseTo(sums.costUsd, 6);

      // A resume that does not raise the budget is refused, naming the field.
      const same = await t.req("POST", `/v1/rounds/${id}/resume`, { budget: { maxCostUsd: p.costUsd } });
      expect(same.status).toBe(400);
      expect(JSON.stringify(await same.json())).toContain("budget.maxCostUsd");
      const resumed = await t.req("POST", `/v1/rounds/${id}/resume`, { budget: { maxCostUsd: 100 } });
      expect(resumed.status).toBe(200);
      expect((await json<BudgetProgress>(resumed)).status).toBe("pending");
      const done = await runUntilStopped(id);
      expect(done.status).toBe("done");
      expect(done.error).toBeNull();
      expect(done.counts).toMatchObject({ total: 30, done: 30, failed: 0, pending: 0 });
      expect(done.budget?.maxCostUsd).toBe(100);
      expect(done.costUsd).toBeGreaterThan(p.costUsd);
    }, 400_000);

    it("stops at a token budget the same way", async () => {
      const maxTokens = 15000;
      const created = await t.req("POST", "/v1/rounds", {
        candidates: ["sim-strong", "sim-medium"],
        pairing: "all-pairs",
        judges: ["sim-judge-fair"],
        instructions: { source: "mt-bench" },
        budget: { maxTokens },
      });
      const { id } = await json<{ id: string }>(created);
      const p = await runUntilStopped(id);
      expect(p.status).toBe("budget_exhausted");
      expect(p.responses).toBeGreaterThan(0);
      expect(p.tokens.total).toBeLessThanOrEqual(maxTokens + (p.budget?.overshoot.tokens ?? Number.NaN));
      expect(p.budget?.overshoot.calls).toBe(0);
      expect(p.error).toContain(`${p.tokens.total} of ${maxTokens} tokens`);
      console.log(`[budget] ${target.name}: spent ${p.tokens.total} of ${maxTokens} tokens; ${p.counts.done} of ${p.counts.total} battles done`);
    }, 400_000);

    it("holds the cap exactly on dense prompts, where a characters-a-token estimate would overshoot", async () => {
      // One-letter words: 2 characters a word against the simulator's 1.3 tokens a word. A 3-characters-a-token
      // estimate reserved too little here (18 calls overshot, $0.369 spent of $0.30); a byte a token does not.
      await importItems(t, Array.from({ length: 12 }, (_, i) => ({ text: `Question ${i}: ${"a ".repeat(1500)}`, source: "dense" })));
      const maxCostUsd = 0.3;
      const created = await t.req("POST", "/v1/rounds", {
        candidates: ["sim-strong", "sim-medium"],
        pairing: "all-pairs",
        judges: ["sim-judge-fair"],
        instructions: { source: "dense" },
        budget: { maxCostUsd },
      });
      expect(created.status).toBe(202);
      const { id } = await json<{ id: string }>(created);
      const p = await runUntilStopped(id);
      expect(p.status).toBe("budget_exhausted");
      expect(p.budget?.overshoot).toEqual({ calls: 0, costUsd: 0, tokens: 0 });
      expect(p.costUsd).toBeLessThanOrEqual(maxCostUsd);
      expect(p.responses).toBeGreaterThan(0);
      console.log(`[budget] ${target.name}: dense prompts spent $${p.costUsd} of $${maxCostUsd}; overshoot $${p.budget?.overshoot.costUsd}`);
    }, 400_000);
  });
});
