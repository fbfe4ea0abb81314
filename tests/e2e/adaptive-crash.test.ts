/**
 * Kill the worker with SIGKILL in the middle of an adaptive round's wave, restart it, and compare with
 * an uninterrupted run of the same round: the same waves, battles, judgments and outcomes, each
 * battle judged exactly once per order, and the same widest interval at the end.
 * PGlite: the worker is the one embedded in `serve`. PostgreSQL: a `matrix-arena worker` process
 * beside a `serve` without embedded worker.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { makeTestApp } from "../helpers/app.js";
import { type Progress, syntheticItems, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { type Proc, type ProcApi as Api, startCrashStack, stop } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-target", "sim-weak"];
const JUDGE = "sim-judge-fair";
const ROUND = { candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], sampling: "adaptive", adaptive: { target: { ciWidth: 120 }, maxBattles: 400, waveSize: 16 }, instructions: { seed: 5 } };

interface AdaptiveProgress extends Progress {
  adaptive: { wave: number; ciWidth: number | null; battles: number; stoppedBy: string | null } | null;
}

let sim: Simulator;
const procs: Proc[] = [];
beforeAll(async () => {
  sim = await startSimulator({ seed: 41, latency: { kind: "fixed", ms: 15 } });
});
afterAll(async () => {
  for (const p of procs) await stop(p);
  await sim?.close();
});

type Outcomes = Map<string, number | null>;

async function setUp(api: Api): Promise<string> {
  for (const name of [...CANDIDATES, JUDGE]) await api("POST", "/v1/models", { name, provider: "sim", model: name });
  await api("POST", "/v1/instructions", { items: syntheticItems(150) });
  const res = await api("POST", "/v1/rounds", ROUND);
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function outcomes(api: Api, roundId: string): Promise<Outcomes> {
  const out: Outcomes = new Map();
  let cursor: string | null = null;
  do {
    const page = (await (await api("GET", `/v1/battles?roundId=${roundId}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`)).json()) as {
      items: { instructionId: number; modelA: string; modelB: string; outcome: number | null; judgments: unknown[] }[];
      nextCursor: string | null;
    };
    for (const b of page.items) {
      expect(b.judgments).toHaveLength(2);
      out.set(`${b.instructionId}|${b.modelA}|${b.modelB}`, b.outcome);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

let reference: { progress: AdaptiveProgress; outcomes: Outcomes } | null = null;
async function uninterrupted(): Promise<{ progress: AdaptiveProgress; outcomes: Outcomes }> {
  if (reference) return reference;
  const t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
  const api: Api = (m, p, b) => t.req(m, p, b);
  const id = await setUp(api);
  const w = startBattleWorker(t.deps, "reference");
  const progress = (await waitForRound(async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as Progress, 240_000)) as AdaptiveProgress;
  await w.stop();
  reference = { progress, outcomes: await outcomes(api, id) };
  await t.close();
  await t.deps.dbHandle.close();
  return reference;
}

describeEachDb("SIGKILL mid-wave of an adaptive round on $name", ({ name }) => {
  it("resumes where it stood and ends with exactly the waves, counts and outcomes of an uninterrupted run", async () => {
    const ref = await uninterrupted();
    expect(ref.progress.status).toBe("done");
    expect(ref.progress.adaptive?.wave).toBeGreaterThanOrEqual(3);
    const stack = await startCrashStack({ driver: name, dataDirPrefix: "ma-adaptive-crash-", env: { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "4" }, procs, setUp });
    const { api, set: id } = stack;
    const progress = async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as AdaptiveProgress;
    // Mid-wave: the second wave (or a later one) written and some of its battles still open.
    const mid = (await waitForRound(progress, 180_000, (p) => ((p as AdaptiveProgress).adaptive?.wave ?? 0) >= 2 && p.counts.done > 16 && p.counts.pending > 2)) as AdaptiveProgress;
    await stack.kill();
    expect(mid.status).not.toBe("done");
    await stack.restart();
    const done = (await waitForRound(progress, 240_000)) as AdaptiveProgress;
    expect(done.status).toBe("done");
    expect(done.adaptive).toEqual(ref.progress.adaptive);
    expect(done.counts).toEqual(ref.progress.counts);
    expect(done.responses).toBe(ref.progress.responses);
    expect(done.judgments.total).toBe(ref.progress.judgments.total);
    expect(done.judgments.total).toBe(done.counts.total * 2);
    expect(await outcomes(api, id)).toEqual(ref.outcomes);

    await stack.close();
  }, 500_000);
});
