/**
 * Trying models over HTTP: `matrix-arena sim` serves the openai SDK (completions with usage), and a
 * model registered with provider "sim" answers through POST /v1/models/{name}/chat; the second identical
 * call says cached and makes no request to the simulator.
 */
import { createServer } from "node:net";
import OpenAI from "openai";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { type Proc, spawnCli, stop } from "../helpers/proc.js";

const procs: Proc[] = [];
let t: TestApp | null = null;
afterAll(async () => {
  for (const p of procs) await stop(p);
  await t?.close();
  await t?.deps.dbHandle.close();
});

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => res(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

interface Stats {
  requests: number;
  byModel: Record<string, number>;
}

describe("matrix-arena sim and /v1/models/{name}/chat", () => {
  it("serves the openai SDK, and the registry's chat route caches", async () => {
    const port = await freePort();
    const sim = spawnCli(["sim", "--port", String(port), "--seed", "3"], {});
    procs.push(sim);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/healthz`);
    expect(sim.stdout.join("")).toContain("SIMULATOR");

    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: "sim" });
    const done = await client.chat.completions.create({ model: "sim-strong", messages: [{ role: "user", content: "Explain photosynthesis in two sentences." }] });
    expect(done.choices[0]?.message.content?.length ?? 0).toBeGreaterThan(20);
    expect(done.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(done.usage?.completion_tokens).toBeGreaterThan(0);

    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: `${base}/v1` });
    expect((await t.req("POST", "/v1/models", { name: "strong", provider: "sim", model: "sim-strong", inputPricePerMTok: 1, outputPricePerMTok: 2 })).status).toBe(201);
    const body = { messages: [{ role: "user", content: "Name three prime numbers above 100." }] };
    const stats = async () => (await (await fetch(`${base}/sim/stats`)).json()) as Stats;
    const before = (await stats()).byModel["sim-strong"] ?? 0;
    const first = await json<{ text: string; usage: { promptTokens: number; completionTokens: number }; cached: boolean; costUsd: number }>(await t.req("POST", "/v1/models/strong/chat", body));
    expect(first.cached).toBe(false);
    expect(first.usage.promptTokens).toBeGreaterThan(0);
    expect(first.costUsd).toBeCloseTo((first.usage.promptTokens * 1 + first.usage.completionTokens * 2) / 1e6, 12);
    expect((await stats()).byModel["sim-strong"]).toBe(before + 1);
    const second = await json<{ text: string; cached: boolean; costUsd: number }>(await t.req("POST", "/v1/models/strong/chat", body));
    expect(second).toMatchObject({ cached: true, text: first.text, costUsd: 0 });
    expect((await stats()).byModel["sim-strong"]).toBe(before + 1);
    const bypass = await json<{ cached: boolean }>(await t.req("POST", "/v1/models/strong/chat", { ...body, bypassCache: true }));
    expect(bypass.cached).toBe(false);
    expect((await stats()).byModel["sim-strong"]).toBe(before + 2);

    // Usage accounting (the sink writes its totals every 2 s): three calls, one from the cache.
    const app = t;
    const usage = async () => json<{ items: { model: string; purpose: string; calls: number; cachedCalls: number; costUsd: number }[] }>(await app.req("GET", "/v1/usage"));
    let row: { calls: number; cachedCalls: number; costUsd: number } | undefined;
    for (let i = 0; i < 40 && (row?.calls ?? 0) < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = (await usage()).items.find((u) => u.model === "strong" && u.purpose === "chat");
    }
    expect(row).toMatchObject({ calls: 3, cachedCalls: 1 });
    expect(row?.costUsd).toBeCloseTo(2 * first.costUsd, 12);

    // Errors: unknown model 404; a provider 404 (model unknown to the simulator) is a 502 naming the kind.
    expect((await t.req("POST", "/v1/models/nope/chat", body)).status).toBe(404);
    await t.req("POST", "/v1/models", { name: "ghost", provider: "sim", model: "sim-does-not-exist" });
    const ghost = await t.req("POST", "/v1/models/ghost/chat", body);
    expect(ghost.status).toBe(502);
    expect((await json<{ error: { details: { kind: string; retryable: boolean } } }>(ghost)).error.details).toMatchObject({ kind: "client", retryable: false });
    // A model whose key variable is not set is a 422 naming the variable, never a value.
    await t.req("POST", "/v1/models", { name: "keyed", provider: "openai", model: "gpt-x", baseUrl: `${base}/v1`, apiKeyEnv: "NOT_SET_ANYWHERE_API_KEY" });
    const keyed = await t.req("POST", "/v1/models/keyed/chat", body);
    expect(keyed.status).toBe(422);
    expect((await json<{ error: { message: string } }>(keyed)).error.message).toContain("NOT_SET_ANYWHERE_API_KEY");
  }, 120_000);
});
