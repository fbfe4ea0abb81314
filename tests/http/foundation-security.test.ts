/** Auth and secrets: keys, scopes, revocation, and nothing secret in responses or logs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

const ADMIN = "admin-key-for-tests-0123456789";
const PROVIDER_SECRET = "sk-provider-secret-value-42";
let t: TestApp;
let readKey = "";
let writeKey = "";

beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: ADMIN, HF_TEST_API_KEY: PROVIDER_SECRET });
  readKey = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "reader", scopes: ["read"] }, { key: ADMIN }))).key;
  writeKey = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "writer", scopes: ["write"] }, { key: ADMIN }))).key;
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

describe("authentication", () => {
  const cases: { name: string; method: string; path: string; key?: () => string; body?: unknown; status: number }[] = [
    { name: "no key", method: "GET", path: "/v1/models", status: 401 },
    { name: "malformed header", method: "GET", path: "/v1/models", key: () => "", status: 401 },
    { name: "unknown key", method: "GET", path: "/v1/models", key: () => "ma_not_a_real_key", status: 401 },
    { name: "read key reads", method: "GET", path: "/v1/models", key: () => readKey, status: 200 },
    { name: "read key cannot write", method: "POST", path: "/v1/models", key: () => readKey, body: { name: "x", provider: "sim", model: "s" }, status: 403 },
    { name: "write key writes", method: "POST", path: "/v1/models", key: () => writeKey, body: { name: "w1", provider: "sim", model: "s" }, status: 201 },
    { name: "write key cannot manage keys", method: "GET", path: "/v1/keys", key: () => writeKey, status: 403 },
    { name: "admin manages keys", method: "GET", path: "/v1/keys", key: () => ADMIN, status: 200 },
    { name: "health stays open", method: "GET", path: "/healthz", status: 200 },
    { name: "openapi stays open", method: "GET", path: "/openapi.json", status: 200 },
  ];
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.status}`, async () => {
      const res = await t.req(tc.method, tc.path, tc.body, tc.key ? { key: tc.key() } : {});
      expect(res.status).toBe(tc.status);
      if (tc.status >= 400) expect((await json<{ error: { code: string } }>(res)).error.code).toMatch(/unauthorized|forbidden/);
    });
  }

  it("a revoked key stops working", async () => {
    const k = await json<{ id: string; key: string }>(await t.req("POST", "/v1/keys", { name: "temp", scopes: ["read"] }, { key: ADMIN }));
    expect((await t.req("GET", "/v1/models", undefined, { key: k.key })).status).toBe(200);
    expect((await t.req("DELETE", `/v1/keys/${k.id}`, undefined, { key: ADMIN })).status).toBe(200);
    expect((await t.req("GET", "/v1/models", undefined, { key: k.key })).status).toBe(401);
  });

  it("rejects bad scopes on key creation", async () => {
    const res = await t.req("POST", "/v1/keys", { name: "bad", scopes: ["root"] }, { key: ADMIN });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain("scopes");
  });
});

describe("secrets", () => {
  it("never returns keys or provider secrets, and never logs them", async () => {
    await t.req("POST", "/v1/models", { name: "hf-model", provider: "huggingface", model: "meta-llama/Llama-3.1-8B-Instruct", apiKeyEnv: "HF_TEST_API_KEY" }, { key: ADMIN });
    const models = await (await t.req("GET", "/v1/models", undefined, { key: ADMIN })).text();
    const keys = await (await t.req("GET", "/v1/keys", undefined, { key: ADMIN })).text();
    expect(models).toContain("HF_TEST_API_KEY");
    expect(models).toContain('"apiKeyConfigured":true');
    for (const secret of [PROVIDER_SECRET, ADMIN, readKey, writeKey]) {
      expect(models).not.toContain(secret);
      expect(keys).not.toContain(secret);
      expect(t.logs.join("\n")).not.toContain(secret);
    }
    expect(t.logs.length).toBeGreaterThan(5);
  });
});
