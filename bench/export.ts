/**
 * bench export: 1,000,000 DPO rows streamed over HTTP from a real `matrix-arena serve` process.
 * Data: one target-vs-opponents round, 250,000 instructions x 4 opponents, every battle decisive, so
 * each battle is one DPO pair. Prints rows per second, the server's peak memory (VmHWM), and, as a
 * reference measured in the same run, the rate of reading the same battles straight from the database
 * (no selection, formatting or HTTP): the ratio says what the export pipeline costs on top.
 * PostgreSQL when DATABASE_URL is set (a fresh database is created beside it), else a fresh data folder
 * with the default embedded database. `bench embedded` runs it on each embedded driver.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openDb, type DbHandle } from "../db/client.js";
import { arg, createPgDatabase, startServe } from "./common.js";

const ROUND = "bench-export-round";

export type BenchDb = "pglite" | "embedded" | "postgres";

export interface FreshDb {
  env: Record<string, string>;
  open: () => Promise<DbHandle>;
  drop: () => Promise<void>;
}

/**
 * A fresh database: on PostgreSQL beside DATABASE_URL named `${prefix}_<time>`, or a new data folder
 * for an embedded driver (`kind` unset: PostgreSQL with DATABASE_URL, else the folder's default).
 */
export async function freshDatabase(prefix = "ma_bench_export", kind?: BenchDb): Promise<FreshDb> {
  const base = process.env.DATABASE_URL;
  if (kind === "postgres" && !base) throw new Error("bench: PostgreSQL needs DATABASE_URL");
  if (kind !== "postgres" && (kind !== undefined || !base)) {
    const dir = mkdtempSync(join(tmpdir(), "ma-bench-export-"));
    const env: Record<string, string> = { MATRIX_ARENA_DATA_DIR: dir, ...(kind ? { MATRIX_ARENA_DB: kind } : {}) };
    return { env, open: () => openDb({ dataDir: dir, embedded: kind }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const pg = await createPgDatabase(base ?? "", `${prefix}_${Date.now().toString(36)}`);
  return { env: { DATABASE_URL: pg.url }, open: () => openDb({ databaseUrl: pg.url }), drop: pg.drop };
}

export async function seed(h: DbHandle, instructions: number): Promise<void> {
  const opponents = ["o1", "o2", "o3", "o4"];
  await h.db.execute(sql`insert into rounds (id, status, pairing, target, candidates, judges, judge_mode, options) values (${ROUND}, 'done', 'target-vs-opponents', 't', ${JSON.stringify(["t", ...opponents])}::jsonb, '["j1","j2"]'::jsonb, 'pairwise', '{}'::jsonb)`);
  await h.db.execute(sql`insert into instructions (content_hash, messages, text, category, complexity, source)
    select 'bench-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Benchmark question number ' || g || ': explain the trade-offs of approach ' || (g % 97) || ' in a few paragraphs.')),
      'Benchmark question number ' || g, (array['coding','math','writing','reasoning'])[1 + g % 4], 1 + g % 5, 'bench'
    from generate_series(1, ${instructions}) g`);
  for (const m of ["t", ...opponents]) {
    await h.db.execute(sql`insert into responses (round_id, instruction_id, model, text)
      select ${ROUND}, id, ${m}, ${`Answer from ${m}: `} || repeat('a considered point about the trade-offs, ', 6) || id from instructions where source = 'bench'`);
  }
  // Opponents o1, o2 beat the target; the target beats o3, o4; every battle is decisive.
  for (const [k, m] of opponents.entries()) {
    await h.db.execute(sql`insert into battles (round_id, instruction_id, model_a, model_b, status, outcome, margin, category)
      select ${ROUND}, id, 't', ${m}, 'done', ${k < 2 ? 0 : 1}, 1, category from instructions where source = 'bench'`);
  }
  // Fresh statistics, as autovacuum would have after a bulk load (the planner needs them).
  await h.db.execute(sql`analyze`);
}

/** The reference: the same battles and answers read straight from the database, page by page. */
async function rawRead(h: DbHandle): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  let after = 0;
  for (;;) {
    const res = await h.db.execute(sql`select b.id, b.model_a, b.model_b, b.outcome, ra.text as ta, rb.text as tb from battles b
      join responses ra on ra.round_id = b.round_id and ra.instruction_id = b.instruction_id and ra.model = b.model_a
      join responses rb on rb.round_id = b.round_id and rb.instruction_id = b.instruction_id and rb.model = b.model_b
      where b.round_id = ${ROUND} and b.id > ${after} order by b.id limit 2000`);
    const list = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { id: number }[];
    if (list.length === 0) break;
    rows += list.length;
    after = Number(list[list.length - 1]?.id ?? after);
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

function peakMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export interface ExportFigures {
  kind: string;
  rows: number;
  seconds: number;
  rowsPerS: number;
  /** The server process's peak RSS (node only; an embedded PostgreSQL's processes are apart). */
  peakMb: number;
  referenceRowsPerS: number;
  ratio: number;
}

/** Seeds `instructions` x 4 battles, reads them raw, then exports them as DPO from a `serve` process. */
export async function measureExport(db: FreshDb, instructions: number): Promise<ExportFigures> {
  const h = await db.open();
  const kind = h.kind;
  const t0 = performance.now();
  let ref: { rows: number; seconds: number };
  try {
    await seed(h, instructions);
    console.log(`seeded ${instructions} instructions x 4 battles on ${kind} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    ref = await rawRead(h);
    console.log(`reference: raw database read of ${ref.rows} battles with both answers: ${(ref.rows / ref.seconds).toFixed(0)} rows/s`);
  } finally {
    await h.close();
  }

  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const { child, url } = await startServe({ MATRIX_ARENA_WORKER: "false", ...db.env }, nodeArgs);
  const t1 = performance.now();
  const res = await fetch(`${url}/v1/exports/dpo?roundId=${ROUND}&format=trl&dedup=false`);
  let rows = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  }
  const seconds = (performance.now() - t1) / 1000;
  const peak = peakMb(child.pid ?? 0);
  child.kill("SIGTERM");
  await new Promise((r) => child.on("exit", r));
  const rate = rows / seconds;
  const refRate = ref.rows / ref.seconds;
  console.log(`exported ${rows} DPO rows (${(bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(2)} s on ${kind}; server peak ${peak.toFixed(0)} MB`);
  return { kind, rows, seconds, rowsPerS: rate, peakMb: peak, referenceRowsPerS: refRate, ratio: rate / refRate };
}

export async function main(argv: string[] = []): Promise<void> {
  const instructions = arg(argv, "instructions", 250_000);
  const db = await freshDatabase();
  try {
    const f = await measureExport(db, instructions);
    console.log(`bench export: rows_per_s=${f.rowsPerS.toFixed(0)} peak_mb=${f.peakMb.toFixed(0)} rows=${f.rows} seconds=${f.seconds.toFixed(2)} db=${f.kind} reference_rows_per_s=${f.referenceRowsPerS.toFixed(0)} ratio=${f.ratio.toFixed(3)}`);
  } finally {
    await db.drop();
  }
}
