/** Bad round and instruction requests get 4xx envelopes naming the problem; nothing is written. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }));
  for (const name of ["a", "b", "c", "j"]) await t.req("POST", "/v1/models", { name, provider: "sim", model: "sim-strong" });
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

const base = { candidates: ["a", "b"], pairing: "all-pairs", judges: ["j"] };

describe("POST /v1/rounds errors", () => {
  const cases: { name: string; body: unknown; status: number; mentions: string }[] = [
    { name: "no instructions yet", body: base, status: 422, mentions: "instructions" },
    { name: "unknown candidate", body: { ...base, candidates: ["a", "zz"] }, status: 400, mentions: "candidates: model(s) not registered: zz" },
    { name: "unknown judge", body: { ...base, judges: ["nope"] }, status: 400, mentions: "judges" },
    { name: "one candidate", body: { ...base, candidates: ["a"] }, status: 400, mentions: "candidates" },
    { name: "target missing", body: { ...base, pairing: "target-vs-opponents" }, status: 400, mentions: "target" },
    { name: "target not a candidate", body: { ...base, pairing: "target-vs-opponents", target: "c" }, status: 400, mentions: "target" },
    { name: "bad pairing", body: { ...base, pairing: "swiss" }, status: 400, mentions: "pairing" },
    { name: "bad prompt version", body: { ...base, promptVersion: "nope@1" }, status: 400, mentions: "promptVersion" },
    { name: "single mode with pairwise prompt", body: { ...base, judgeMode: "single", promptVersion: "arena-hard-v2@1" }, status: 400, mentions: "promptVersion" },
    { name: "unknown field", body: { ...base, judge: "j" }, status: 400, mentions: "judge" },
    { name: "negative limit", body: { ...base, instructions: { limit: -1 } }, status: 400, mentions: "instructions.limit" },
  ];
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.status}`, async () => {
      const res = await t.req("POST", "/v1/rounds", tc.body);
      expect(res.status).toBe(tc.status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(tc.mentions);
    });
  }
  it("wrote no round for any rejected request", async () => {
    expect((await json<{ items: unknown[] }>(await t.req("GET", "/v1/rounds"))).items).toEqual([]);
  });
  it("unknown round -> 404", async () => {
    expect((await t.req("GET", "/v1/rounds/nope")).status).toBe(404);
    expect((await t.req("POST", "/v1/rounds/nope/cancel")).status).toBe(404);
  });
});

describe("POST /v1/instructions", () => {
  it("imports JSON items, rejects bad ones by index, drops exact duplicates", async () => {
    const res = await t.req("POST", "/v1/instructions", {
      items: [
        { text: "Explain the CAP theorem.", category: "stem" },
        { text: "explain the  CAP theorem" },
        { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }] },
        { text: "" },
        { text: "x", messages: [{ role: "user", content: "y" }] },
        { text: "ok", complexity: 9 },
        { text: "Write a haiku about rain.", extra: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const body = await json<{ inserted: number; duplicates: number; rejected: { index: number; reason: string }[] }>(res);
    expect(body.inserted).toBe(1);
    expect(body.duplicates).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([2, 3, 4, 5, 6]);
    expect(body.rejected[0]?.reason).toContain("messages: the last message must be from the user");
    expect(body.rejected[1]?.reason).toContain("text");
    expect(body.rejected[2]?.reason).toContain("exactly one of text or messages");
    expect(body.rejected[3]?.reason).toContain("complexity");
    expect(body.rejected[4]?.reason).toContain("extra: unknown field");
  });
  it("imports NDJSON and names bad lines", async () => {
    const ndjson = ['{"text":"What is 2+2?","category":"math"}', "{not json", '{"text":"Name three primes."}', "", '{"category":"x"}'].join("\n");
    const res = await t.req("POST", "/v1/instructions", ndjson, { headers: { "content-type": "application/x-ndjson" } });
    const body = await json<{ inserted: number; rejected: { index: number; reason: string }[] }>(res);
    expect(body.inserted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, reason: "invalid JSON" },
      { index: 4, reason: "text: give exactly one of text or messages" },
    ]);
  });
  it("a JSON body without items is a 400 naming items", async () => {
    const res = await t.req("POST", "/v1/instructions", { rows: [] });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain("items");
  });
});

describe("POST /v1/rounds/{id}/resume with a budget", () => {
  let id = "";
  beforeAll(async () => {
    await t.req("POST", "/v1/instructions", { items: [{ text: "Name three prime numbers.", source: "resume-test" }] });
    const res = await t.req("POST", "/v1/rounds", { ...base, instructions: { source: "resume-test" }, budget: { maxCostUsd: 1 } });
    expect(res.status).toBe(202);
    id = (await json<{ id: string }>(res)).id;
  });
  const cases: { name: string; body: unknown; status: number; mentions: string }[] = [
    { name: "negative maxCostUsd", body: { budget: { maxCostUsd: -1 } }, status: 400, mentions: "budget.maxCostUsd" },
    { name: "zero maxTokens", body: { budget: { maxTokens: 0 } }, status: 400, mentions: "budget.maxTokens" },
    { name: "fractional maxTokens", body: { budget: { maxTokens: 1.5 } }, status: 400, mentions: "budget.maxTokens" },
    { name: "unknown budget key", body: { budget: { maxUsd: 3 } }, status: 400, mentions: "budget" },
    { name: "unknown body key", body: { raise: true }, status: 400, mentions: "raise" },
    { name: "a cap not above what is spent", body: { budget: { maxCostUsd: 0 } }, status: 400, mentions: "budget.maxCostUsd: must exceed" },
  ];
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.status}`, async () => {
      const res = await t.req("POST", `/v1/rounds/${id}/resume`, tc.body);
      expect(res.status).toBe(tc.status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(tc.mentions);
    });
  }
  it("raises the caps it names and keeps the others", async () => {
    const res = await t.req("POST", `/v1/rounds/${id}/resume`, { budget: { maxTokens: 500 } });
    expect(res.status).toBe(200);
    expect((await json<{ budget: unknown }>(res)).budget).toMatchObject({ maxCostUsd: 1, maxTokens: 500, reservedCostUsd: 0 });
    expect((await t.req("POST", `/v1/rounds/${id}/resume`)).status).toBe(200);
    expect((await t.req("POST", "/v1/rounds/nope/resume", { budget: { maxCostUsd: 5 } })).status).toBe(404);
  });
});
