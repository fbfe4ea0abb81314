/**
 * Batch models end to end: a round whose candidates and judge are `batch: true` goes through the
 * simulator's /v1/files + /v1/batches (real HTTP, the real openai SDK), finishes with the same counts,
 * answers and tokens as the same round sent call by call (a second simulator with the same seed, so
 * the response cache is not shared), and costs half of it on the round's own counters. Failed lines
 * are resubmitted (only they), and cancelling a round cancels its provider batch. Both drivers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roundSpend } from "../../battles/spend.js";
import { batchRequests, providerBatches, responses } from "../../db/schema/index.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { sumRoundSpend } from "../helpers/spend.js";

interface CostProgress extends Progress {
  costUsd: number;
  tokens: { prompt: number; completion: number; total: number };
  budget: { reservedCostUsd: number; reservedTokens: number } | null;
}

const PRICES = { inputPricePerMTok: 10, outputPricePerMTok: 30 };
const TOPICS = ["volcanoes", "sorting algorithms", "the french revolution", "photosynthesis", "compound interest", "haiku writing", "tidal forces", "binary search", "roman aqueducts", "vaccines", "jazz harmony", "plate tectonics"];
const ITEMS = TOPICS.map((t, i) => ({ text: `Explain ${t} in a short paragraph, with one example (${i}).`, category: "stem", externalId: `batch-${i}`, source: "batch-test" }));

describeEachDb("batch rounds on $name", (target) => {
  let t: TestApp;
  // Simulators of this driver's own: the provider's counts start at zero for each.
  let simBatch: Simulator;
  let simDirect: Simulator;
  const get = (id: string) => async () => json<CostProgress>(await t.req("GET", `/v1/rounds/${id}`));
  const register = async (name: string, model: string, extra: Record<string, unknown>) => {
    const res = await t.req("POST", "/v1/models", { name, provider: "sim", model, maxConcurrency: 16, ...PRICES, params: { maxTokens: 300 }, ...extra });
    expect(res.status).toBe(201);
  };
  const start = async (candidates: string[], judge: string, budget = true): Promise<string> => {
    const res = await t.req("POST", "/v1/rounds", { candidates, pairing: "all-pairs", judges: [judge], instructions: { source: "batch-test" }, ...(budget ? { budget: { maxCostUsd: 100 } } : {}) });
    expect(res.status).toBe(202);
    return (await json<{ id: string }>(res)).id;
  };
  const run = async (id: string): Promise<CostProgress> => {
    const worker = startBattleWorker(t.deps, "batch-test");
    try {
      await waitForRound(get(id), 60_000).catch(async (e: unknown) => {
        const rows = await t.deps.db.select({ state: batchRequests.state, model: batchRequests.model, error: batchRequests.error }).from(batchRequests);
        console.log(JSON.stringify(await get(id)()).slice(0, 300), JSON.stringify(rows.slice(0, 5)), rows.length, t.logs.filter((l) => !l.includes('"msg":"request"')).slice(-15).join(""));
        throw e;
      });
      return await get(id)();
    } finally {
      await worker.stop();
    }
  };

  beforeAll(async () => {
    [simBatch, simDirect] = await Promise.all([startSimulator({ seed: 31 }), startSimulator({ seed: 31 })]);
    const handle = await target.open();
    t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: simBatch.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "16", MATRIX_ARENA_BATCH_POLL_MS: "50", MATRIX_ARENA_BATCH_GATHER_MS: "150" });
    for (const m of ["sim-strong", "sim-medium", "sim-judge-verbose"]) {
      await register(`b-${m}`, m, { batch: true });
      await register(`n-${m}`, m, { baseUrl: simDirect.baseUrl });
    }
    await importItems(t, ITEMS);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await Promise.all([simBatch?.close(), simDirect?.close()]);
  });

  it("a batch round matches the direct round in counts, answers and tokens, at half its cost", async () => {
    simBatch.setBatch({ completionMs: 300, failRate: 0 });
    const direct = await run(await start(["n-sim-strong", "n-sim-medium"], "n-sim-judge-verbose"));
    const batchId = await start(["b-sim-strong", "b-sim-medium"], "b-sim-judge-verbose");
    const batch = await run(batchId);
    for (const p of [direct, batch]) expect(p.status).toBe("done");
    expect(batch.counts).toEqual(direct.counts);
    expect(batch.responses).toBe(24);
    expect(batch.judgments).toEqual(direct.judgments);
    expect(batch.tokens).toEqual(direct.tokens);
    expect(direct.costUsd).toBeGreaterThan(0);
    expect(batch.costUsd).toBeCloseTo(direct.costUsd * 0.5, 9);
    // The counters are what the stored rows say, and nothing stays reserved.
    const counters = await roundSpend(t.deps.db, batchId);
    const sums = await sumRoundSpend(t.deps.db, batchId);
    expect(counters).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 9) });
    expect(batch.budget?.reservedCostUsd).toBeCloseTo(0, 9);
    expect(batch.budget?.reservedTokens).toBe(0);
    // Same answers as call by call, none of them from the cache.
    const texts = await t.deps.db.select({ model: responses.model, text: responses.text, cached: responses.cached }).from(responses).where(eq(responses.roundId, batchId));
    expect(texts.every((r) => !r.cached)).toBe(true);
    // The provider saw each request once: 24 answers, then 24 games of the judge.
    const stats = simBatch.stats();
    expect(Object.keys(stats.batch.submitted)).toHaveLength(48);
    expect(Object.values(stats.batch.submitted).every((n) => n === 1)).toBe(true);
    expect(stats.requests).toBe(48);
    const batches = await t.deps.db.select().from(providerBatches);
    expect(batches.every((b) => b.state === "ended" && b.status === "completed")).toBe(true);
  }, 200_000);

  it("resubmits only the requests that failed, and still finishes with every answer", async () => {
    // 20%: a line fails all 5 submissions with probability 0.2^5, so the round finishes.
    simBatch.setBatch({ completionMs: 100, failRate: 0.2 });
    const before = simBatch.stats().batch.submitted;
    // A new judge prompt set: the same instructions answered by a candidate pair not used yet.
    await register("b2-sim-good", "sim-good", { batch: true });
    await register("b2-sim-weak", "sim-weak", { batch: true });
    const id = await start(["b2-sim-good", "b2-sim-weak"], "b-sim-judge-verbose");
    const p = await run(id);
    expect(p.status).toBe("done");
    expect({ counts: p.counts, errors: p.errors }).toMatchObject({ counts: { total: 12, done: 12, failed: 0 }, errors: {} });
    expect(p.responses).toBe(24);
    const after = simBatch.stats().batch.submitted;
    const fresh = Object.entries(after).filter(([k]) => before[k] === undefined);
    expect(fresh).toHaveLength(48);
    const resubmitted = fresh.filter(([, n]) => n > 1);
    // With a 20% failure rate some lines failed, and only those went out again.
    expect(resubmitted.length).toBeGreaterThan(0);
    const rows = await t.deps.db.select({ key: batchRequests.key, attempts: batchRequests.attempts, state: batchRequests.state }).from(batchRequests);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const [key, n] of fresh) expect(byKey.get(key)).toMatchObject({ attempts: n, state: "done" });
    const counters = await roundSpend(t.deps.db, id);
    const sums = await sumRoundSpend(t.deps.db, id);
    expect(counters).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 9) });
    simBatch.setBatch({ failRate: 0 });
  }, 200_000);

  it("an endpoint without a batch API (404 on /v1/files, as vLLM's server answers) fails the calls with that said, and is not asked again and again", async () => {
    // A server with no batch routes at all: every request is a 404 in OpenAI's error shape.
    const seen: string[] = [];
    const bare: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Not Found", type: "invalid_request_error", code: null } }));
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    try {
      await register("b4-nobatch", "sim-good", { batch: true, baseUrl: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/v1` });
      const id = await start(["b4-nobatch", "n-sim-medium"], "n-sim-judge-verbose");
      const p = await run(id);
      expect(p.status).toBe("failed");
      expect(p.counts).toMatchObject({ total: 12, done: 0, failed: 12 });
      const refused = (await t.deps.db.select().from(providerBatches)).filter((b) => b.model === "b4-nobatch");
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((b) => b.state === "refused" && b.status === "http 404")).toBe(true);
      const requests = (await t.deps.db.select().from(batchRequests)).filter((r) => r.model === "b4-nobatch");
      expect(requests.length).toBe(12);
      for (const r of requests) {
        expect(r.state).toBe("failed");
        expect(r.error).toContain("HTTP 404");
        expect(r.error).toContain("no batch API");
      }
      // Each upload was refused once: one POST /v1/files per submission, none resent.
      expect(seen.filter((s) => s.startsWith("POST /v1/files"))).toHaveLength(refused.length);
      expect(seen.every((s) => s.startsWith("POST /v1/files"))).toBe(true);
      // Nothing stays reserved on the round's budget.
      expect(p.budget?.reservedCostUsd).toBeCloseTo(0, 9);
      expect(p.budget?.reservedTokens).toBe(0);
    } finally {
      await new Promise<void>((r) => bare.close(() => r()));
    }
  }, 200_000);

  it("cancelling a round cancels its provider batch", async () => {
    simBatch.setBatch({ completionMs: 600_000 });
    await register("b3-sim-coder", "sim-coder", { batch: true });
    await register("b3-sim-target", "sim-target", { batch: true });
    const id = await start(["b3-sim-coder", "b3-sim-target"], "b-sim-judge-verbose", false);
    const worker = startBattleWorker(t.deps, "batch-cancel");
    try {
      const deadline = Date.now() + 60_000;
      let open: (typeof providerBatches.$inferSelect)[] = [];
      while (Date.now() < deadline) {
        open = (await t.deps.db.select().from(providerBatches).where(eq(providerBatches.state, "submitted"))).filter((b) => b.model.startsWith("b3-"));
        if (open.length === 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(open).toHaveLength(2);
      expect((await t.req("POST", `/v1/rounds/${id}/cancel`)).status).toBe(200);
      const ended = async () => (await t.deps.db.select().from(providerBatches)).filter((b) => b.model.startsWith("b3-") && b.state === "ended");
      while (Date.now() < deadline && (await ended()).length < 2) await new Promise((r) => setTimeout(r, 50));
      expect((await ended()).map((b) => b.status)).toEqual(["cancelled", "cancelled"]);
      const p = await get(id)();
      expect(p.status).toBe("cancelled");
    } finally {
      await worker.stop({ graceMs: 2000 });
      simBatch.setBatch({ completionMs: 0 });
    }
  }, 200_000);
});
