/**
 * MATRIX_ARENA_METRICS_PORT: a real `matrix-arena worker` process (PostgreSQL: workers share it) serves
 * its own `GET /metrics` on 127.0.0.1 only. After it judged a round against the simulator over real
 * HTTP, its call counters equal the round's stored answers and judgments (this test's process made
 * none of them), and the port answers nothing but the exposition. A taken port stops the worker with
 * the variable named; without the variable the worker opens no port.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { dbTargets } from "../helpers/db.js";
import { type Proc, spawnCli, stop } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-weak", "sim-verbose"];
const JUDGE = "sim-judge-fair";
const ITEMS = Array.from({ length: 3 }, (_, i) => ({ text: `Give ${i + 3} reasons to learn a second language.`, category: "brainstorming" }));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 9, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

/** The URL from the worker's "metrics listening" log line. */
function metricsUrl(p: Proc, timeoutMs = 30_000): Promise<string> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no metrics line: ${p.stderr.join("")}`)), timeoutMs);
    const check = () => {
      const line = p.stdout.join("").split("\n").find((l) => l.includes("metrics listening"));
      if (!line) return;
      clearTimeout(timer);
      res((JSON.parse(line) as { url: string }).url);
    };
    p.child.stdout?.on("data", check);
    void p.exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`worker exited with ${code}: ${p.stderr.join("")}`));
    });
  });
}

/** Sum of the exposition's samples named `name` whose label text contains every `labels` pair. */
function total(text: string, name: string, labels: string[] = []): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name || !labels.every((l) => (m[2] ?? "").includes(l))) continue;
    sum += Number(m[3]);
  }
  return sum;
}

const pg = dbTargets().find((x) => x.name === "postgres");

describe.skipIf(!pg?.available)("matrix-arena worker with MATRIX_ARENA_METRICS_PORT (postgres)", () => {
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

  const worker = (extra: Record<string, string>) => spawnCli(["worker"], { DATABASE_URL: url, MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "info", MATRIX_ARENA_WORKER_CONCURRENCY: "4", ...extra });

  it("serves the worker's own call counters on 127.0.0.1, and nothing else", async () => {
    const proc = worker({ MATRIX_ARENA_METRICS_PORT: "0" });
    try {
      const metrics = await metricsUrl(proc);
      expect(metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await t.req("POST", "/v1/rounds", { name: "worker-metrics", candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: ITEMS.length, seed: 1 } });
      expect(res.status).toBe(202);
      const { id } = await json<{ id: string }>(res);
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
      expect(done.status).toBe("done");
      const scrape = await fetch(metrics);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get("content-type")).toContain("text/plain; version=0.0.4");
      const text = await scrape.text();
      const sent = done.responses + done.judgments.total;
      expect(sent).toBeGreaterThan(0);
      expect(total(text, "matrix_arena_provider_calls_total", ['outcome="ok"', 'cached="false"'])).toBe(sent);
      expect(total(text, "matrix_arena_provider_calls_total", ['purpose="judge"'])).toBe(done.judgments.total);
      expect(total(text, "matrix_arena_battles", ['status="done"'])).toBe(done.counts.done);
      expect(total(text, "matrix_arena_process_resident_memory_bytes")).toBeGreaterThan(0);

      const base = metrics.replace(/\/metrics$/, "");
      expect((await fetch(`${base}/v1/rounds`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: "POST", body: "x" })).status).toBe(405);
      expect((await fetch(`${base}/metrics?x=1`, { method: "HEAD" })).status).toBe(200);
    } finally {
      await stop(proc);
    }
    expect(await proc.exited).toBe(0);
  });

  it("stops at start-up naming the variable when the port is taken", async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    const addr = taken.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    try {
      const proc = worker({ MATRIX_ARENA_METRICS_PORT: String(port) });
      expect(await proc.exited).toBe(1);
      expect(proc.stderr.join("")).toContain(`MATRIX_ARENA_METRICS_PORT=${port}`);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it("opens no port without the variable", async () => {
    const proc = worker({});
    try {
      await new Promise<void>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`worker did not start: ${proc.stderr.join("")}`)), 30_000);
        const check = () => {
          if (!proc.stdout.join("").includes("generator worker started")) return;
          clearTimeout(timer);
          res();
        };
        proc.child.stdout?.on("data", check);
        check();
      });
      expect(proc.stdout.join("")).not.toContain("metrics listening");
    } finally {
      await stop(proc);
    }
  });
});
