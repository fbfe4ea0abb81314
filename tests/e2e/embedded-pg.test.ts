/**
 * The embedded PostgreSQL (db/embedded-pg.ts) with real processes: one server per data folder that a
 * second `serve` and a `matrix-arena worker` attach to, no orphan when the owner is SIGKILLed, a stale
 * postmaster.pid (even one naming a live process) taken over, data kept across restarts, run as an
 * unprivileged user when root, and no Unix socket outside the folder.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "../../db/client.js";
import { parsePostmasterPid } from "../../db/embedded-files.js";
import { models } from "../../db/schema/index.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { EMBEDDED_UNAVAILABLE } from "../helpers/db.js";
import { spawnCli, stop, waitForListening } from "../helpers/proc.js";

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "ma-emb-e2e-"));
  dirs.push(d);
  return d;
};
const postmaster = (dir: string) => {
  try {
    return parsePostmasterPid(readFileSync(join(dir, "postgres", "postmaster.pid"), "utf8"));
  } catch {
    return null;
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const serveEnv = (dir: string, extra: Record<string, string> = {}) => ({ PORT: "0", MATRIX_ARENA_DATA_DIR: dir, MATRIX_ARENA_DB: "embedded", LOG_LEVEL: "info", MATRIX_ARENA_WORKER: "false", ...extra });
const count = async (h: DbHandle) => {
  const res = await h.db.execute(sql`select count(*)::int as n from models`);
  return ((Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { n: number }[])[0]?.n;
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(EMBEDDED_UNAVAILABLE !== null)("the embedded PostgreSQL", () => {
  it("keeps its data and port across restarts, runs unprivileged as root, and leaves no socket in /tmp", async () => {
    const dir = freshDir();
    const a = await openDb({ dataDir: dir, embedded: "embedded" });
    expect(a.kind).toBe("embedded");
    expect(a.embedded?.owned).toBe(true);
    await a.db.insert(models).values({ id: "m-kept", name: "kept", provider: "sim", model: "sim-strong" });
    // initdb ran without its fsync; the cluster is synced in the background once the server is up.
    await until(() => !existsSync(join(dir, "postgres.unsynced")), 60_000, "the new cluster's background sync");
    const info = postmaster(dir);
    expect(info?.status).toBe("ready");
    expect(existsSync(`/tmp/.s.PGSQL.${info?.port}`)).toBe(false);
    // Its own process group: a terminal's Ctrl-C (SIGINT to the foreground group) reaches node only.
    const pgrp = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[2]);
    expect(pgrp(info?.pid ?? 0)).not.toBe(pgrp(process.pid));
    if (process.getuid?.() === 0) {
      const uid = Number(/Uid:\s+(\d+)/.exec(readFileSync(`/proc/${info?.pid}/status`, "utf8"))?.[1]);
      expect(uid).toBeGreaterThan(0);
      expect(statSync(join(dir, "postgres")).uid).toBe(uid);
    }
    await a.close();
    expect(postmaster(dir)).toBeNull();
    expect(alive(info?.pid ?? 0)).toBe(false);
    const b = await openDb({ dataDir: dir, embedded: "embedded" });
    expect(await count(b)).toBe(1);
    // The same port again (it is free): a process still attached from before reconnects by itself.
    expect(b.embedded?.port).toBe(info?.port);
    await b.close();
  });

  it("a second serve on the folder attaches to the same server; the first one's SIGKILL leaves no orphan", async () => {
    const dir = freshDir();
    const first = spawnCli(["serve"], serveEnv(dir));
    const url1 = await waitForListening(first);
    const info = postmaster(dir);
    expect(info?.status).toBe("ready");
    const second = spawnCli(["serve"], serveEnv(dir));
    const url2 = await waitForListening(second);
    expect(second.stdout.join("")).toContain("attached to the embedded PostgreSQL");
    expect(postmaster(dir)?.pid).toBe(info?.pid);
    // A write through one server is read through the other: one database.
    const created = await fetch(`${url2}/v1/models`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "via-second", provider: "sim", model: "sim-strong" }) });
    expect(created.status).toBe(201);
    const listed = (await (await fetch(`${url1}/v1/models`)).json()) as { items: { name: string }[] };
    expect(listed.items.map((m) => m.name)).toContain("via-second");
    // The attached one stops without stopping the server.
    await stop(second);
    expect((await fetch(`${url1}/readyz`)).status).toBe(200);
    // SIGKILL of the owner: its watchdog stops PostgreSQL (fast shutdown, postmaster.pid removed).
    first.child.kill("SIGKILL");
    await first.exited;
    await until(() => !alive(info?.pid ?? 0), 30_000, "the postmaster to exit after its owner's SIGKILL");
    expect(postmaster(dir)).toBeNull();
    const h = await openDb({ dataDir: dir, embedded: "embedded" });
    expect(await count(h)).toBe(1);
    await h.close();
  }, 180_000);

  it("takes over a stale postmaster.pid, also one whose pid a live process now holds", async () => {
    const dir = freshDir();
    const a = await openDb({ dataDir: dir, embedded: "embedded" });
    await a.db.insert(models).values({ id: "m-crash", name: "before-crash", provider: "sim", model: "sim-strong" });
    const info = postmaster(dir);
    // The whole server killed at once (OOM killer, power cut): the file stays behind.
    process.kill(info?.pid ?? 0, "SIGKILL");
    await until(() => !alive(info?.pid ?? 0), 10_000, "the postmaster to die");
    await a.close().catch(() => {});
    const pidFile = join(dir, "postgres", "postmaster.pid");
    expect(existsSync(pidFile)).toBe(true);
    // Its pid now names a live process that is not PostgreSQL (this test runner).
    writeFileSync(pidFile, readFileSync(pidFile, "utf8").replace(/^\d+/, String(process.pid)));
    const b = await openDb({ dataDir: dir, embedded: "embedded" });
    expect(b.embedded?.owned).toBe(true);
    expect(await count(b)).toBe(1);
    await b.close();
  }, 120_000);

  it("a worker refuses PGlite, asked for or held by the folder, naming the way to share", async () => {
    const asked = spawnCli(["worker"], { MATRIX_ARENA_DATA_DIR: freshDir(), MATRIX_ARENA_DB: "pglite" });
    expect(await asked.exited).toBe(2);
    expect(asked.stderr.join("")).toContain("MATRIX_ARENA_DB=embedded");
    const dir = freshDir();
    const h = await openDb({ dataDir: dir, embedded: "pglite" });
    await h.close();
    const held = spawnCli(["worker"], { MATRIX_ARENA_DATA_DIR: dir, LOG_LEVEL: "silent" });
    expect(await held.exited).toBe(2);
    expect(held.stderr.join("")).toContain("holds a PGlite database");
    expect(existsSync(join(dir, "postgres"))).toBe(false);
  }, 120_000);

  describe("a matrix-arena worker on the same data folder", () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
    });
    afterAll(async () => {
      await sim?.close();
    });

    it("attaches to the server and runs a round to the end", async () => {
      const dir = freshDir();
      const handle = await openDb({ dataDir: dir, embedded: "embedded" });
      const t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      try {
        const candidates = ["sim-strong", "sim-weak"];
        await registerSimModels(t, [...candidates, "sim-judge-fair"]);
        await importItems(t, [{ text: "Name three uses of a paperclip.", category: "brainstorming" }, { text: "Name two prime numbers.", category: "math" }]);
        const res = await t.req("POST", "/v1/rounds", { candidates, pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { limit: 2, seed: 1 } });
        expect(res.status).toBe(202);
        const { id } = await json<{ id: string }>(res);
        const worker = spawnCli(["worker"], { MATRIX_ARENA_DATA_DIR: dir, MATRIX_ARENA_DB: "embedded", MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info" });
        try {
          const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 90_000);
          expect(done.status).toBe("done");
          expect(done.counts).toMatchObject({ total: 2, done: 2 });
          expect(worker.stdout.join("")).toContain("attached to the embedded PostgreSQL");
        } finally {
          worker.child.kill("SIGTERM");
          expect(await worker.exited).toBe(0);
        }
        // The worker's stop left the server of this process running.
        expect(await handle.ping()).toBe(true);
        const [m] = await t.deps.db.select().from(models).where(eq(models.name, "sim-strong"));
        expect(m?.name).toBe("sim-strong");
      } finally {
        await t.close();
        await handle.close();
      }
    }, 180_000);

    it("outlives a restart of the server it attached to (same port) and runs the next round", async () => {
      const dir = freshDir();
      let handle = await openDb({ dataDir: dir, embedded: "embedded" });
      let t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      const candidates = ["sim-strong", "sim-weak"];
      await registerSimModels(t, [...candidates, "sim-judge-fair"]);
      await importItems(t, [{ text: "Name three uses of a brick.", category: "brainstorming" }, { text: "Name two even numbers.", category: "math" }]);
      const round = async (seed: number) => {
        const res = await t.req("POST", "/v1/rounds", { candidates, pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { limit: 2, seed } });
        expect(res.status).toBe(202);
        const { id } = await json<{ id: string }>(res);
        return waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 90_000);
      };
      const worker = spawnCli(["worker"], { MATRIX_ARENA_DATA_DIR: dir, MATRIX_ARENA_DB: "embedded", MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info" });
      try {
        expect((await round(1)).status).toBe("done");
        const port = handle.embedded?.port;
        await t.close();
        await handle.close();
        handle = await openDb({ dataDir: dir, embedded: "embedded" });
        expect(handle.embedded).toEqual({ port, owned: true });
        t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl });
        const second = await round(2);
        expect(second.status).toBe("done");
        expect(second.counts).toMatchObject({ total: 2, done: 2 });
        expect(worker.child.exitCode).toBeNull();
      } finally {
        worker.child.kill("SIGTERM");
        await worker.exited;
        await t.close();
        await handle.close();
      }
    }, 240_000);
  });
});
