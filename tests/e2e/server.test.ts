/**
 * The real server over real HTTP on a fresh PGlite folder (MATRIX_ARENA_DB=pglite; the embedded
 * PostgreSQL's own start, attach and restart are tests/e2e/embedded-pg.test.ts): start, lock, local
 * mode, persistence.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Proc, spawnCli, stop, waitForListening } from "../helpers/proc.js";

const dataDir = mkdtempSync(join(tmpdir(), "ma-e2e-"));
const running: Proc[] = [];
afterAll(async () => {
  for (const p of running) await stop(p);
});

const env = { PORT: "0", HOST: "127.0.0.1", MATRIX_ARENA_DATA_DIR: dataDir, MATRIX_ARENA_DB: "pglite", LOG_LEVEL: "info" };

describe("matrix-arena serve", () => {
  it("serves /healthz over HTTP, refuses a second server on the folder, keeps data across restarts", async () => {
    const first = spawnCli(["serve"], env);
    running.push(first);
    const url = await waitForListening(first);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(first.stdout.join("")).toContain("local mode");

    const created = await fetch(`${url}/v1/models`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "persisted", provider: "sim", model: "sim-strong" }),
    });
    expect(created.status).toBe(201);

    const second = spawnCli(["serve"], env);
    expect(await second.exited).toBe(1);
    expect(second.stderr.join("")).toMatch(/data folder is in use by another matrix-arena process \(pid \d+/);
    // The first server is unharmed.
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await stop(first);
    const third = spawnCli(["serve"], env);
    running.push(third);
    const url3 = await waitForListening(third);
    const list = (await (await fetch(`${url3}/v1/models`)).json()) as { items: { name: string }[] };
    expect(list.items.map((m) => m.name)).toEqual(["persisted"]);
    await stop(third);
  });

  it("refuses a non-loopback HOST in local mode, naming the fix", async () => {
    const p = spawnCli(["serve"], { ...env, HOST: "0.0.0.0", MATRIX_ARENA_DATA_DIR: join(dataDir, "other") });
    expect(await p.exited).toBe(1);
    expect(p.stderr.join("")).toContain("MATRIX_ARENA_API_KEY");
  });

  it("stops on bad config with a message naming the variable", async () => {
    const p = spawnCli(["serve"], { ...env, PORT: "not-a-port" });
    expect(await p.exited).toBe(1);
    expect(p.stderr.join("")).toContain("PORT");
  });
});
