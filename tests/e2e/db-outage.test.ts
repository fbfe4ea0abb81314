/**
 * The database going away mid-round. A private PostgreSQL (tests/helpers/private-pg.ts, never the
 * machine's shared server) backs `matrix-arena serve` (with its embedded worker) and one more
 * `matrix-arena worker`. With a round running, the server is stopped for several seconds, then started
 * again: meanwhile /readyz says not ready and API reads answer 503 with Retry-After (never a 500), no
 * process exits, no battle fails; once it is back the round finishes with the counts of an
 * uninterrupted run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import type { Progress } from "../helpers/arena.js";
import { findPgBin, type PrivatePg, startPrivatePg } from "../helpers/private-pg.js";
import { type Proc, spawnCli, stop, waitForListening } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak", "sim-verbose"];
const JUDGE = "sim-judge-fair";
const ITEMS = Array.from({ length: 10 }, (_, i) => ({ text: `Give ${i + 3} tips for writing clear commit messages.`, category: "writing" }));
const BATTLES = 6 * ITEMS.length;
const OUTAGE_MS = 8_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(findPgBin() === null)("PostgreSQL restarts mid-round", () => {
  let sim: Simulator;
  let pg: PrivatePg;
  const procs: Proc[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, latency: { kind: "fixed", ms: 40 } });
    pg = await startPrivatePg();
  }, 120_000);
  afterAll(async () => {
    for (const p of procs) await stop(p);
    pg?.destroy();
    await sim?.close();
  });

  it("stalls instead of failing, reports not ready, and finishes with the counts of an uninterrupted run", async () => {
    const env = { DATABASE_URL: pg.url, MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info", MATRIX_ARENA_WORKER_CONCURRENCY: "4", MATRIX_ARENA_LEASE_MS: "5000" };
    const server = spawnCli(["serve"], { ...env, PORT: "0" });
    procs.push(server);
    const base = await waitForListening(server, 90_000);
    const req = (method: string, path: string, body?: unknown) =>
      fetch(base + path, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const name of [...CANDIDATES, JUDGE]) expect((await req("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 8 })).status).toBe(201);
    expect((await req("POST", "/v1/instructions", { items: ITEMS })).status).toBe(200);
    const worker = spawnCli(["worker"], env);
    procs.push(worker);
    for (const t0 = Date.now(); !worker.stdout.join("").includes("battle worker started"); await sleep(100)) {
      if (Date.now() - t0 > 90_000 || worker.child.exitCode !== null) throw new Error(`worker did not start: ${worker.stderr.join("")}`);
    }
    const created = await req("POST", "/v1/rounds", { name: "outage", candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: ITEMS.length, seed: 4 } });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const progress = async () => (await (await req("GET", `/v1/rounds/${id}`)).json()) as Progress;

    for (let p = await progress(); p.counts.done < 8; p = await progress()) await sleep(100);
    pg.stop();
    const during: number[] = [];
    const ready: number[] = [];
    const started = Date.now();
    while (Date.now() - started < OUTAGE_MS) {
      const r = await req("GET", `/v1/rounds/${id}`).catch(async (e: unknown) => {
        await sleep(300);
        throw new Error(`server gone (exit ${server.child.exitCode}): ${String(e)}\n${server.stderr.join("").slice(-3000)}\n${server.stdout.join("").split("\n").slice(-6).join("\n")}`);
      });
      during.push(r.status);
      if (r.status === 503) expect(r.headers.get("retry-after")).not.toBeNull();
      ready.push((await req("GET", "/readyz")).status);
      await sleep(500);
    }
    if (server.child.exitCode !== null || worker.child.exitCode !== null) console.log("EXITED", server.child.exitCode, server.stderr.join("").slice(-1500), server.stdout.join("").slice(-1500), "WORKER", worker.child.exitCode, worker.stderr.join("").slice(-1500));
    expect(server.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    expect(new Set(during)).toEqual(new Set([503]));
    expect(new Set(ready)).toEqual(new Set([503]));
    pg.start();

    const deadline = Date.now() + 180_000;
    let p = await progress();
    while (!["done", "failed", "cancelled"].includes(p.status) && Date.now() < deadline) {
      await sleep(250);
      const r = await req("GET", `/v1/rounds/${id}`);
      if (r.status === 200) p = (await r.json()) as Progress;
    }
    expect(p.status).toBe("done");
    expect(p.counts).toMatchObject({ total: BATTLES, done: BATTLES, failed: 0 });
    expect(p.responses).toBe(CANDIDATES.length * ITEMS.length);
    expect(p.judgments.total).toBe(BATTLES * 2);
    expect(server.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    expect((await req("GET", "/readyz")).status).toBe(200);
  }, 400_000);
});
