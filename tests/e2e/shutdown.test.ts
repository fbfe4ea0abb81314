/**
 * Graceful shutdown of a real `matrix-arena worker` process (PostgreSQL: workers share it) and of
 * `matrix-arena serve` on the embedded database. SIGTERM stops claiming; battles in flight may finish
 * within MATRIX_ARENA_SHUTDOWN_GRACE_MS; what is still running then goes back to the queue with its
 * lease released and its attempt not counted; the process exits 0. The round then finishes elsewhere
 * with the counts of an uninterrupted run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { battles } from "../../db/schema/index.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { dbTargets } from "../helpers/db.js";
import { spawnCli, waitForListening } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-weak", "sim-verbose"];
const JUDGE = "sim-judge-fair";
const ITEMS = Array.from({ length: 4 }, (_, i) => ({ text: `Name ${i + 2} uses of a paperclip.`, category: "brainstorming" }));
const BATTLES = 3 * ITEMS.length;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

const pg = dbTargets().find((x) => x.name === "postgres");

describe.skipIf(!pg?.available)("SIGTERM to a matrix-arena worker (postgres)", () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    const handle = await pg!.open();
    url = handle.databaseUrl ?? "";
    t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, [...CANDIDATES, JUDGE]);
    await importItems(t, ITEMS);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const progress = async (id: string) => json<Progress>(await t.req("GET", `/v1/rounds/${id}`));
  const newRound = async (name: string) => {
    const res = await t.req("POST", "/v1/rounds", { name, candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: ITEMS.length, seed: 2 } });
    expect(res.status).toBe(202);
    return (await json<{ id: string }>(res)).id;
  };
  const worker = (graceMs: number) =>
    spawnCli(["worker"], { DATABASE_URL: url, MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info", MATRIX_ARENA_WORKER_CONCURRENCY: "4", MATRIX_ARENA_SHUTDOWN_GRACE_MS: String(graceMs) });
  const finishInProcess = async (id: string) => {
    const w = startBattleWorker(t.deps, "finisher");
    const done = await waitForRound(() => progress(id));
    await w.stop();
    return done;
  };

  it("releases battles that outlast the grace period, exits 0, and the round then finishes once", async () => {
    sim.setLatency({ kind: "fixed", ms: 4000 });
    const id = await newRound("shutdown-release");
    const proc = worker(200);
    await waitForRound(() => progress(id), 60_000, (p) => p.counts.running > 0);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const log = proc.stdout.join("");
    expect(log).toContain("worker stopped");

    // Nothing finished (each call takes 4 s), nothing is left holding a lease, no attempt was counted.
    const rows = await t.deps.db.select().from(battles).where(eq(battles.roundId, id));
    expect(rows).toHaveLength(BATTLES);
    expect(rows.filter((b) => b.status !== "pending")).toEqual([]);
    expect(rows.filter((b) => b.leaseOwner !== null)).toEqual([]);
    expect(rows.map((b) => b.attempts)).toEqual(rows.map(() => 0));
    const stopped = log.split("\n").filter((l) => l.includes("worker stopped")).map((l) => JSON.parse(l) as { released: number });
    expect(stopped[0]?.released).toBeGreaterThan(0);

    sim.setLatency({ kind: "fixed", ms: 1 });
    const done = await finishInProcess(id);
    expect(done.status).toBe("done");
    expect(done.counts).toMatchObject({ total: BATTLES, done: BATTLES, failed: 0 });
    expect(done.responses).toBe(CANDIDATES.length * ITEMS.length);
    expect(done.judgments.total).toBe(BATTLES * 2);
    const after = await t.deps.db.select().from(battles).where(eq(battles.roundId, id));
    expect(Math.max(...after.map((b) => b.attempts))).toBe(1);
  });

  it("lets battles in flight finish within a long grace period, then exits 0 holding nothing", async () => {
    sim.setLatency({ kind: "fixed", ms: 600 });
    const id = await newRound("shutdown-finish");
    const proc = worker(60_000);
    await waitForRound(() => progress(id), 60_000, (p) => p.counts.running > 0);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const rows = await t.deps.db.select().from(battles).where(eq(battles.roundId, id));
    // The battles it held when told to stop were finished, not abandoned; it claimed nothing after.
    const done = rows.filter((b) => b.status === "done");
    expect(done.length).toBeGreaterThan(0);
    expect(rows.filter((b) => b.status === "running")).toEqual([]);
    expect(rows.filter((b) => b.leaseOwner !== null)).toEqual([]);
    expect(done.length + rows.filter((b) => b.status === "pending").length).toBe(BATTLES);
    const stopped = proc.stdout.join("").split("\n").filter((l) => l.includes("worker stopped")).map((l) => JSON.parse(l) as { released: number });
    expect(stopped[0]?.released).toBe(0);

    sim.setLatency({ kind: "fixed", ms: 1 });
    const finished = await finishInProcess(id);
    expect(finished.counts).toMatchObject({ total: BATTLES, done: BATTLES, failed: 0 });
    expect(finished.judgments.total).toBe(BATTLES * 2);
  });
});

describe("SIGTERM to matrix-arena serve (embedded database)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ma-shutdown-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 with its battles released, and a restarted server finishes the round", async () => {
    const env = { MATRIX_ARENA_DATA_DIR: dir, PORT: "0", MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info", MATRIX_ARENA_SHUTDOWN_GRACE_MS: "200", MATRIX_ARENA_WORKER_CONCURRENCY: "4" };
    sim.setLatency({ kind: "fixed", ms: 4000 });
    const first = spawnCli(["serve"], env);
    const base = await waitForListening(first, 60_000);
    const req = (method: string, path: string, body?: unknown) =>
      fetch(base + path, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const name of [...CANDIDATES, JUDGE]) expect((await req("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 32 })).status).toBe(201);
    expect((await req("POST", "/v1/instructions", { items: ITEMS })).status).toBe(200);
    const created = await req("POST", "/v1/rounds", { name: "serve-shutdown", candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: ITEMS.length, seed: 2 } });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await waitForRound(async () => (await (await req("GET", `/v1/rounds/${id}`)).json()) as Progress, 60_000, (p) => p.counts.running > 0);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // The data folder is free again (the embedded database was closed) and holds no leased battle.
    const handle = await openDb({ dataDir: dir });
    const rows = await handle.db.select().from(battles).where(eq(battles.roundId, id));
    await handle.close();
    expect(rows.filter((b) => b.status === "running" || b.leaseOwner !== null)).toEqual([]);
    expect(rows.filter((b) => b.status === "done")).toEqual([]);
    expect(rows.map((b) => b.attempts)).toEqual(rows.map(() => 0));

    sim.setLatency({ kind: "fixed", ms: 1 });
    const second = spawnCli(["serve"], env);
    const base2 = await waitForListening(second, 60_000);
    try {
      const done = await waitForRound(async () => (await (await fetch(`${base2}/v1/rounds/${id}`)).json()) as Progress, 120_000);
      expect(done.status).toBe("done");
      expect(done.counts).toMatchObject({ total: BATTLES, done: BATTLES, failed: 0 });
      expect(done.responses).toBe(CANDIDATES.length * ITEMS.length);
      expect(done.judgments.total).toBe(BATTLES * 2);
    } finally {
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    }
  });
});
