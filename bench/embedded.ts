/**
 * bench embedded: the two embedded databases side by side in one run, PGlite and the embedded
 * PostgreSQL (db/embedded-pg.ts), each through a real `matrix-arena serve` on a fresh data folder:
 * - start to healthy: spawn to the first 200 of /readyz (the database answering), fresh folder;
 * - idle RSS: the server's process tree (node plus the database's processes) a few seconds after
 *   start, as a sum of RSS (shared pages counted in every process, the conservative figure) and of PSS
 *   (shared pages split between the processes that map them);
 * - the 1M-row DPO export (bench/export.ts) in rows/s against the same run's raw read of the battles;
 * - the wall time of the database contract suite (tests/db/contract.test.ts) on that driver alone.
 * Options: --instructions=N (250,000 = 1M rows), --runs=N start/idle repetitions (3), --skip-export.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { arg, startServe } from "./common.js";
import { freshDatabase, measureExport, type ExportFigures } from "./export.js";

const ROOT = resolve(import.meta.dirname, "..");
const DRIVERS = ["pglite", "embedded"] as const;
type Driver = (typeof DRIVERS)[number];


/** Every process under `pid` (itself included), from /proc's parent links. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of parents.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function kb(file: string, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(file, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

interface Idle {
  startS: number;
  rssMb: number;
  pssMb: number;
  nodeRssMb: number;
  processes: number;
}

async function startAndIdle(driver: Driver, idleMs: number): Promise<Idle> {
  const dir = mkdtempSync(join(tmpdir(), `ma-bench-embedded-${driver}-`));
  const t0 = performance.now();
  let server: Awaited<ReturnType<typeof startServe>> | null = null;
  try {
    server = await startServe({ MATRIX_ARENA_DATA_DIR: dir, MATRIX_ARENA_DB: driver });
    const { child, url } = server;
    while ((await fetch(`${url}/readyz`).catch(() => null))?.status !== 200) await new Promise((r) => setTimeout(r, 10));
    const startS = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, idleMs));
    const tree = processTree(child.pid ?? 0);
    const rss = tree.reduce((s, p) => s + kb(`/proc/${p}/status`, "VmRSS"), 0) / 1024;
    const pss = tree.reduce((s, p) => s + kb(`/proc/${p}/smaps_rollup`, "Pss"), 0) / 1024;
    const nodeRss = kb(`/proc/${child.pid ?? 0}/status`, "VmRSS") / 1024;
    return { startS, rssMb: rss, pssMb: pss, nodeRssMb: nodeRss, processes: tree.length };
  } finally {
    const child = server?.child;
    if (child) {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.on("exit", r)));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall seconds of the contract suite on one driver (vitest's start-up included, the same for both). */
function contractSeconds(driver: Driver): { seconds: number; ok: boolean } {
  const t0 = performance.now();
  const env = { ...process.env, DATABASE_URL: "", TEST_DATABASE_URL: "", NO_COLOR: "1", FORCE_COLOR: "0" };
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "tests/db/contract.test.ts", "-t", `database contract on ${driver}`], { cwd: ROOT, env, encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  const passed = /Tests\s+(\d+) passed/.exec(r.stdout)?.[1];
  if (r.status !== 0) console.log(r.stdout.slice(-2000), r.stderr.slice(-2000));
  return { seconds, ok: r.status === 0 && passed !== undefined };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function main(argv: string[] = []): Promise<void> {
  const runs = arg(argv, "runs", 3);
  const instructions = arg(argv, "instructions", 250_000);
  const skipExport = argv.includes("--skip-export");
  const line: string[] = [];
  for (const driver of DRIVERS) {
    const idle: Idle[] = [];
    for (let i = 0; i < runs; i++) idle.push(await startAndIdle(driver, 3000));
    for (const [i, x] of idle.entries()) console.log(`${driver} run ${i + 1}: start to healthy ${x.startS.toFixed(2)} s; idle ${x.rssMb.toFixed(0)} MB RSS (${x.pssMb.toFixed(0)} MB PSS, node ${x.nodeRssMb.toFixed(0)} MB, ${x.processes} processes)`);
    const m = { start: median(idle.map((x) => x.startS)), rss: median(idle.map((x) => x.rssMb)), pss: median(idle.map((x) => x.pssMb)) };
    line.push(`${driver}_start_s=${m.start.toFixed(2)} ${driver}_idle_rss_mb=${m.rss.toFixed(0)} ${driver}_idle_pss_mb=${m.pss.toFixed(0)}`);
    if (!skipExport) {
      const db = await freshDatabase("ma_bench_embedded", driver);
      let f: ExportFigures;
      try {
        f = await measureExport(db, instructions);
      } finally {
        await db.drop();
      }
      console.log(`${driver} export: ${f.rowsPerS.toFixed(0)} rows/s against a raw read of ${f.referenceRowsPerS.toFixed(0)} rows/s (ratio ${f.ratio.toFixed(3)}), ${f.rows} rows, server node peak ${f.peakMb.toFixed(0)} MB`);
      line.push(`${driver}_export_rows_per_s=${f.rowsPerS.toFixed(0)} ${driver}_export_ratio=${f.ratio.toFixed(3)}`);
    }
    const c = contractSeconds(driver);
    console.log(`${driver} contract suite: ${c.seconds.toFixed(1)} s${c.ok ? "" : " (FAILED)"}`);
    line.push(`${driver}_contract_s=${c.seconds.toFixed(1)}${c.ok ? "" : " " + driver + "_contract=failed"}`);
  }
  console.log(`bench embedded: ${line.join(" ")}`);
}
