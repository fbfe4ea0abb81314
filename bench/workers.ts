/**
 * `bench workers`: scale-out on one PostgreSQL. The same provider-bound round shape (two simulator
 * candidates, one simulator judge, every call a fixed --latency-ms, default 200 ms; models allow far
 * more concurrency than the workers use) run by 1 `matrix-arena worker` process, then by 4, each with
 * the same MATRIX_ARENA_WORKER_CONCURRENCY (--concurrency, default 16). Each round gets instructions of
 * its own, so nothing comes from the response cache. Time = round creation to `done`, workers already
 * started. speedup = t1 / t4; ideal 4. Also printed, to say where the limit is: the workers' CPU per
 * wall second (from /proc), the machine's cores, the simulator's call count, and what the database's
 * connections wait on (a lock, or their client: the worker processes).
 * Needs DATABASE_URL (a fresh database is created beside it and dropped) and the compiled bin
 * (`npm run build`, run first unless --no-build).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { openDb } from "../db/client.js";
import { loadConfig } from "../src/config.js";
import { buildDeps } from "../src/deps.js";
import { createApp } from "../src/http/app.js";
import { startSimulator } from "../src/sim/server.js";
import postgres from "postgres";
import { arg, createPgDatabase } from "./common.js";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/matrix-arena.js");
const CANDIDATES = ["sim-strong", "sim-weak"];
const JUDGE = "sim-judge-fair";

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Samples what the bench database's connections are doing every 100 ms (pg_stat_activity): `active` with
 * no wait event = running or waiting for a CPU; `Lock`/`LWLock`/`IO` = waiting in PostgreSQL; `idle` =
 * PostgreSQL is not what the workers wait for. Returns the mean number of connections in each state.
 */
function sampleActivity(base: string, dbName: string): { stop: () => Promise<{ mean: Record<string, number>; topLockWait: string }> } {
  const sql = postgres(base, { max: 1, onnotice: () => {} });
  const totals = new Map<string, number>();
  const lockWaits = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await sql<{ state: string; n: number }[]>`select coalesce(state, '?') || coalesce(':' || wait_event_type, '') as state, count(*)::int as n
        from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid() group by 1`;
      samples++;
      for (const r of rows) totals.set(r.state, (totals.get(r.state) ?? 0) + r.n);
      // What the lock waiters are running (statement text only: the bench's own synthetic data).
      const waiting = await sql<{ q: string; n: number }[]>`select left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q, count(*)::int as n
        from pg_stat_activity where datname = ${dbName} and wait_event_type = 'Lock' group by 1`;
      for (const w of waiting) lockWaits.set(w.q, (lockWaits.get(w.q) ?? 0) + w.n);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await sql.end();
      const mean = Object.fromEntries([...totals].map(([k, v]) => [k, Number((v / Math.max(1, samples)).toFixed(2))]));
      const top = [...lockWaits].sort((a, b) => b[1] - a[1])[0];
      return { mean, topLockWait: top ? `${(top[1] / Math.max(1, samples)).toFixed(2)} waiting on: ${top[0]}` : "none" };
    },
  };
}

/** Starts `n` worker processes and resolves once each has logged its start. */
async function startWorkers(n: number, env: Record<string, string>): Promise<ChildProcess[]> {
  const procs = Array.from({ length: n }, () => spawn(process.execPath, [BIN, "worker"], { env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "inherit"] }));
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((res, rej) => {
          let buf = "";
          p.stdout?.on("data", (d: Buffer) => {
            buf += d.toString();
            if (buf.includes("generator worker started")) res();
            if (buf.length > 1 << 16) buf = buf.slice(-4096);
          });
          p.on("exit", (c) => rej(new Error(`worker exited ${c}`)));
        }),
    ),
  );
  return procs;
}

async function stopWorkers(procs: ChildProcess[]): Promise<void> {
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : (p.once("exit", r), p.kill("SIGTERM"))))));
}

export async function main(argv: string[] = []): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("bench workers needs DATABASE_URL (worker processes share one PostgreSQL)");
  const battles = arg(argv, "battles", 400);
  const latencyMs = arg(argv, "latency-ms", 200);
  const concurrency = arg(argv, "concurrency", 16);
  if (!argv.includes("--no-build")) {
    const b = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
  const sim = await startSimulator({ seed: 11, latency: { kind: "fixed", ms: latencyMs } });
  const db = await createPgDatabase(base, `ma_bench_workers_${Date.now().toString(36)}`);
  const handle = await openDb({ databaseUrl: db.url });
  const config = loadConfig({ DATABASE_URL: db.url, MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER: "false" });
  const deps = await buildDeps(config, { dbHandle: handle, logger: pino({ level: "warn" }) });
  const app = createApp(deps);
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await app.request(path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const out = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(out)}`);
    return out;
  };
  try {
    for (const name of [...CANDIDATES, JUDGE]) await call("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 4096 });
    // One pair of candidates: one battle per instruction. Each run has its own instructions (no cache hits).
    const runs = [1, 4];
    for (const k of runs) {
      const items = Array.from({ length: battles }, (_, i) => ({ text: `Run ${k}, question ${i}: explain how ${i % 17} queues and ${i % 5} workers share a database.`, category: `bench-workers-${k}` }));
      await call("POST", "/v1/instructions", { items });
    }
    const results: { k: number; seconds: number; cpu: number; calls: number; load: number; lockWaiters: number; clientWaiters: number; topLockWait: string }[] = [];
    for (const k of runs) {
      const procs = await startWorkers(k, { DATABASE_URL: db.url, MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: String(concurrency) });
      const cpu0 = procs.reduce((a, p) => a + cpuSeconds(p.pid ?? 0), 0);
      const calls0 = sim.stats().requests;
      const self0 = process.cpuUsage();
      const activity = sampleActivity(base, db.name);
      const t0 = performance.now();
      const round = await call("POST", "/v1/rounds", { name: `bench-workers-${k}`, candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { category: `bench-workers-${k}`, limit: battles } });
      let view: Record<string, unknown>;
      for (;;) {
        view = await call("GET", `/v1/rounds/${String(round.id)}`);
        if (!["pending", "running"].includes(String(view.status))) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (performance.now() - t0) / 1000;
      const pg = await activity.stop();
      const cpu = procs.reduce((a, p) => a + cpuSeconds(p.pid ?? 0), 0) - cpu0;
      const self = process.cpuUsage(self0);
      const simCpu = (self.user + self.system) / 1e6;
      await stopWorkers(procs);
      const counts = view.counts as { done: number; failed: number; total: number };
      if (view.status !== "done" || counts.done !== battles) throw new Error(`round with ${k} workers ended ${String(view.status)}: ${JSON.stringify(counts)}`);
      const calls = (sim.stats().requests) - calls0;
      results.push({ k, seconds, cpu, calls, load: loadavg()[0] ?? 0, lockWaiters: pg.mean["active:Lock"] ?? 0, clientWaiters: (pg.mean["active:Client"] ?? 0) + (pg.mean["idle in transaction:Client"] ?? 0), topLockWait: pg.topLockWait });
      console.log(`${k} worker(s) x concurrency ${concurrency}: ${battles} battles, ${calls} simulator calls in ${seconds.toFixed(2)} s (${(battles / seconds).toFixed(1)} battles/s); workers' CPU ${cpu.toFixed(1)} s = ${(cpu / seconds).toFixed(2)} cores; this process (simulator, polling) ${(simCpu / seconds).toFixed(2)} cores; load average ${loadavg()[0]?.toFixed(1)}; database connections (mean): ${JSON.stringify(pg.mean)}; lock waits: ${pg.topLockWait}`);
    }
    const [one, four] = results;
    if (!one || !four) return;
    const speedup = one.seconds / four.seconds;
    const cores = availableParallelism();
    // Where the limit is. Connections queued on a lock mean PostgreSQL serialises the work (a hot row);
    // connections waiting for their client (ClientRead: mid-statement, or idle in a transaction) mean
    // PostgreSQL waits for the worker processes; workers that wait (well under a core each) while the
    // run queue is longer than the cores are starved of CPU; workers near a core each are the limit
    // themselves; otherwise latency x concurrency is.
    const load = Math.max(one.load, four.load);
    const starved = load > cores ? `; machine CPU: load average ${load.toFixed(1)} on ${cores} cores, so they wait for a core` : "";
    const limit =
      four.lockWaiters >= 1 && four.lockWaiters >= four.clientWaiters
        ? `PostgreSQL row locks: ${four.lockWaiters.toFixed(1)} connections on average wait for a lock (${four.topLockWait})` + (load > cores ? `; and machine CPU (load average ${load.toFixed(1)} on ${cores} cores)` : "")
        : four.clientWaiters >= 1
          ? `the worker processes: ${four.clientWaiters.toFixed(1)} connections on average wait for them (ClientRead), while all 4 use ${(four.cpu / four.seconds).toFixed(2)} cores${starved}; ${four.lockWaiters.toFixed(1)} wait for a lock (${four.topLockWait})`
          : load > cores
            ? `machine CPU: load average ${load.toFixed(1)} on ${cores} cores, so the simulator, PostgreSQL and the workers wait for a core`
            : four.cpu / four.seconds >= 0.8 * 4
              ? "worker CPU"
              : "provider latency x per-process concurrency (the intended limit)";
    console.log(`ideal 4 worker(s): ${(one.seconds / 4).toFixed(2)} s; ${cores} cores; limit: ${limit}`);
    console.log(`bench workers: speedup=${speedup.toFixed(2)} t1_s=${one.seconds.toFixed(2)} t4_s=${four.seconds.toFixed(2)} battles=${battles} latency_ms=${latencyMs} concurrency=${concurrency} cores=${cores} cpu1_cores=${(one.cpu / one.seconds).toFixed(2)} cpu4_cores=${(four.cpu / four.seconds).toFixed(2)}`);
  } finally {
    await deps.close();
    await handle.close();
    await sim.close();
    await db.drop();
  }
}
