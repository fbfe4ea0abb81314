/**
 * Secret binding is an admin act (issue 12): a write key can register keyless endpoints, but cannot
 * bind an environment secret to a model, move a model that has one, or make the service send any
 * configured secret to an address of its choosing. Real HTTP: the "attacker" is an OpenAI-compatible
 * listener on 127.0.0.1 that records every header and body it receives.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { models } from "../../db/schema/index.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

const ADMIN = "admin-key-for-escalation-tests-0123";
const OPENAI_SECRET = "sk-openai-secret-value-4242";
const DB_URL = "postgres://arena:db-password-secret-77@db.internal:5432/arena";
const SECRETS = [ADMIN, OPENAI_SECRET, "db-password-secret-77"];

interface Listener {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

/** A minimal chat-completions endpoint that remembers everything sent to it. */
async function listen(): Promise<Listener> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push(JSON.stringify(req.headers) + "\n" + body);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({
        id: "c1", object: "chat.completion", created: 0, model: "m",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

let t: TestApp;
let attacker: Listener;
let provider: Listener;
let writeKey = "";
const chat = (name: string, key: string) =>
  t.req("POST", `/v1/models/${name}/chat`, { messages: [{ role: "user", content: "hi" }], bypassCache: true }, { key });
const leaked = (l: Listener) => SECRETS.filter((s) => l.seen.some((x) => x.includes(s)));

beforeAll(async () => {
  attacker = await listen();
  provider = await listen();
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: ADMIN, OPENAI_API_KEY: OPENAI_SECRET, DATABASE_URL: DB_URL });
  writeKey = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "writer", scopes: ["write"] }, { key: ADMIN }))).key;
  const bound = await t.req("POST", "/v1/models", { name: "gpt-admin", provider: "openai", model: "gpt-x", baseUrl: provider.url, apiKeyEnv: "OPENAI_API_KEY" }, { key: ADMIN });
  expect(bound.status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
  await attacker.close();
  await provider.close();
});

describe("a write key cannot bind a secret", () => {
  for (const variable of ["MATRIX_ARENA_API_KEY", "DATABASE_URL", "OPENAI_API_KEY"]) {
    it(`POST with apiKeyEnv ${variable} -> 4xx, and the attacker never sees a secret`, async () => {
      const name = `evil-${variable.toLowerCase().replace(/_/g, "-")}`;
      const res = await t.req("POST", "/v1/models", { name, provider: "openai", model: "x", baseUrl: attacker.url, apiKeyEnv: variable }, { key: writeKey });
      expect([400, 403]).toContain(res.status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain("apiKeyEnv");
      await chat(name, writeKey);
      expect(leaked(attacker)).toEqual([]);
    });
  }

  it("PATCH apiKeyEnv onto its own keyless model -> 403", async () => {
    expect((await t.req("POST", "/v1/models", { name: "mine", provider: "openai", model: "x", baseUrl: attacker.url }, { key: writeKey })).status).toBe(201);
    const res = await t.req("PATCH", "/v1/models/mine", { apiKeyEnv: "OPENAI_API_KEY" }, { key: writeKey });
    expect(res.status).toBe(403);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain("apiKeyEnv");
    await chat("mine", writeKey);
    expect(leaked(attacker)).toEqual([]);
  });
});

describe("a write key cannot redirect a bound model", () => {
  // "ATTACKER" stands for the listener's URL, known only once it listens.
  const moves: { name: string; patch: Record<string, unknown>; field: string }[] = [
    { name: "baseUrl to its own server", patch: { baseUrl: "ATTACKER" }, field: "baseUrl" },
    { name: "baseUrl cleared (provider default)", patch: { baseUrl: null }, field: "baseUrl" },
    { name: "provider changed", patch: { provider: "sim" }, field: "provider" },
    { name: "apiKeyEnv swapped", patch: { apiKeyEnv: "OTHER_API_KEY" }, field: "apiKeyEnv" },
    { name: "apiKeyEnv cleared", patch: { apiKeyEnv: null }, field: "apiKeyEnv" },
  ];
  for (const tc of moves) {
    it(`PATCH ${tc.name} -> 403`, async () => {
      const patch = tc.patch.baseUrl === "ATTACKER" ? { baseUrl: attacker.url } : tc.patch;
      const res = await t.req("PATCH", "/v1/models/gpt-admin", patch, { key: writeKey });
      expect(res.status).toBe(403);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(tc.field);
    });
  }

  it("DELETE of a bound model -> 403 (delete and re-register would be the same move)", async () => {
    expect((await t.req("DELETE", "/v1/models/gpt-admin", undefined, { key: writeKey })).status).toBe(403);
  });

  it("after all attempts the bound model still talks only to its provider", async () => {
    const res = await chat("gpt-admin", writeKey);
    expect(res.status).toBe(200);
    expect(leaked(provider)).toEqual([OPENAI_SECRET]);
    expect(leaked(attacker)).toEqual([]);
  });

  it("a new version with the bound model as parent inherits no secret", async () => {
    const res = await t.req("POST", "/v1/models", { name: "gpt-admin-v2", provider: "openai", model: "gpt-x", baseUrl: attacker.url, parent: "gpt-admin" }, { key: writeKey });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ apiKeyEnv: null, parent: "gpt-admin" });
    expect((await chat("gpt-admin-v2", writeKey)).status).toBe(200);
    expect(leaked(attacker)).toEqual([]);
  });
});

describe("what stays allowed", () => {
  it("a write key registers and uses a keyless endpoint (a researcher's vLLM box)", async () => {
    const before = attacker.seen.length;
    expect((await t.req("POST", "/v1/models", { name: "vllm-box", provider: "openai", model: "llama", baseUrl: attacker.url }, { key: writeKey })).status).toBe(201);
    expect((await t.req("PATCH", "/v1/models/vllm-box", { baseUrl: `${attacker.url}/`, rpm: 10 }, { key: writeKey })).status).toBe(200);
    expect((await chat("vllm-box", writeKey)).status).toBe(200);
    expect(attacker.seen.length).toBe(before + 1);
    expect(leaked(attacker)).toEqual([]);
  });

  it("a write key may edit harmless fields of a bound model", async () => {
    expect((await t.req("PATCH", "/v1/models/gpt-admin", { rpm: 100, description: "shared" }, { key: writeKey })).status).toBe(200);
  });

  it("an admin can bind and move a secret", async () => {
    expect((await t.req("PATCH", "/v1/models/mine", { apiKeyEnv: "OPENAI_API_KEY", baseUrl: provider.url }, { key: ADMIN })).status).toBe(200);
    expect((await chat("mine", writeKey)).status).toBe(200);
    expect(leaked(attacker)).toEqual([]);
  });
});

describe("the service's own configuration is never a provider secret", () => {
  for (const variable of ["MATRIX_ARENA_API_KEY", "DATABASE_URL", "PGPASSWORD", "MATRIX_ARENA_PROVIDER_KEY_VARS", "PORT", "HOME"]) {
    it(`even an admin gets 400 naming apiKeyEnv for ${variable}`, async () => {
      const res = await t.req("POST", "/v1/models", { name: `adm-${randomUUID().slice(0, 8)}`, provider: "openai", model: "x", baseUrl: attacker.url, apiKeyEnv: variable }, { key: ADMIN });
      expect(res.status).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain("apiKeyEnv");
    });
  }

  it("a row stored before the fix still cannot send the admin key or the database URL away", async () => {
    const now = new Date();
    for (const variable of ["MATRIX_ARENA_API_KEY", "DATABASE_URL"]) {
      const name = `legacy-${variable.toLowerCase().replace(/_/g, "-")}`;
      await t.deps.db.insert(models).values({ id: randomUUID(), name, provider: "openai", model: "x", baseUrl: attacker.url, apiKeyEnv: variable, createdAt: now, updatedAt: now });
      const res = await chat(name, ADMIN);
      expect(res.status).toBe(422);
    }
    expect(leaked(attacker)).toEqual([]);
  });
});
