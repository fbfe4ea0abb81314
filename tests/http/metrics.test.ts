/**
 * GET /metrics against a real round: candidates and a judge served by the simulator over real HTTP,
 * one in-process worker. The exposition's counters must equal what the round itself reports (every
 * answer and judgment is one provider call), the database gauges must match the tables, and the
 * route must obey the `metrics` scope. The round's lifecycle (created, started, finished) is logged at info.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { battleQueue } from "../../battles/queue.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

/** `name{labels} value` lines of a Prometheus text exposition, labels as a plain object. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, "$1");
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/** Sum of the samples named `name` whose labels include `where`. */
function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

const CANDIDATES = ["sim-strong", "sim-weak", "sim-verbose"];
const JUDGE = "sim-judge-fair";
const ITEMS = Array.from({ length: 6 }, (_, i) => ({ text: `Explain topic number ${i} in two sentences.`, category: i % 2 ? "writing" : "reasoning" }));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeEachDb("GET /metrics on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, [...CANDIDATES, JUDGE]);
    await importItems(t, ITEMS);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const scrape = async (): Promise<Sample[]> => {
    const res = await t.req("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await res.text());
  };

  const runRound = async (name: string) => {
    const created = await t.req("POST", "/v1/rounds", { name, candidates: CANDIDATES, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: 6, seed: 1 } });
    expect(created.status).toBe(202);
    const { id, battles } = await json<{ id: string; battles: number }>(created);
    return { id, battles };
  };

  it("counts every provider call of a round, its latency, and the battles by status", async () => {
    const { id, battles } = await runRound("metrics-1");
    expect(battles).toBe(18);

    // Before any worker runs: the round is pending, its battles queued, its spend zero.
    let s = await scrape();
    expect(total(s, "matrix_arena_battles", { status: "pending" })).toBe(18);
    expect(total(s, "matrix_arena_queue_depth", { queue: "battles" })).toBe(18);
    expect(total(s, "matrix_arena_rounds", { status: "pending" })).toBe(1);
    expect(s.some((x) => x.name === "matrix_arena_round_spend_usd" && x.labels.round === id)).toBe(true);

    const worker = startBattleWorker(t.deps, "metrics-test");
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
    await worker.stop();
    expect(done.status).toBe("done");

    s = await scrape();
    const sent = done.responses + done.judgments.total;
    expect(sent).toBe(3 * 6 + 18 * 2);
    // Every stored answer and judgment was one call sent to the simulator (nothing was cached yet).
    expect(total(s, "matrix_arena_provider_calls_total", { outcome: "ok", cached: "false" })).toBe(sent);
    expect(total(s, "matrix_arena_provider_calls_total", { purpose: "candidate", cached: "false" })).toBe(done.responses);
    expect(total(s, "matrix_arena_provider_calls_total", { purpose: "judge", model: JUDGE })).toBe(done.judgments.total);
    expect(total(s, "matrix_arena_provider_latency_seconds_count")).toBe(sent);
    expect(total(s, "matrix_arena_provider_latency_seconds_sum")).toBeGreaterThan(0);
    expect(total(s, "matrix_arena_provider_tokens_total")).toBe(done.tokens.total);
    expect(total(s, "matrix_arena_cache_hits_total")).toBe(0);
    expect(total(s, "matrix_arena_battles", { status: "done" })).toBe(18);
    expect(total(s, "matrix_arena_queue_depth", { queue: "battles" })).toBe(0);
    expect(total(s, "matrix_arena_judgments", { valid: "true" }) + total(s, "matrix_arena_judgments", { valid: "false" })).toBe(done.judgments.total);
    expect(total(s, "matrix_arena_rounds", { status: "done" })).toBe(1);
    // Only active rounds carry a spend series.
    expect(s.some((x) => x.name === "matrix_arena_round_spend_usd" && x.labels.round === id)).toBe(false);
    // The round's lifecycle is in the log at info, with its id and counts.
    const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; level: number; roundId?: string; roundIds?: string[]; battles?: number; done?: number; failed?: number });
    expect(lines.find((l) => l.msg === "round created" && l.roundId === id)).toMatchObject({ level: 30, battles: 18 });
    expect(lines.find((l) => l.msg === "round started" && l.roundIds?.includes(id))).toMatchObject({ level: 30 });
    expect(lines.filter((l) => l.msg === "round finished" && l.roundId === id)).toEqual([expect.objectContaining({ level: 30, done: 18, failed: 0 })]);
    // Default process metrics are there too.
    expect(total(s, "matrix_arena_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts cache hits when a second round asks the same questions", async () => {
    const before = total(await scrape(), "matrix_arena_provider_calls_total", { cached: "false" });
    const { id } = await runRound("metrics-2");
    const worker = startBattleWorker(t.deps, "metrics-test-2");
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
    await worker.stop();
    expect(done.status).toBe("done");
    const s = await scrape();
    const hits = total(s, "matrix_arena_cache_hits_total");
    expect(hits).toBeGreaterThan(0);
    expect(total(s, "matrix_arena_provider_calls_total", { cached: "true" })).toBe(hits);
    // Nothing new was sent: the same prompts to the same models come from the response cache.
    expect(total(s, "matrix_arena_provider_calls_total", { cached: "false" })).toBe(before);
  });

  it("shows a running job whose lease expired as awaiting reclaim", async () => {
    const { id } = await runRound("metrics-3");
    const [job] = await battleQueue.claim(t.deps.db, "dead-worker", 1, 1);
    expect(job).toBeDefined();
    await new Promise((r) => setTimeout(r, 30));
    const s = await scrape();
    expect(total(s, "matrix_arena_expired_leases", { queue: "battles" })).toBe(1);
    expect(total(s, "matrix_arena_rounds", { status: "running" })).toBe(1);
    const res = await t.req("POST", `/v1/rounds/${id}/cancel`);
    expect(res.status).toBeLessThan(300);
  });
});

describe("GET /metrics needs the metrics scope once keys exist", () => {
  const ADMIN = "admin-key-for-metrics-tests-0123456789";
  let t: TestApp;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: ADMIN });
    for (const scope of ["read", "write", "metrics"]) {
      const res = await t.req("POST", "/v1/keys", { name: scope, scopes: [scope] }, { key: ADMIN });
      expect(res.status).toBe(201);
      keys[scope] = (await json<{ key: string }>(res)).key;
    }
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  it.each([
    ["no key", undefined, 401],
    ["a read key", "read", 403],
    ["a write key", "write", 403],
    ["a metrics key", "metrics", 200],
    ["the admin key", "admin", 200],
  ])("%s -> %s", async (_label, who, status) => {
    const key = who === undefined ? undefined : who === "admin" ? ADMIN : keys[who];
    const res = await t.req("GET", "/metrics", undefined, { key });
    expect(res.status).toBe(status);
    if (status === 200) expect(await res.text()).toContain("matrix_arena_battles");
    else expect(await res.text()).not.toContain("matrix_arena_");
  });

  it("a metrics key reads no data and writes nothing", async () => {
    expect((await t.req("GET", "/v1/models", undefined, { key: keys.metrics })).status).toBe(403);
    expect((await t.req("GET", "/v1/leaderboard", undefined, { key: keys.metrics })).status).toBe(403);
    expect((await t.req("POST", "/v1/models", { name: "x", provider: "sim", model: "x" }, { key: keys.metrics })).status).toBe(403);
  });

  it("probe requests are logged at debug, other requests at info", async () => {
    t.logs.length = 0;
    await t.req("GET", "/healthz");
    await t.req("GET", "/metrics", undefined, { key: keys.metrics });
    await t.req("GET", "/v1/models", undefined, { key: keys.read });
    const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; path?: string });
    expect(lines.filter((l) => l.msg === "request").map((l) => l.path)).toEqual(["/v1/models"]);
  });
});
