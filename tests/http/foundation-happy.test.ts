/** Happy paths of the foundation routes, in-process through app.request(). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { OPENAI_FOR_TEST_API_KEY: "sk-live-abcdef123456" });
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

describe("health", () => {
  it("GET /healthz", async () => {
    const res = await t.req("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
  it("GET /readyz reports the database", async () => {
    const res = await t.req("GET", "/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "pglite" });
  });
  it("echoes a caller's request id", async () => {
    const res = await t.req("GET", "/healthz", undefined, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
  });
});

describe("models", () => {
  const body = {
    name: "gpt-judge",
    provider: "openai",
    model: "gpt-4o-mini",
    baseUrl: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_FOR_TEST_API_KEY",
    params: { temperature: 0, maxTokens: 512 },
    maxConcurrency: 8,
    rpm: 500,
    inputPricePerMTok: 0.15,
    outputPricePerMTok: 0.6,
    tags: ["judge"],
  };
  it("creates, gets, lists, updates and deletes", async () => {
    const created = await t.req("POST", "/v1/models", body);
    expect(created.status).toBe(201);
    const m = await json(created);
    expect(m).toMatchObject({ name: "gpt-judge", provider: "openai", apiKeyEnv: "OPENAI_FOR_TEST_API_KEY", apiKeyConfigured: true, rpm: 500 });
    expect(JSON.stringify(m)).not.toContain("sk-live");

    expect((await json(await t.req("GET", "/v1/models/gpt-judge"))).model).toBe("gpt-4o-mini");
    const list = await json<{ items: { name: string }[] }>(await t.req("GET", "/v1/models"));
    expect(list.items.map((i) => i.name)).toContain("gpt-judge");
    expect(JSON.stringify(list)).not.toContain("sk-live");

    const patched = await t.req("PATCH", "/v1/models/gpt-judge", { maxConcurrency: 2, tags: ["judge", "cheap"] });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ maxConcurrency: 2, tags: ["judge", "cheap"] });

    expect((await t.req("DELETE", "/v1/models/gpt-judge")).status).toBe(204);
    expect((await t.req("GET", "/v1/models/gpt-judge")).status).toBe(404);
  });
  it("records checkpoint lineage through parent", async () => {
    expect((await t.req("POST", "/v1/models", { name: "target-v1", provider: "sim", model: "sim-weak" })).status).toBe(201);
    const v2 = await t.req("POST", "/v1/models", { name: "target-v2", provider: "sim", model: "sim-weak", parent: "target-v1" });
    expect(v2.status).toBe(201);
    expect((await json(v2)).parent).toBe("target-v1");
  });
});

describe("openapi and docs", () => {
  it("serves an OpenAPI 3.1 document listing every route", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(await t.req("GET", "/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    for (const p of ["/healthz", "/readyz", "/v1/models", "/v1/models/{name}", "/v1/keys", "/v1/keys/{id}"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(Object.keys(doc.paths["/v1/models/{name}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });
  it("serves /docs with local assets only", async () => {
    const html = await (await t.req("GET", "/docs")).text();
    expect(html).toContain("swagger-ui");
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(srcs.length).toBeGreaterThan(2);
    for (const s of srcs) expect(s.startsWith("/docs/")).toBe(true);
    for (const s of srcs) expect((await t.req("GET", s)).status).toBe(200);
  });
});
