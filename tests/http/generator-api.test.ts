/**
 * The generator's HTTP surface in-process (no simulator): request validation naming the field,
 * 404s, persona and seed imports, benchmark upload and /v1/clean against the real MT-Bench file,
 * and /v1/feedback over battles planted in the database with values worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { battles, judgments, rounds } from "../../db/schema/index.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, readSharedData } from "../helpers/arena.js";
import { betaQuantile } from "../../src/generator/algorithms/beta.js";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }));
  await t.req("POST", "/v1/models", { name: "gen", provider: "sim", model: "sim-strong" });
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

const message = async (res: Response) => (await json<{ error: { message: string } }>(res)).error.message;

describe("generator request errors", () => {
  const cases: { name: string; method: string; path: string; body?: unknown; status: number; mentions: string }[] = [
    { name: "unknown run type", method: "POST", path: "/v1/generator/runs", body: { type: "magic", model: "gen" }, status: 400, mentions: "type" },
    { name: "matrix-gen without a source", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen" }, status: 400, mentions: "simulationId" },
    { name: "unregistered model", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "ghost", simulationId: "s" }, status: 400, mentions: "model: model 'ghost' is not registered" },
    { name: "unknown simulation", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "nope" }, status: 400, mentions: "simulationId" },
    { name: "unknown kind", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", kinds: { poetry: 1 } }, status: 400, mentions: "kinds" },
    { name: "feedback from round and iteration", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", feedbackFrom: { roundId: "a", iterationId: "b" } }, status: 400, mentions: "feedbackFrom" },
    { name: "complexity level out of range", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", complexity: 6 }, status: 400, mentions: "complexity" },
    { name: "complexity distribution without weight", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", complexity: { distribution: { "2": 0 } } }, status: 400, mentions: "complexity" },
    { name: "complexity distribution on level 7", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", complexity: { distribution: { "7": 1 } } }, status: 400, mentions: "complexity" },
    { name: "complexity for an unknown kind", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", complexity: { poetry: 3 } }, status: 400, mentions: "complexity" },
    { name: "complexity for a kind the run does not write", method: "POST", path: "/v1/generator/runs", body: { type: "matrix-gen", model: "gen", simulationId: "s", kinds: { code: 1 }, complexity: { safety: 3 } }, status: 400, mentions: "complexity: names a kind the run does not write" },
    { name: "agentinstruct without seeds", method: "POST", path: "/v1/generator/runs", body: { type: "agentinstruct", model: "gen" }, status: 400, mentions: "seedSet" },
    { name: "unknown transformation", method: "POST", path: "/v1/generator/runs", body: { type: "agentinstruct", model: "gen", transformations: ["limerick"] }, status: 400, mentions: "transformations" },
    { name: "evol from an unknown run", method: "POST", path: "/v1/generator/runs", body: { type: "evol", model: "gen", fromRun: "nope" }, status: 400, mentions: "fromRun" },
    { name: "more groups than agents", method: "POST", path: "/v1/generator/simulations", body: { model: "gen", agents: 3, groups: 4 }, status: 400, mentions: "groups" },
    { name: "bad communication mode", method: "POST", path: "/v1/generator/simulations", body: { model: "gen", communication: "telepathy" }, status: 400, mentions: "communication" },
    { name: "too few personas", method: "POST", path: "/v1/generator/simulations", body: { model: "gen", personaSet: "empty", agents: 5, groups: 2 }, status: 400, mentions: "agents: persona set 'empty' has 0 personas" },
    { name: "unregistered embedding model", method: "POST", path: "/v1/generator/simulations", body: { model: "gen", embeddingModel: "ghost" }, status: 400, mentions: "embeddingModel" },
    { name: "persona count 0", method: "POST", path: "/v1/generator/personas/generate", body: { model: "gen", count: 0 }, status: 400, mentions: "count" },
    { name: "unknown run", method: "GET", path: "/v1/generator/runs/nope", status: 404, mentions: "run 'nope'" },
    { name: "unknown simulation", method: "GET", path: "/v1/generator/simulations/nope/scenarios", status: 404, mentions: "simulation 'nope'" },
    { name: "publish an unknown run", method: "POST", path: "/v1/generator/runs/nope/publish", body: {}, status: 404, mentions: "run 'nope'" },
    { name: "feedback without a source", method: "GET", path: "/v1/feedback", status: 400, mentions: "roundId" },
    { name: "feedback for an unknown round", method: "GET", path: "/v1/feedback?roundId=nope", status: 404, mentions: "round 'nope'" },
    { name: "feedback for an unknown iteration", method: "GET", path: "/v1/feedback?iterationId=nope", status: 404, mentions: "iteration 'nope'" },
  ];
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.status}`, async () => {
      const res = await t.req(tc.method, tc.path, tc.body);
      expect(res.status).toBe(tc.status);
      expect(await message(res)).toContain(tc.mentions);
    });
  }

  it("started no run for any rejected request", async () => {
    expect((await json<{ items: unknown[] }>(await t.req("GET", "/v1/generator/runs"))).items).toEqual([]);
  });

  it("describes the generator routes in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await t.req("GET", "/openapi.json"));
    for (const p of ["/v1/generator/runs", "/v1/generator/runs/{id}/publish", "/v1/generator/simulations", "/v1/generator/personas/import", "/v1/generator/seeds", "/v1/benchmarks", "/v1/clean", "/v1/feedback"]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});

describe("imports", () => {
  it("imports personas from JSONL, rejecting a line without a plan and skipping a repeated externalId", async () => {
    const lines = [
      JSON.stringify({ name: "Ada", goal: "open a bakery", plan: ["find a lease"], externalId: "p1" }),
      JSON.stringify({ name: "Bo", goal: "run a marathon" }),
      JSON.stringify({ name: "Cy", goal: "learn Polish", plan: ["enrol", "practise"], occupation: "nurse" }),
      JSON.stringify({ name: "Ada again", goal: "x", plan: ["y"], externalId: "p1" }),
    ].join("\n");
    const res = await t.req("POST", "/v1/generator/personas/import?set=imp", lines, { headers: { "content-type": "application/x-ndjson" } });
    const body = await json<{ inserted: number; duplicates: number; rejected: { index: number; reason: string }[] }>(res);
    expect(body.inserted).toBe(2);
    expect(body.duplicates).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, reason: expect.stringContaining("plan") }]);
    const list = await json<{ items: { name: string; source: string }[] }>(await t.req("GET", "/v1/generator/personas?set=imp"));
    expect(list.items.map((p) => [p.name, p.source])).toEqual([
      ["Ada", "imported"],
      ["Cy", "imported"],
    ]);
  });

  it("imports seed documents, rejecting short ones and skipping exact duplicates", async () => {
    const text = "A long enough seed document about municipal composting programmes and their costs.";
    const res = await t.req("POST", "/v1/generator/seeds?set=s1", { items: [{ text }, { text: "too short" }, { text: `  ${text}` }] });
    expect(await json(res)).toEqual({ inserted: 1, duplicates: 1, rejected: [{ index: 1, reason: expect.stringContaining("text") }] });
  });
});

describeWithSharedData("benchmarks and /v1/clean", () => {
  // Read in a hook, not at collection, so a checkout without ../shared/data registers these as skipped.
  let mtBench = "";
  beforeAll(() => {
    mtBench = readSharedData("mt-bench-questions.jsonl");
  });
  it("uploads MT-Bench with its format detected (one prompt per turn), lists and deletes sets", async () => {
    const res = await t.req("POST", "/v1/benchmarks?name=mt", mtBench, { headers: { "content-type": "application/x-ndjson" } });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ name: "mt", format: "mt-bench", prompts: 160 });
    const other = await t.req("POST", "/v1/benchmarks?name=tmp&format=mt-bench", mtBench.split("\n")[0] ?? "", { headers: { "content-type": "text/plain" } });
    expect(other.status).toBe(201);
    expect((await json<{ items: { name: string }[] }>(await t.req("GET", "/v1/benchmarks"))).items.map((s) => s.name)).toEqual(["mt", "tmp"]);
    expect((await t.req("DELETE", "/v1/benchmarks/tmp")).status).toBe(204);
    expect((await t.req("DELETE", "/v1/benchmarks/tmp")).status).toBe(404);
  });

  const bad = [
    { name: "undetectable format", query: "name=x", body: () => "hello", mentions: "format" },
    { name: "wrong format named", query: "name=x&format=arena-hard", body: () => mtBench, mentions: "line 1" },
    { name: "bad set name", query: "name=%20x", body: () => mtBench, mentions: "name" },
  ];
  for (const tc of bad) {
    it(`rejects an upload with ${tc.name}`, async () => {
      const res = await t.req("POST", `/v1/benchmarks?${tc.query}`, tc.body(), { headers: { "content-type": "text/plain" } });
      expect(res.status).toBe(400);
      expect(await message(res)).toContain(tc.mentions);
    });
  }

  it("cleans posted texts: exact and near duplicates, contamination and short texts, naming what they collided with", async () => {
    const first = JSON.parse(mtBench.split("\n")[0] ?? "{}") as { question_id: number; turns: string[] };
    const long = "Plan a three day cycling trip along the Danube for two beginners, with distances per day, where to sleep, what to pack, and a fallback for rain.";
    const body = {
      items: [
        { id: "a", text: long },
        { id: "b", text: long.toUpperCase() },
        { id: "c", text: long.replace("for rain.", "for heavy rain.") },
        { id: "d", text: first.turns[0] },
        { id: "e", text: "hi" },
      ],
    };
    const out = await json<{ kept: string[]; removed: { id: string; reason: string; collidedWith?: unknown }[]; benchmarks: string[] }>(await t.req("POST", "/v1/clean", body));
    expect(out.kept).toEqual(["a"]);
    expect(out.benchmarks).toEqual(["mt"]);
    expect(out.removed).toEqual([
      expect.objectContaining({ id: "b", reason: "exact_duplicate", collidedWith: { id: "a" } }),
      expect.objectContaining({ id: "c", reason: "near_duplicate", collidedWith: { id: "a" } }),
      expect.objectContaining({ id: "d", reason: "contaminated", collidedWith: { benchmark: "mt", promptId: `${first.question_id}:1` } }),
      expect.objectContaining({ id: "e", reason: "too_short" }),
    ]);
  });
});

describe("GET /v1/feedback over planted battles", () => {
  beforeAll(async () => {
    const db = t.deps.db;
    const round = (id: string, target: string | null) => ({ id, status: "done", pairing: target ? "target-vs-opponents" : "all-pairs", target, candidates: ["T", "O"], judges: ["j"], iterationId: "it-1" });
    await db.insert(rounds).values([round("r1", "T"), round("r2", null)]);
    // The target T as model A and as model B; outcomes and judge scores are model A's share.
    const planted = [
      { modelA: "T", modelB: "O", outcome: 0, margin: 1, category: "math", games: [0, 0] },
      { modelA: "O", modelB: "T", outcome: 1, margin: 1, category: "math", games: [1, 1] },
      { modelA: "T", modelB: "O", outcome: 0.5, margin: 0, category: "math", games: [1, 0] },
      { modelA: "O", modelB: "T", outcome: 0, margin: 1, category: "writing", games: [0, 0.25] },
      { modelA: "T", modelB: "O", outcome: 1, margin: 1, category: "writing", games: [] },
    ];
    for (const [i, b] of planted.entries()) {
      const [row] = await db.insert(battles).values({ roundId: "r1", modelA: b.modelA, modelB: b.modelB, status: "done", outcome: b.outcome, margin: b.margin, category: b.category, externalId: `b${i}` }).returning({ id: battles.id });
      const battleId = row?.id ?? 0;
      const games = b.games.map((score, k) => ({ battleId, judge: "j", order: k === 0 ? "AB" : "BA", promptVersion: "v", valid: true, score }));
      if (games.length > 0) await db.insert(judgments).values(games);
    }
    // Neither a failed battle, nor one of the target-less round, nor an invalid game counts.
    await db.insert(battles).values([
      { roundId: "r1", modelA: "T", modelB: "O", status: "failed", category: "writing", externalId: "f1" },
      { roundId: "r2", modelA: "T", modelB: "O", status: "done", outcome: 0, margin: 1, category: "writing", externalId: "f2" },
    ]);
  });

  // math: target shares 0, 0, 0.5 -> loss (1 + 1 + 0.5) / 3; writing: 1, 1 -> loss 0; overall 2.5 / 5 = 0.5.
  // The fitted prior: mean (2.5 + 0.5) / 6 = 0.5; the spread gives a strength below 5, clamped to 5.
  // smoothed (5 pseudo-battles at 0.5): math 5 / 8, writing 2.5 / 7; squared and normalised, 90% + 5%.
  const sm = 5 / 8;
  const sw = 2.5 / 7;
  const total = sm ** 2 + sw ** 2;
  const expected = {
    math: { lossRate: 2.5 / 3, weight: 0.9 * (sm ** 2 / total) + 0.05, battles: 3, informativeness: 2 / 3, judgeAgreement: 2 / 3 },
    writing: { lossRate: 0, weight: 0.9 * (sw ** 2 / total) + 0.05, battles: 2, informativeness: 1, judgeAgreement: 1 },
  };

  for (const query of ["roundId=r1", "iterationId=it-1"]) {
    it(`computes per-category loss rate, informativeness, agreement and weight (${query})`, async () => {
      const res = await t.req("GET", `/v1/feedback?${query}`);
      expect(res.status).toBe(200);
      const fb = await json<{ rounds: string[]; targets: string[]; categories: Record<string, number | string | null>[]; complexity: { category: string; adjustment: number }[] }>(res);
      expect(fb.rounds).toEqual(["r1"]);
      expect(fb.targets).toEqual(["T"]);
      expect(fb.categories.map((c) => c.category)).toEqual(["math", "writing"]);
      for (const c of fb.categories) {
        const want = expected[c.category as "math" | "writing"];
        for (const [k, v] of Object.entries(want)) expect(c[k], `${String(c.category)}.${k}`).toBeCloseTo(v, 12);
      }
      expect(fb.complexity.map((c) => c.adjustment)).toEqual([0, 0]);
      // Intervals: math's posterior is Beta(2.5 + 2.5, 2.5 + 0.5), writing's Beta(2.5, 4.5).
      const [math, writing] = fb.categories;
      expect(math?.lossRateLow).toBeCloseTo(betaQuantile(0.025, 5, 3), 12);
      expect(math?.lossRateHigh).toBeCloseTo(betaQuantile(0.975, 5, 3), 12);
      expect(writing?.lossRateLow).toBeCloseTo(betaQuantile(0.025, 2.5, 4.5), 12);
      for (const c of fb.categories) {
        expect(Number(c.weightLow)).toBeLessThan(Number(c.weight));
        expect(Number(c.weightHigh)).toBeGreaterThan(Number(c.weight));
      }
    });
  }

  it("answers 422 for a round without a target", async () => {
    const res = await t.req("GET", "/v1/feedback?roundId=r2");
    expect(res.status).toBe(422);
    expect(await message(res)).toContain("target");
  });
});
