/**
 * Every write records which key made it (models, rounds, loops and the rounds an iteration starts,
 * generator runs, keys), and only admins can read it: a shared deployment can tell who started the
 * round that spent money without telling every reader who everyone's keys are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

const ADMIN = "admin-key-for-created-by-tests-0123";
let t: TestApp;
let writer = { id: "", key: "" };
let reader = { id: "", key: "" };
let bootstrapId = "";
const made: Record<string, string> = {};

type Json = Record<string, unknown>;
const get = async (path: string, key: string) => json<Json>(await t.req("GET", path, undefined, { key }));

beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: ADMIN });
  writer = await json(await t.req("POST", "/v1/keys", { name: "writer", scopes: ["write"] }, { key: ADMIN }));
  reader = await json(await t.req("POST", "/v1/keys", { name: "reader", scopes: ["read"] }, { key: ADMIN }));
  const keys = (await get("/v1/keys", ADMIN)).items as { id: string; name: string }[];
  bootstrapId = keys.find((k) => k.name.startsWith("bootstrap"))?.id ?? "";
  const w = { key: writer.key };
  for (const name of ["a", "b", "judge"]) expect((await t.req("POST", "/v1/models", { name, provider: "sim", model: "sim-strong" }, w)).status).toBe(201);
  const items = Array.from({ length: 12 }, (_, i) => ({ text: `Question number ${i}: explain item ${i * 7}.`, category: "qa" }));
  expect((await t.req("POST", "/v1/instructions", { items }, w)).status).toBe(200);
  made.round = (await json<{ id: string }>(await t.req("POST", "/v1/rounds", { candidates: ["a", "b"], pairing: "all-pairs", judges: ["judge"] }, w))).id;
  const loop = await t.req("POST", "/v1/loops", { name: "l1", shards: 2, evalHard: 1, evalDiverse: 1 }, w);
  expect(loop.status).toBe(201);
  made.loop = (await json<{ id: string }>(loop)).id;
  const it1 = await t.req("POST", `/v1/loops/${made.loop}/iterations`, { target: "a", opponents: ["b"], judges: ["judge"] }, w);
  expect(it1.status).toBe(202);
  made.iterationRound = (await json<{ roundId: string }>(it1)).roundId;
  const run = await t.req("POST", "/v1/generator/personas/generate", { model: "judge", count: 2 }, w);
  expect(run.status).toBe(202);
  made.run = (await json<{ id: string }>(run)).id;
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

describe("createdBy", () => {
  const reads: { what: string; path: () => string }[] = [
    { what: "model", path: () => "/v1/models/a" },
    { what: "round", path: () => `/v1/rounds/${made.round}` },
    { what: "round an iteration started", path: () => `/v1/rounds/${made.iterationRound}` },
    { what: "loop", path: () => `/v1/loops/${made.loop}` },
    { what: "generator run", path: () => `/v1/generator/runs/${made.run}` },
  ];
  for (const tc of reads) {
    it(`an admin sees which key made the ${tc.what}`, async () => {
      expect((await get(tc.path(), ADMIN)).createdBy).toBe(writer.id);
    });
    it(`read and write keys do not see it on the ${tc.what}`, async () => {
      expect(await get(tc.path(), reader.key)).not.toHaveProperty("createdBy");
      expect(await get(tc.path(), writer.key)).not.toHaveProperty("createdBy");
    });
  }

  it("lists carry it for admins only", async () => {
    const adminModels = (await get("/v1/models", ADMIN)).items as Json[];
    expect(adminModels.map((m) => m.createdBy)).toEqual([writer.id, writer.id, writer.id]);
    expect(((await get("/v1/models", reader.key)).items as Json[]).some((m) => "createdBy" in m)).toBe(false);
    const rounds = (await get("/v1/rounds", ADMIN)).items as Json[];
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds.every((r) => r.createdBy === writer.id)).toBe(true);
    expect(((await get("/v1/rounds", writer.key)).items as Json[]).some((r) => "createdBy" in r)).toBe(false);
    const runs = (await get("/v1/generator/runs", ADMIN)).items as Json[];
    expect(runs.map((r) => r.createdBy)).toEqual([writer.id]);
  });

  it("keys record the admin key that created them", async () => {
    const keys = (await get("/v1/keys", ADMIN)).items as { id: string; createdBy: string | null }[];
    expect(keys.find((k) => k.id === writer.id)?.createdBy).toBe(bootstrapId);
    expect(keys.find((k) => k.id === reader.id)?.createdBy).toBe(bootstrapId);
    expect(keys.find((k) => k.id === bootstrapId)?.createdBy).toBeNull();
  });

  it("an update does not rewrite who created the model", async () => {
    expect((await t.req("PATCH", "/v1/models/a", { rpm: 5 }, { key: ADMIN })).status).toBe(200);
    expect((await get("/v1/models/a", ADMIN)).createdBy).toBe(writer.id);
  });
});
