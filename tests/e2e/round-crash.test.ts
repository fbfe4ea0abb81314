/**
 * Kill the worker with SIGKILL mid-round, restart it, and compare with an uninterrupted run of the
 * same round: the same battles, judgments and outcomes, each judged exactly once per judge and order.
 * PGlite: the worker is the one embedded in `serve` (the restart also takes over the stale lock).
 * PostgreSQL: a `matrix-arena worker` process beside a `serve` without embedded worker.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { makeTestApp } from "../helpers/app.js";
import { describeWithSharedData, mtBenchItems, type Progress, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { type Proc, type ProcApi as Api, startCrashStack, stop } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
const JUDGES = ["sim-judge-fair", "sim-judge-biased"];
const ROUND = { candidates: CANDIDATES, pairing: "all-pairs", judges: JUDGES, instructions: { seed: 9 } };

let sim: Simulator;
const procs: Proc[] = [];
beforeAll(async () => {
  sim = await startSimulator({ seed: 21, latency: { kind: "fixed", ms: 15 } });
});
afterAll(async () => {
  for (const p of procs) await stop(p);
  await sim?.close();
});

type Outcomes = Map<string, number | null>;

async function setUp(api: Api): Promise<string> {
  for (const name of [...CANDIDATES, ...JUDGES]) await api("POST", "/v1/models", { name, provider: "sim", model: name });
  await api("POST", "/v1/instructions", { items: mtBenchItems(30) });
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
      expect(b.judgments).toHaveLength(JUDGES.length * 2);
      out.set(`${b.instructionId}|${b.modelA}|${b.modelB}`, b.outcome);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The reference: the same round, uninterrupted, in-process. */
let reference: { progress: Progress; outcomes: Outcomes } | null = null;
async function uninterrupted(): Promise<{ progress: Progress; outcomes: Outcomes }> {
  if (reference) return reference;
  const t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
  const api: Api = (m, p, b) => t.req(m, p, b);
  const id = await setUp(api);
  const w = startBattleWorker(t.deps, "reference");
  const progress = await waitForRound(async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as Progress);
  await w.stop();
  reference = { progress, outcomes: await outcomes(api, id) };
  await t.close();
  await t.deps.dbHandle.close();
  return reference;
}

describeWithSharedData("SIGKILL mid-round over MT-bench prompts", () => {
  describeEachDb("SIGKILL mid-round on $name", ({ name }) => {
    it("finishes after restart with exactly the counts and outcomes of an uninterrupted run", async () => {
      const ref = await uninterrupted();
      const stack = await startCrashStack({ driver: name, dataDirPrefix: "ma-crash-", env: { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "4" }, procs, setUp });
      const { api, set: id } = stack;
      const progress = async () => (await (await api("GET", `/v1/rounds/${id}`)).json()) as Progress;
      const mid = await waitForRound(progress, 120_000, (p) => p.counts.done >= 15);
      await stack.kill();
      expect(mid.counts.done).toBeLessThan(mid.counts.total);
      await stack.restart();
      const done = await waitForRound(progress, 180_000);
      expect(done.status).toBe("done");
      expect(done.counts).toEqual(ref.progress.counts);
      expect(done.responses).toBe(ref.progress.responses);
      expect(done.judgments.total).toBe(ref.progress.judgments.total);
      expect(done.judgments.total).toBe(done.counts.total * JUDGES.length * 2);
      expect(await outcomes(api, id)).toEqual(ref.outcomes);

      await stack.close();
    }, 400_000);
  });
});
