/**
 * Adaptive rounds end to end over real HTTP to the simulator: waves until the stopping rule holds,
 * the progress figure equal to the board's widest interval, no pair meeting an instruction twice,
 * two workers writing each wave once, the same seed giving the same waves, target-vs-opponents
 * battles all on the target, and every bad request a 400 naming the field.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { battles } from "../../db/schema/index.js";
import { startWorker } from "../../battles/worker.js";
import { startBattleWorker } from "../../src/background.js";
import { createModelCaller } from "../../src/services/model-caller.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, syntheticItems, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-target", "sim-weak"];
const JUDGE = "sim-judge-fair";

interface AdaptiveProgress extends Progress {
  adaptive: { wave: number; ciWidth: number | null; targetCiWidth: number | null; bootstrap: number; maxBattles: number | null; battles: number; stoppedBy: string | null } | null;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 31, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("adaptive rounds on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "8" });
    await registerSimModels(t, [...CANDIDATES, JUDGE]);
    await importItems(t, syntheticItems(120));
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const start = async (body: Record<string, unknown>) => {
    const res = await t.req("POST", "/v1/rounds", { candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], sampling: "adaptive", ...body });
    expect(res.status).toBe(202);
    return (await json<{ id: string }>(res)).id;
  };
  const progress = async (id: string) => json<AdaptiveProgress>(await t.req("GET", `/v1/rounds/${id}`));
  const finished = async (id: string) => (await waitForRound(() => progress(id), 240_000)) as AdaptiveProgress;
  const plan = async (id: string) =>
    (await t.deps.db.select({ wave: battles.wave, instructionId: battles.instructionId, modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome }).from(battles).where(eq(battles.roundId, id)).orderBy(asc(battles.wave), asc(battles.instructionId), asc(battles.modelA), asc(battles.modelB)));

  it("plans waves until the interval target holds; the progress figure is the board's widest interval", async () => {
    const workers = [startBattleWorker(t.deps, "a"), startBattleWorker(t.deps, "b")];
    const id = await start({ adaptive: { target: { ciWidth: 150 }, maxBattles: 600, waveSize: 12 }, instructions: { seed: 4 } });
    const first = await progress(id);
    expect(first.adaptive).toMatchObject({ wave: 1, ciWidth: null, targetCiWidth: 150, bootstrap: 1000, maxBattles: 600, stoppedBy: null });
    expect(first.counts.total).toBe(12);
    const done = await finished(id);
    await Promise.all(workers.map((w) => w.stop()));
    expect(done.status).toBe("done");
    expect(done.adaptive?.stoppedBy).toBe("target");
    expect(done.adaptive?.wave).toBeGreaterThan(2);
    const board = await json<{ items: { ciLow: number; ciHigh: number }[] }>(await t.req("GET", `/v1/leaderboard?roundId=${id}&bootstrap=${done.adaptive?.bootstrap}`));
    const widest = Math.max(...board.items.map((it) => it.ciHigh - it.ciLow));
    expect(done.adaptive?.ciWidth).toBeCloseTo(widest, 9);
    expect(widest).toBeLessThanOrEqual(150);
    expect(done.adaptive?.battles).toBe(done.counts.total);
    expect(done.judgments.total).toBe(done.counts.total * 2);
    const rows = await plan(id);
    // Two workers, each wave written once: wave numbers run 1..n, none holds more than the wave size.
    const perWave = new Map<number, number>();
    for (const r of rows) perWave.set(r.wave ?? 0, (perWave.get(r.wave ?? 0) ?? 0) + 1);
    expect([...perWave.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: done.adaptive?.wave ?? 0 }, (_, k) => k + 1));
    for (const n of perWave.values()) expect(n).toBeLessThanOrEqual(12);
    // No pair meets the same instruction twice.
    const seen = new Set(rows.map((r) => `${r.instructionId}|${[r.modelA, r.modelB].sort().join("|")}`));
    expect(seen.size).toBe(rows.length);
  }, 300_000);

  it("is reproducible: the same seed gives the same waves and outcomes; maxBattles stops it", async () => {
    const worker = startBattleWorker(t.deps, "c");
    const body = { adaptive: { maxBattles: 40, waveSize: 10 }, instructions: { seed: 8 } };
    const a = await start(body);
    const pa = await finished(a);
    const b = await start(body);
    const pb = await finished(b);
    await worker.stop();
    expect(pa.adaptive?.stoppedBy).toBe("max_battles");
    expect(pa.counts.total).toBe(40);
    expect(pa.adaptive?.wave).toBe(4);
    expect(await plan(b)).toEqual(await plan(a));
    expect(pb.adaptive?.ciWidth).toBe(pa.adaptive?.ciWidth);
  }, 300_000);

  it("adaptive.bootstrap sets the board the rule reads: 100 gives the board's default figure", async () => {
    const worker = startBattleWorker(t.deps, "d");
    const id = await start({ adaptive: { maxBattles: 24, waveSize: 12, bootstrap: 100 }, instructions: { seed: 5 } });
    const done = await finished(id);
    await worker.stop();
    expect(done.adaptive).toMatchObject({ bootstrap: 100, stoppedBy: "max_battles", wave: 2 });
    const board = await json<{ items: { ciLow: number; ciHigh: number }[] }>(await t.req("GET", `/v1/leaderboard?roundId=${id}`));
    expect(done.adaptive?.ciWidth).toBeCloseTo(Math.max(...board.items.map((it) => it.ciHigh - it.ciLow)), 9);
  }, 300_000);

  it("a round left between waves (its last battle settled, no wave written) is advanced by the next idle worker", async () => {
    // A worker without the scheduler settles wave 1 and leaves the round there, as a crash would.
    const plain = startWorker({ db: t.deps.db, llm: createModelCaller(t.deps.db, t.deps.gateway), owner: "plain", concurrency: 4, leaseMs: 10_000, log: t.deps.logger });
    const id = await start({ adaptive: { maxBattles: 24, waveSize: 12 }, instructions: { seed: 2 } });
    const settled = await waitForRound(() => progress(id), 120_000, (p) => p.counts.done + p.counts.failed === 12);
    await plain.stop();
    const stalled = await progress(id);
    expect(settled.counts.total).toBe(12);
    expect(stalled.status).toBe("running");
    expect(stalled.adaptive?.wave).toBe(1);
    const worker = startBattleWorker(t.deps, "e");
    const done = await finished(id);
    await worker.stop();
    expect(done.status).toBe("done");
    expect(done.adaptive).toMatchObject({ wave: 2, stoppedBy: "max_battles" });
    expect(done.counts.total).toBe(24);
  }, 300_000);

  it("ends as exhausted when no pair has an unseen instruction left", async () => {
    const worker = startBattleWorker(t.deps, "f");
    const id = await start({ candidates: CANDIDATES.slice(0, 3), adaptive: { maxBattles: 100, waveSize: 4 }, instructions: { limit: 3, seed: 6 } });
    const done = await finished(id);
    await worker.stop();
    expect(done.status).toBe("done");
    expect(done.adaptive?.stoppedBy).toBe("exhausted");
    // 3 pairs x 3 instructions, each pair meeting each instruction once.
    expect(done.counts.total).toBe(9);
    expect(new Set((await plan(id)).map((r) => `${r.instructionId}|${[r.modelA, r.modelB].sort().join("|")}`)).size).toBe(9);
  }, 300_000);

  it("a budget alone stops an adaptive round, within its cap", async () => {
    // $10 / $30 per million tokens: an answer or a verdict costs about a cent (as in round-budget.test.ts).
    const priced = ["p-strong", "p-medium", "p-weak"];
    for (const [name, model] of [["p-strong", "sim-strong"], ["p-medium", "sim-medium"], ["p-weak", "sim-weak"], ["p-judge", JUDGE]] as const) {
      const res = await t.req("POST", "/v1/models", { name, provider: "sim", model, inputPricePerMTok: 10, outputPricePerMTok: 30, maxConcurrency: 8 });
      expect(res.status).toBe(201);
    }
    const worker = startBattleWorker(t.deps, "g");
    const res = await t.req("POST", "/v1/rounds", { candidates: priced, pairing: "all-pairs", judges: ["p-judge"], sampling: "adaptive", adaptive: { waveSize: 6 }, budget: { maxCostUsd: 0.3 } });
    expect(res.status).toBe(202);
    const { id } = await json<{ id: string }>(res);
    const stopped = (await waitForRound(() => progress(id), 240_000, (p) => ["done", "failed", "cancelled", "budget_exhausted"].includes(p.status))) as AdaptiveProgress & { costUsd: number; budget: { overshoot: { costUsd: number } } | null };
    await worker.stop();
    expect(stopped.status).toBe("budget_exhausted");
    expect(stopped.adaptive?.wave).toBeGreaterThan(1);
    expect(stopped.costUsd).toBeLessThanOrEqual(0.3 + (stopped.budget?.overshoot.costUsd ?? 0) + 1e-9);
  }, 300_000);

  it("target-vs-opponents: every battle has the target in it", async () => {
    const worker = startBattleWorker(t.deps, "d");
    const id = await start({ pairing: "target-vs-opponents", target: "sim-target", adaptive: { maxBattles: 30, waveSize: 6 } });
    const done = await finished(id);
    await worker.stop();
    expect(done.status).toBe("done");
    const rows = await plan(id);
    expect(rows).toHaveLength(30);
    for (const r of rows) expect([r.modelA, r.modelB]).toContain("sim-target");
  }, 300_000);

  it("each pair meets the pool's categories in the pool's proportions, within one battle", async () => {
    // Its own source, imported last: 48 coding, 32 writing and 16 math prompts (shares 1/2, 1/3, 1/6).
    const shares: Record<string, number> = { coding: 48 / 96, writing: 32 / 96, math: 16 / 96 };
    const items = Object.entries(shares).flatMap(([category, share]) =>
      syntheticItems(96 * share).map((it, k) => ({ ...it, category, externalId: `cat-${category}-${k}`, source: "adaptive-categories", text: `${category} ${it.text}` })),
    );
    await importItems(t, items);
    const worker = startBattleWorker(t.deps, "g");
    const id = await start({ adaptive: { maxBattles: 90, waveSize: 15 }, instructions: { source: "adaptive-categories", seed: 3 } });
    const done = await finished(id);
    await worker.stop();
    expect(done.counts.total).toBe(90);
    const rows = await t.deps.db.select({ modelA: battles.modelA, modelB: battles.modelB, category: battles.category }).from(battles).where(eq(battles.roundId, id));
    const byPair = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const key = [r.modelA, r.modelB].sort().join("|");
      const m = byPair.get(key) ?? byPair.set(key, new Map()).get(key)!;
      m.set(r.category ?? "", (m.get(r.category ?? "") ?? 0) + 1);
    }
    expect(byPair.size).toBe(6);
    for (const [pair, m] of byPair) {
      const n = [...m.values()].reduce((a, b) => a + b, 0);
      for (const [category, share] of Object.entries(shares)) expect(Math.abs((m.get(category) ?? 0) - share * n), `${pair} ${category}: ${m.get(category) ?? 0} of ${n}`).toBeLessThanOrEqual(1 + 1e-9);
    }
  }, 300_000);

  const bad: { name: string; body: Record<string, unknown>; field: string }[] = [
    { name: "no stopping rule", body: { sampling: "adaptive" }, field: "adaptive" },
    { name: "adaptive options on a fixed round", body: { sampling: "fixed", adaptive: { maxBattles: 10 } }, field: "adaptive" },
    { name: "a negative interval target", body: { sampling: "adaptive", adaptive: { target: { ciWidth: -5 } } }, field: "adaptive" },
    { name: "a zero wave", body: { sampling: "adaptive", adaptive: { maxBattles: 10, waveSize: 0 } }, field: "adaptive" },
    { name: "an unknown sampling", body: { sampling: "greedy" }, field: "sampling" },
    { name: "an unknown stopping key", body: { sampling: "adaptive", adaptive: { tau: 0.9 } }, field: "adaptive" },
    { name: "a bootstrap under 100", body: { sampling: "adaptive", adaptive: { maxBattles: 10, bootstrap: 50 } }, field: "bootstrap" },
    { name: "a bootstrap over 1000", body: { sampling: "adaptive", adaptive: { maxBattles: 10, bootstrap: 5000 } }, field: "bootstrap" },
  ];
  for (const tc of bad) {
    it(`400 for ${tc.name}`, async () => {
      const res = await t.req("POST", "/v1/rounds", { candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], ...tc.body });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(tc.field);
    });
  }
});
