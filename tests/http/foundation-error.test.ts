/** Bad input on the foundation routes: every case is a 4xx envelope naming the problem, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { makeTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_BODY_LIMIT_BYTES: "2048" });
  await t.req("POST", "/v1/models", { name: "exists", provider: "sim", model: "sim-strong" });
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

interface Envelope {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

const good = { name: "m1", provider: "sim", model: "sim-strong" };
const cases: { name: string; method?: string; path?: string; body: unknown; headers?: Record<string, string>; status: number; code: string; mentions: string }[] = [
  { name: "malformed JSON", body: "{not json", status: 400, code: "bad_request", mentions: "Malformed JSON" },
  { name: "missing field", body: { provider: "sim", model: "x" }, status: 400, code: "validation_failed", mentions: "name" },
  { name: "wrong type", body: { ...good, maxConcurrency: "eight" }, status: 400, code: "validation_failed", mentions: "maxConcurrency" },
  { name: "bad enum", body: { ...good, provider: "anthropic" }, status: 400, code: "validation_failed", mentions: "provider" },
  { name: "unknown field", body: { ...good, apiKey: "sk-123" }, status: 400, code: "validation_failed", mentions: "apiKey" },
  { name: "nested unknown field", body: { ...good, params: { temprature: 1 } }, status: 400, code: "validation_failed", mentions: "params.temprature" },
  { name: "key instead of env var name", body: { ...good, apiKeyEnv: "sk-abc-123" }, status: 400, code: "validation_failed", mentions: "apiKeyEnv" },
  { name: "bad base URL", body: { ...good, baseUrl: "ftp://x" }, status: 400, code: "validation_failed", mentions: "baseUrl" },
  { name: "bad name", body: { ...good, name: "a/b" }, status: 400, code: "validation_failed", mentions: "name" },
  { name: "unknown parent", body: { ...good, parent: "ghost" }, status: 400, code: "bad_request", mentions: "parent" },
  { name: "duplicate name", body: { ...good, name: "exists" }, status: 409, code: "conflict", mentions: "exists" },
  { name: "wrong content type", body: "name=x", headers: { "content-type": "text/plain" }, status: 415, code: "unsupported_media_type", mentions: "media type" },
  { name: "oversized body", body: { ...good, description: "x".repeat(5000) }, status: 413, code: "payload_too_large", mentions: "2048" },
  { name: "unknown model", method: "GET", path: "/v1/models/nope", body: undefined, status: 404, code: "not_found", mentions: "nope" },
  { name: "unknown route", method: "GET", path: "/v1/nothing", body: undefined, status: 404, code: "not_found", mentions: "/v1/nothing" },
  { name: "patch wrong type", method: "PATCH", path: "/v1/models/exists", body: { rpm: -1 }, status: 400, code: "validation_failed", mentions: "rpm" },
];

describe("error envelope", () => {
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.status}`, async () => {
      const res = await t.req(tc.method ?? "POST", tc.path ?? "/v1/models", tc.body, { headers: tc.headers });
      expect(res.status).toBe(tc.status);
      const body = (await res.json()) as Envelope;
      expect(body.error.code).toBe(tc.code);
      expect(body.error.message).toContain(tc.mentions);
      expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    });
  }
});
