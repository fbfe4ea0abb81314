/**
 * SIGKILL while a provider batch is in flight: the worker process (PGlite: the one embedded in
 * `serve`; PostgreSQL: a `matrix-arena worker` beside a `serve` without one) is killed once the
 * simulator holds a submitted batch, then restarted. Polling resumes from the stored batch ids, and the
 * round ends with the counts and outcomes of an uninterrupted run, while the provider saw every
 * custom_id submitted exactly once (the simulator fails no line here).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { makeTestApp } from "../helpers/app.js";
import { type Progress, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { type Proc, type ProcApi as Api, startCrashStack, stop } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
const JUDGE = "sim-judge-verbose";
const TOPICS = ["glaciers", "compilers", "orbits", "markets", "volcanoes", "tides", "vaccines", "jazz"];
const ITEMS = TOPICS.map((t, i) => ({ text: `Explain ${t} with one example (${i}).`, category: "stem", source: "crash-batch", externalId: String(i) }));
const BATCH_ENV = { MATRIX_ARENA_BATCH_POLL_MS: "100", MATRIX_ARENA_BATCH_GATHER_MS: "300", MATRIX_ARENA_BATCH_PAUSE_MS: "300" };

let sim: Simulator;
let simRef: Simulator;
const procs: Proc[] = [];
beforeAll(async () => {
  [sim, simRef] = await Promise.all([startSimulator({ seed: 41 }), startSimulator({ seed: 41 })]);
});
afterAll(async () => {
  for (const p of procs) await stop(p);
  await Promise.all([sim?.close(), simRef?.close()]);
});


async function setUp(api: Api): Promise<string> {
  for (const name of [...CANDIDATES, JUDGE]) expect((await api("POST", "/v1/models", { name, provider: "sim", model: name, batch: true, inputPricePerMTok: 1, outputPricePerMTok: 3 })).status).toBe(201);
  await api("POST", "/v1/instructions", { items: ITEMS });
  const res = await api("POST", "/v1/rounds", { candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { source: "crash-batch" } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function outcomes(api: Api, roundId: string): Promise<Map<string, number | null>> {
  const page = (await (await api("GET", `/v1/battles?roundId=${roundId}&limit=1000`)).json()) as { items: { instructionId: number; modelA: string; modelB: string; outcome: number | null }[] };
  return new Map(page.items.map((b) => [`${b.instructionId}|${b.modelA}|${b.modelB}`, b.outcome]));
}

interface CostProgress extends Progress {
  costUsd: number;
}

let reference: { progress: CostProgress; outcomes: Map<string, number | null> } | null = null;
async function uninterrupted(): Promise<NonNullable<typeof reference>> {
  if (reference) return reference;
  simRef.setBatch({ completionMs: 1500 });
  const t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: simRef.baseUrl, ...BATCH_ENV });
  const api: Api = (m, p, b) => t.req(m, p, b);
  const id = await setUp(api);
  const w = startBattleWorker(t.deps, "reference");
  await waitForRound(async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as Progress, 200_000);
  await w.stop();
  reference = { progress: (await (await api("GET", `/v1/rounds/${id}`)).json()) as CostProgress, outcomes: await outcomes(api, id) };
  await t.close();
  await t.deps.dbHandle.close();
  return reference;
}

describeEachDb("SIGKILL with a provider batch in flight on $name", ({ name }) => {
  it("resumes polling after the restart and ends with the counts of an uninterrupted run, each request submitted once", async () => {
    const ref = await uninterrupted();
    expect(ref.progress.status).toBe("done");
    sim.setBatch({ completionMs: 4000 });
    // The simulator outlives a driver's run: what this run submitted is the change in its counts.
    const before = sim.stats().batch.submitted;
    const stack = await startCrashStack({ driver: name, dataDirPrefix: "ma-batch-crash-", env: { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "8", ...BATCH_ENV }, procs, setUp });
    const { api, set: id } = stack;
    const progress = async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as CostProgress;
    // In flight: the simulator holds a submitted batch that has not ended (it takes 4 s).
    const deadline = Date.now() + 120_000;
    while (sim.stats().batch.batches === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sim.stats().batch.batches).toBeGreaterThan(0);
    await stack.kill();
    const mid = name === "postgres" ? await progress() : null;
    if (mid) expect(mid.counts.done).toBeLessThan(mid.counts.total);
    await stack.restart();
    const done = (await waitForRound(progress, 240_000)) as CostProgress;
    expect(done.status).toBe("done");
    expect(done.counts).toEqual(ref.progress.counts);
    expect(done.responses).toBe(ref.progress.responses);
    expect(done.judgments).toEqual(ref.progress.judgments);
    expect(done.costUsd).toBeCloseTo(ref.progress.costUsd, 9);
    expect(await outcomes(api, id)).toEqual(ref.outcomes);
    const submitted = Object.entries(sim.stats().batch.submitted).map(([k, n]) => [k, n - (before[k] ?? 0)] as const);
    expect(submitted.filter(([, n]) => n > 0)).toHaveLength(ref.progress.responses + ref.progress.judgments.total);
    expect(submitted.filter(([, n]) => n > 1)).toEqual([]);

    await stack.close();
    sim.setBatch({ completionMs: 0 });
  }, 600_000);
});
