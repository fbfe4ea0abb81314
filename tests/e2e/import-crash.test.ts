/**
 * SIGKILL a real `matrix-arena serve` while it is streaming in a battle log, then rerun the same file:
 * the killed import leaves whole batches only (battle rows a multiple of the batch size, every stored
 * battle counted in the aggregate cells exactly once), and the rerun imports exactly the rest, so the
 * final database equals a clean, uninterrupted import of the file. The same for an NDJSON instruction
 * import (whole INSERT batches, the rerun's duplicates are exactly what was stored).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq, sum } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type DbHandle, openDb } from "../../db/client.js";
import { battleCells, battles, instructions } from "../../db/schema/index.js";
import { BATCH } from "../../src/services/battle-import.js";
import { json, makeTestApp } from "../helpers/app.js";
// After the app: a zod schema made before @hono/zod-openapi has loaded lacks .openapi() (zod 4 sets
// methods per instance), and the instructions module builds its schema when first imported.
import { INSERT_BATCH } from "../../src/services/instructions.js";
import { createFreshDatabase, PG_URL } from "../helpers/db.js";
import { type Proc, spawnCli, stop, waitForListening } from "../helpers/proc.js";
import { mulberry32 } from "../../lib/random.js";

const LINES = BATCH * 5;
const MODELS = ["m0", "m1", "m2", "m3", "m4", "m5"];

function makeLog(): string[] {
  const rand = mulberry32(41);
  const pick = () => MODELS[Math.floor(rand() * MODELS.length)] ?? "m0";
  const out: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    const winner = rand() < 0.45 ? "model_a" : rand() < 0.8 ? "model_b" : "tie";
    out.push(JSON.stringify({ id: `c${i}`, model_a: a, model_b: b, winner, category: i % 3 === 0 ? "coding" : "chat", tstamp: 1_700_000_000 + i }));
  }
  return out;
}
const LOG = makeLog();

interface Snapshot {
  battles: { externalId: string | null; modelA: string; modelB: string; outcome: number | null; category: string | null; tstamp: number | null }[];
  cells: { category: string; modelA: string; modelB: string; outcome: number; count: number }[];
}

async function snapshot(h: DbHandle): Promise<Snapshot> {
  const rows = await h.db
    .select({ externalId: battles.externalId, modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome, category: battles.category, tstamp: battles.tstamp })
    .from(battles)
    .where(eq(battles.source, "import"))
    .orderBy(asc(battles.tstamp));
  const cells = await h.db
    .select({ category: battleCells.category, modelA: battleCells.modelA, modelB: battleCells.modelB, outcome: battleCells.outcome, count: battleCells.count })
    .from(battleCells)
    .orderBy(asc(battleCells.category), asc(battleCells.modelA), asc(battleCells.modelB), asc(battleCells.outcome));
  return { battles: rows, cells };
}

async function cellTotal(h: DbHandle): Promise<number> {
  const [c] = await h.db.select({ n: sum(battleCells.count) }).from(battleCells);
  return Number(c?.n ?? 0);
}

/** Imports a whole file in-process and returns the answer and the database afterwards. */
async function importInProcess<S>(h: DbHandle, path: string, body: string, snap: (h: DbHandle) => Promise<S>) {
  const t = await makeTestApp(h);
  const res = await t.req("POST", path, body, { headers: { "content-type": "application/x-ndjson" } });
  expect(res.status).toBe(200);
  const out = await json<Record<string, number>>(res);
  const after = await snap(h);
  await t.close();
  return { out, snap: after };
}

/** Starts `serve` on a fresh PGlite folder or PostgreSQL database, for one kill. */
async function startServer(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), "ma-import-crash-"));
  const fresh = name === "postgres" ? await createFreshDatabase() : null;
  const env: Record<string, string> = { PORT: "0", MATRIX_ARENA_DATA_DIR: dataDir, MATRIX_ARENA_DB: "pglite", LOG_LEVEL: "info", MATRIX_ARENA_WORKER: "false", ...(fresh ? { DATABASE_URL: fresh.url } : {}) };
  const server = spawnCli(["serve"], env);
  procs.push(server);
  const url = await waitForListening(server);
  /**
   * SIGKILLs the server once `path` lists a first row, and opens its database. A poll whose connection
   * is reset is polled again: on PGlite the server's thread is busy with the import between answers, and
   * a reused keep-alive socket can be closed under a request (seen in CI under load: ECONNRESET). A
   * server that has exited ends the wait with an error.
   */
  const killWhenStored = async (path: string) => {
    let exited = false;
    void server.exited.then(() => (exited = true));
    for (let seen = false; !seen; ) {
      await new Promise((r) => setTimeout(r, 20));
      if (exited) throw new Error(`serve exited before ${path} listed a row: ${server.stderr.join("").slice(-2000)}`);
      const res = await fetch(`${url}${path}?limit=1`).catch((e: unknown) => (e instanceof TypeError ? null : Promise.reject(e)));
      if (res) seen = (await json<{ items: unknown[] }>(res)).items.length > 0;
    }
    server.child.kill("SIGKILL");
    await server.exited;
    const h = await openDb(fresh ? { databaseUrl: fresh.url } : { dataDir, embedded: "pglite" });
    return { h, drop: async () => fresh?.drop() };
  };
  return { url, killWhenStored };
}

/**
 * Streams the log in small chunks, then holds back everything after line `holdAfter` until the server
 * is killed, so the import is still reading when the kill lands (on PGlite the server answers the
 * kill's poll only between batches, and a fast machine could otherwise finish the whole file first).
 */
function slowBody(lines: string[], perChunk: number, delayMs: number, holdAfter: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    async pull(ctrl) {
      if (i >= holdAfter) return new Promise<void>(() => {});
      if (i >= lines.length) return ctrl.close();
      await new Promise((r) => setTimeout(r, delayMs));
      ctrl.enqueue(enc.encode(`${lines.slice(i, i + perChunk).join("\n")}\n`));
      i += perChunk;
    },
  });
}

const procs: Proc[] = [];
afterAll(async () => {
  for (const p of procs) await stop(p);
});

const variants = [{ name: "pglite" }, ...(PG_URL ? [{ name: "postgres" }] : [])];

describe.each(variants)("SIGKILL mid-import on $name", ({ name }) => {
  it("battles: leaves whole batches only, and a rerun imports exactly the rest", async () => {
    const body = `${LOG.join("\n")}\n`;
    const cleanDb = await openDb({ dataDir: "memory://" });
    const clean = await importInProcess(cleanDb, "/v1/battles/import", body, snapshot);
    await cleanDb.close();
    expect(clean.out).toMatchObject({ imported: LINES, skipped: 0, rejectedCount: 0 });

    const server = await startServer(name);
    const init = { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: slowBody(LOG, 250, 15, LINES - BATCH), duplex: "half" };
    const upload = fetch(`${server.url}/v1/battles/import`, init as RequestInit).catch((e: unknown) => e);
    // Killed as soon as the first batch is visible: later batches are being read or written.
    const { h, drop } = await server.killWhenStored("/v1/battles");
    expect(await upload).toBeInstanceOf(Error);

    const mid = await snapshot(h);
    expect(mid.battles.length).toBeGreaterThan(0);
    expect(mid.battles.length).toBeLessThan(LINES);
    expect(mid.battles.length % BATCH).toBe(0);
    expect(await cellTotal(h)).toBe(mid.battles.length);
    // Batches commit in file order: what is stored is a prefix of the clean import.
    expect(mid.battles).toEqual(clean.snap.battles.slice(0, mid.battles.length));

    const rerun = await importInProcess(h, "/v1/battles/import", body, snapshot);
    expect(rerun.out).toMatchObject({ imported: LINES - mid.battles.length, skipped: mid.battles.length, rejectedCount: 0 });
    expect(rerun.snap).toEqual(clean.snap);
    await h.close();
    await drop();
  }, 300_000);

  it("instructions: leaves whole batches only, and a rerun inserts exactly the rest", async () => {
    const items = Array.from({ length: INSERT_BATCH * 40 }, (_, i) => JSON.stringify({ text: `Crash-test instruction number ${i}: explain topic ${(i * 7919) % 1000}.`, externalId: `q${i}`, source: "crash", metadata: { i } }));
    const body = `${items.join("\n")}\n`;
    const texts = async (h: DbHandle) => (await h.db.select({ text: instructions.text, externalId: instructions.externalId, metadata: instructions.metadata }).from(instructions).orderBy(asc(instructions.id))).map((r) => JSON.stringify(r));
    const cleanDb = await openDb({ dataDir: "memory://" });
    const clean = await importInProcess(cleanDb, "/v1/instructions", body, texts);
    await cleanDb.close();
    expect(clean.out).toMatchObject({ inserted: items.length, duplicates: 0 });

    const server = await startServer(name);
    const upload = fetch(`${server.url}/v1/instructions`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body }).catch((e: unknown) => e);
    const { h, drop } = await server.killWhenStored("/v1/instructions");
    const answer = await upload;
    const mid = await texts(h);
    // When the kill came after the last batch the answer got through; otherwise the request failed.
    if (mid.length < items.length) expect(answer).toBeInstanceOf(Error);
    expect(mid.length % INSERT_BATCH).toBe(0);
    expect(mid).toEqual(clean.snap.slice(0, mid.length));

    const rerun = await importInProcess(h, "/v1/instructions", body, texts);
    expect(rerun.out).toMatchObject({ inserted: items.length - mid.length, duplicates: mid.length });
    expect(rerun.snap).toEqual(clean.snap);
    await h.close();
    await drop();
  }, 300_000);
});
