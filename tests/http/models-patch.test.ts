/**
 * PATCH /v1/models/{name} takes effect on the very next call, for every setting: the API-key
 * variable, the base URL and the provider's model id (no cached copy of the registry row lingers).
 * Calls go over real HTTP to the simulator.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

let sim: Simulator;
let t: TestApp;
const UNSET = "MA_PATCH_TEST_NOT_SET_API_KEY";
beforeAll(async () => {
  delete process.env[UNSET];
  sim = await startSimulator({ seed: 2, latency: { kind: "fixed", ms: 1 } });
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
  expect((await t.req("POST", "/v1/models", { name: "m", provider: "sim", model: "sim-strong" })).status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await t?.deps.dbHandle.close();
  await sim?.close();
});

const chat = (text: string) => t.req("POST", "/v1/models/m/chat", { messages: [{ role: "user", content: text }], bypassCache: true });

const cases: { name: string; patch: Record<string, unknown>; status: number; mentions?: string }[] = [
  { name: "apiKeyEnv naming an unset variable fails the next call", patch: { apiKeyEnv: UNSET }, status: 422, mentions: UNSET },
  { name: "apiKeyEnv cleared works again", patch: { apiKeyEnv: null }, status: 200 },
  { name: "baseUrl to a closed port fails the next call", patch: { baseUrl: "http://127.0.0.1:9/v1" }, status: 502 },
  { name: "baseUrl cleared goes back to the simulator", patch: { baseUrl: null }, status: 200 },
  { name: "a model id the simulator does not serve fails the next call", patch: { model: "no-such-sim-model" }, status: 502 },
  { name: "the model id restored works again", patch: { model: "sim-strong" }, status: 200 },
];

it("a warm call succeeds first", async () => {
  expect((await chat("warm up")).status).toBe(200);
});

for (const [k, tc] of cases.entries()) {
  it(tc.name, async () => {
    expect((await t.req("PATCH", "/v1/models/m", tc.patch)).status).toBe(200);
    const res = await chat(`call ${k}`);
    const body = await json<{ error?: { message: string } }>(res);
    expect({ status: res.status, body }).toMatchObject({ status: tc.status });
    if (tc.mentions) expect(body.error?.message).toContain(tc.mentions);
  }, 30_000);
}
