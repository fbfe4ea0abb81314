/**
 * bench serve: boards read while a round runs. A fresh PostgreSQL database beside DATABASE_URL, the
 * simulator at a fixed latency (200 ms), a `matrix-arena worker` process running a round of about
 * 20,000 battles (8 candidates, all pairs, enough instructions), and two `matrix-arena serve`
 * processes without embedded workers: one with the board cache (the default), one with
 * MATRIX_ARENA_BOARD_CACHE=0 (every request refits, as before the cache). While battles land,
 * `--clients` keep-alive fetch loops read `/v1/leaderboard?bootstrap=100` and `/v1/rounds/{id}` in
 * turn for `--seconds`, against each server in turn; the same load against `/healthz` of the cached
 * server first is the floor of this machine at that moment (`ratio` = boards p99 / healthz p99).
 * Then the leaderboard alone, cached and not, to show what the cache changes without the round
 * progress reads beside it (progress is reused for at most 250 ms while the round's row is unchanged,
 * src/services/progress-cache.ts; off with the board cache too). Figures per path are printed too.
 * Usage: npm run bench -- serve [--battles=20000] [--clients=100] [--seconds=30] [--latency=200] [--concurrency=256]
 * Last line: `bench serve: p50_ms= p99_ms= rps= ...` (the cached server), with the uncached figures beside.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { freshDatabase } from "./export.js";

const BIN = resolve(import.meta.dirname, "../bin/matrix-arena.js");
const TARGET_P99_MS = 50;
/** Eight candidate names over the simulator's answer models (a model twice is two candidates). */
const CANDIDATES: [string, string][] = [
  ["c-strong", "sim-strong"],
  ["c-good", "sim-good"],
  ["c-medium", "sim-medium"],
  ["c-weak", "sim-weak"],
  ["c-coder", "sim-coder"],
  ["c-verbose", "sim-verbose"],
  ["c-target", "sim-target"],
  ["c-strong-2", "sim-strong"],
];
const JUDGE = "sim-judge-fair";
const TOPICS = ["Write a python function that", "Explain in plain words how", "Prove step by step that", "Write a short story where", "Compare the trade-offs of"];

function arg(argv: string[], name: string, fallback: number): number {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  const v = hit ? Number(hit.split("=")[1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Nearest-rank percentile of sorted values (p in (0, 100]): the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Spawns the compiled bin; resolves with the child once a stdout line matches `ready`. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((res, rej) => {
    let buf = "";
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const m = ready.exec(buf);
      if (m) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        res({ child, match: m });
      }
    };
    child.stdout?.on("data", onData);
    child.on("exit", (c) => rej(new Error(`matrix-arena ${args[0]} exited ${c} before it was ready`)));
  });
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

interface Load {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  /** The same figures for each path alone. */
  byPath: Map<string, { p50: number; p99: number; requests: number }>;
}

/** `clients` loops, each requesting `paths` in turn (each client starting at its own offset) until `seconds` pass. */
async function drive(base: string, paths: readonly string[], clients: number, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  const perPath = new Map<string, number[]>(paths.map((p) => [p, []]));
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < end; i++) {
        const t = performance.now();
        const path = paths[i % paths.length] ?? "/healthz";
        try {
          const res = await fetch(`${base}${path}`);
          await res.arrayBuffer();
          if (!res.ok) errors++;
        } catch {
          errors++;
        }
        const ms = performance.now() - t;
        latencies.push(ms);
        perPath.get(path)?.push(ms);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const byPath = new Map([...perPath].map(([p, xs]) => [p, { p50: percentile(sorted(xs), 50), p99: percentile(xs, 99), requests: xs.length }]));
  sorted(latencies);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: latencies.length / wall, requests: latencies.length, errors, byPath };
}

const doneOf = async (base: string, id: string): Promise<number> => Number(((await api(base, "GET", `/v1/rounds/${id}`)).counts as { done?: number } | undefined)?.done ?? 0);

/** Registers the models, imports the instructions and starts the round; returns its id and battle count. */
async function setUp(base: string, battles: number, concurrency: number): Promise<{ id: string; battles: number }> {
  for (const [name, model] of [...CANDIDATES, [JUDGE, JUDGE] as [string, string]]) await api(base, "POST", "/v1/models", { name, provider: "sim", model, maxConcurrency: concurrency });
  const pairs = (CANDIDATES.length * (CANDIDATES.length - 1)) / 2;
  const n = Math.ceil(battles / pairs);
  const items = Array.from({ length: n }, (_, i) => ({ text: `${TOPICS[i % TOPICS.length] ?? ""} case ${i} of the serve benchmark holds, with an example.`, source: "bench-serve" }));
  for (let i = 0; i < items.length; i += 1000) await api(base, "POST", "/v1/instructions", { items: items.slice(i, i + 1000) });
  const round = await api(base, "POST", "/v1/rounds", { candidates: CANDIDATES.map(([c]) => c), pairing: "all-pairs", judges: [JUDGE], instructions: { source: "bench-serve", limit: n } });
  return { id: String(round.id), battles: Number(round.battles) };
}

const fmt = (l: Load): string =>
  `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, ${l.rps.toFixed(0)} requests/s (${l.requests} requests, ${l.errors} errors)` +
  (l.byPath.size > 1 ? [...l.byPath].map(([p, x]) => `\n    ${p.split("?")[0] ?? p}: p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms (${x.requests})`).join("") : "");

export async function main(argv: string[] = []): Promise<void> {
  const battles = arg(argv, "battles", 20_000);
  const clients = Math.floor(arg(argv, "clients", 100));
  const seconds = arg(argv, "seconds", 30);
  const latency = Math.floor(arg(argv, "latency", 200));
  const concurrency = Math.floor(arg(argv, "concurrency", 256));
  if (!process.env.DATABASE_URL) {
    console.log("bench serve: skipped: needs DATABASE_URL (a PostgreSQL server: the worker runs in its own process)");
    return;
  }
  const db = await freshDatabase("ma_bench_serve");
  const children: ChildProcess[] = [];
  try {
    const sim = await start(["sim", "--port", "0", "--seed", "1", "--latency-ms", String(latency)], {}, /OpenAI base URL (\S+)\)/);
    children.push(sim.child);
    const simUrl = sim.match[1] ?? "";
    const common = { ...db.env, MATRIX_ARENA_SIM_URL: simUrl, LOG_LEVEL: "warn", MATRIX_ARENA_SHUTDOWN_GRACE_MS: "0" };
    // pino's line: {"level":30,...,"url":"http://127.0.0.1:PORT",...,"msg":"matrix-arena listening"}
    const listening = /"url":"([^"]+)"[^\n]*"msg":"matrix-arena listening"/;
    const cached = await start(["serve"], { ...common, PORT: "0", LOG_LEVEL: "info", MATRIX_ARENA_WORKER: "false" }, listening);
    children.push(cached.child);
    const uncached = await start(["serve"], { ...common, PORT: "0", LOG_LEVEL: "info", MATRIX_ARENA_WORKER: "false", MATRIX_ARENA_BOARD_CACHE: "0" }, listening);
    children.push(uncached.child);
    const [cachedUrl, uncachedUrl] = [cached.match[1] ?? "", uncached.match[1] ?? ""];

    const round = await setUp(cachedUrl, battles, concurrency);
    const worker = spawn(process.execPath, [BIN, "worker"], { env: { PATH: process.env.PATH ?? "", ...common, MATRIX_ARENA_WORKER_CONCURRENCY: String(concurrency) }, stdio: ["ignore", "ignore", "inherit"] });
    children.push(worker);
    console.log(`round ${round.id}: ${round.battles} battles, 8 candidates all pairs, judge ${JUDGE}, simulator latency ${latency} ms, worker concurrency ${concurrency}`);
    const t0 = performance.now();
    while ((await doneOf(cachedUrl, round.id)) < 50) {
      if (performance.now() - t0 > 180_000) throw new Error("the round did not get 50 battles done in 180 s");
      await new Promise((r) => setTimeout(r, 500));
    }

    const boards = ["/v1/leaderboard?bootstrap=100", `/v1/rounds/${round.id}`];
    const phase = async (label: string, base: string, paths: readonly string[]): Promise<Load & { landed: number }> => {
      const before = await doneOf(cachedUrl, round.id);
      const l = await drive(base, paths, clients, seconds);
      const landed = ((await doneOf(cachedUrl, round.id)) - before) / seconds;
      console.log(`${label}: ${fmt(l)}; battles landing ${landed.toFixed(1)}/s`);
      return { ...l, landed };
    };
    const floor = await phase("reference /healthz", cachedUrl, ["/healthz"]);
    const hit = await phase("boards, cached", cachedUrl, boards);
    const miss = await phase("boards, MATRIX_ARENA_BOARD_CACHE=0", uncachedUrl, boards);
    // The leaderboard alone: what the cache changes, without the round-progress reads beside it.
    const boardHit = await phase("leaderboard alone, cached", cachedUrl, boards.slice(0, 1));
    const boardMiss = await phase("leaderboard alone, MATRIX_ARENA_BOARD_CACHE=0", uncachedUrl, boards.slice(0, 1));
    const done = await doneOf(cachedUrl, round.id);
    await api(cachedUrl, "POST", `/v1/rounds/${round.id}/cancel`).catch(() => ({}));
    console.log(
      `bench serve: p50_ms=${hit.p50.toFixed(1)} p99_ms=${hit.p99.toFixed(1)} rps=${hit.rps.toFixed(0)} errors=${hit.errors} ` +
        `uncached_p50_ms=${miss.p50.toFixed(1)} uncached_p99_ms=${miss.p99.toFixed(1)} uncached_rps=${miss.rps.toFixed(0)} ` +
        `board_p99_ms=${(hit.byPath.get(boards[0] ?? "")?.p99 ?? Number.NaN).toFixed(1)} round_p99_ms=${(hit.byPath.get(boards[1] ?? "")?.p99 ?? Number.NaN).toFixed(1)} ` +
        `uncached_board_p99_ms=${(miss.byPath.get(boards[0] ?? "")?.p99 ?? Number.NaN).toFixed(1)} ` +
        `board_alone_p50_ms=${boardHit.p50.toFixed(1)} board_alone_p99_ms=${boardHit.p99.toFixed(1)} board_alone_rps=${boardHit.rps.toFixed(0)} ` +
        `uncached_board_alone_p50_ms=${boardMiss.p50.toFixed(1)} uncached_board_alone_p99_ms=${boardMiss.p99.toFixed(1)} uncached_board_alone_rps=${boardMiss.rps.toFixed(0)} ` +
        `healthz_p50_ms=${floor.p50.toFixed(1)} healthz_p99_ms=${floor.p99.toFixed(1)} healthz_rps=${floor.rps.toFixed(0)} ratio=${(hit.p99 / floor.p99).toFixed(2)} ` +
        `target_p99_ms=${TARGET_P99_MS} met=${hit.p99 <= TARGET_P99_MS && hit.errors === 0 ? "yes" : "no"} clients=${clients} seconds=${seconds} ` +
        `round_battles=${round.battles} done_at_end=${done} landed_per_s=${((hit.landed + miss.landed + boardHit.landed + boardMiss.landed) / 4).toFixed(1)} latency_ms=${latency} db=postgres`,
    );
  } finally {
    for (const c of children.reverse()) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r)))));
    await db.drop();
  }
}
