/**
 * The generator end to end against the simulator (real HTTP through the openai SDK; the app in-process):
 * 50 generated personas, a MATRIX simulation of 50 agents in 5 groups over 3 steps with sim-embed
 * embeddings, a MATRIX-Gen run of every kind, AgentInstruct and Evol runs, publishing through cleaning
 * with planted duplicates and planted benchmark prompts (from /work/shared/data), and a feedback loop:
 * a real target-vs-opponent round where sim-target is weak at math and coding (see /sim/truth) steers
 * the next run's category mix.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBattleWorker } from "../../src/background.js";
import { insertItems } from "../../src/generator/stores/items.js";
import { apportion } from "../../src/generator/algorithms/plan.js";
import { INSTRUCTION_KINDS, READING_COMPREHENSION_TYPES, TRANSFORMATIONS } from "../../src/generator/taxonomy.js";
import { startGeneratorWorker, type GeneratorWorker } from "../../src/generator/engine/worker.js";
import { InstructionAnalyzer } from "../../src/sim/instruction.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, mtBenchItems, type Progress, registerSimModels, SHARED_DATA, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface RunView {
  id: string;
  kind: string;
  status: string;
  stage: string;
  counts: Record<string, number>;
  stages: Record<string, Record<string, number>>;
  items: { total: number; byStatus: Record<string, number>; byKind: Record<string, number>; byCategory: Record<string, number> };
  state: { agents?: number; groupSizes?: number[]; groupingMethod?: string };
  feedback: { from?: { roundId?: string }; weights?: Record<string, number>; adjustments?: Record<string, number> } | null;
}
interface Item {
  id: number;
  kind: string;
  category: string;
  complexity: number | null;
  status: string;
  text: string;
  messages: { role: string; content: string }[];
  metadata: Record<string, unknown>;
  removalReason: string | null;
  collidedWith: Record<string, unknown> | null;
  similarity: number | null;
  instructionId: number | null;
}

const MODEL = "sim-strong";
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 17, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

const readData = (file: string) => readFileSync(resolve(SHARED_DATA, file), "utf8");

describeWithSharedData("the generator over the benchmark prompt sets", () => {
  describeEachDb("generator end to end on $name", (target) => {
    let t: TestApp;
    let worker: GeneratorWorker;
    let simulationId = "";
    let matrixRunId = "";

    const run = async (id: string) => json<RunView>(await t.req("GET", `/v1/generator/runs/${id}`));
    const waitRun = async (id: string, timeoutMs = 90_000): Promise<RunView> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await run(id);
        if (["done", "failed", "cancelled"].includes(v.status)) return v;
        if (Date.now() > deadline) throw new Error(`run ${id} not finished: ${JSON.stringify(v)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const start = async (path: string, body: unknown): Promise<RunView> => {
      const res = await t.req("POST", path, body);
      const out = await json<{ id: string; status: string }>(res);
      expect(res.status, JSON.stringify(out)).toBe(202);
      return waitRun(out.id);
    };
    const allItems = async (id: string, query = ""): Promise<Item[]> =>
      (await json<{ items: Item[] }>(await t.req("GET", `/v1/generator/runs/${id}/items?limit=1000${query}`))).items;

    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, [MODEL, "sim-embed", "sim-target", "sim-coder", "sim-judge-fair"]);
      worker = startGeneratorWorker(t.deps, { concurrency: 16, pollMs: 20 });
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    it("generates 50 personas and simulates 50 agents in 5 groups over 3 steps into scenarios", async () => {
      const personas = await start("/v1/generator/personas/generate", { model: MODEL, count: 50, set: "e2e", seed: 1 });
      expect(personas.status).toBe("done");
      const page = await json<{ items: { name: string; profile: { goal?: string; plan?: string[]; occupation?: string } }[] }>(await t.req("GET", "/v1/generator/personas?set=e2e&limit=100"));
      expect(page.items).toHaveLength(50);
      for (const p of page.items) {
        expect(p.profile.goal?.length).toBeGreaterThan(0);
        expect(p.profile.plan?.length).toBeGreaterThanOrEqual(2);
        expect(p.profile.occupation?.length).toBeGreaterThan(0);
      }

      const simRun = await start("/v1/generator/simulations", { model: MODEL, embeddingModel: "sim-embed", personaSet: "e2e", agents: 50, groups: 5, steps: 3, communication: "grouped", seed: 2 });
      simulationId = simRun.id;
      expect(simRun.status).toBe("done");
      expect(simRun.counts.failed).toBe(0);
      expect(simRun.state.agents).toBe(50);
      expect(simRun.state.groupingMethod).toBe("sim-embed");
      expect(simRun.state.groupSizes).toHaveLength(5);
      expect(simRun.state.groupSizes?.reduce((s, x) => s + x, 0)).toBe(50);
      for (const step of [1, 2, 3]) expect(simRun.stages[`act:${step}`]?.done).toBe(50);

      const routes = await json<{ items: { output: { deliveries: unknown[]; relayed: number } }[] }>(await t.req("GET", `/v1/generator/runs/${simulationId}/tasks?stage=route:1`));
      expect(routes.items[0]?.output.deliveries.length).toBeGreaterThan(0);

      const scen = await json<{ items: { step: number; groupIndex: number; participants: { personaId: number }[]; title: string; events: string[]; summary: string }[] }>(
        await t.req("GET", `/v1/generator/simulations/${simulationId}/scenarios?limit=100`),
      );
      expect(scen.items).toHaveLength(15);
      for (const step of [1, 2, 3]) {
        const ofStep = scen.items.filter((s) => s.step === step);
        expect(new Set(ofStep.map((s) => s.groupIndex)).size).toBe(5);
        expect(new Set(ofStep.flatMap((s) => s.participants.map((p) => p.personaId))).size).toBe(50);
      }
      for (const s of scen.items) {
        expect(s.title.length).toBeGreaterThan(0);
        expect(s.summary.length).toBeGreaterThan(0);
        expect(s.events.length).toBeGreaterThan(0);
      }
    }, 120_000);

    it("runs the no-communication ablation with TF-IDF grouping (no embedding model)", async () => {
      const v = await start("/v1/generator/simulations", { model: MODEL, personaSet: "e2e", agents: 10, groups: 2, steps: 2, communication: "none", seed: 4 });
      expect(v.status).toBe("done");
      expect(v.state.groupingMethod).toBe("tfidf");
      const routes = await json<{ items: { output: { deliveries: unknown[] } }[] }>(await t.req("GET", `/v1/generator/runs/${v.id}/tasks?stage=route:1`));
      expect(routes.items[0]?.output.deliveries).toEqual([]);
      const scen = await json<{ items: unknown[] }>(await t.req("GET", `/v1/generator/simulations/${v.id}/scenarios`));
      expect(scen.items).toHaveLength(4);
    }, 60_000);

    it("writes instructions of every kind, tagged with category and complexity", async () => {
      const v = await start("/v1/generator/runs", { type: "matrix-gen", model: MODEL, simulationId, count: 48, seed: 3 });
      matrixRunId = v.id;
      expect(v.status).toBe("done");
      expect(v.counts.failed).toBe(0);
      expect(v.items.byKind).toEqual(Object.fromEntries(INSTRUCTION_KINDS.map((k) => [k, 8])));
      expect(Object.values(v.items.byCategory)).toEqual(new Array(8).fill(6));
      const items = await allItems(v.id);
      for (const it of items) {
        expect(it.complexity).toBeGreaterThanOrEqual(1);
        expect(it.complexity).toBeLessThanOrEqual(5);
        expect(it.messages.at(-1)?.role).toBe("user");
        expect(it.metadata.scenarioId).toBeTypeOf("number");
      }
      for (const it of items.filter((i) => i.kind === "multi-turn")) {
        // User turns only, to be answered turn by turn (no invented assistant replies).
        expect(it.messages.every((m) => m.role === "user")).toBe(true);
        expect(it.messages.length).toBeGreaterThanOrEqual(2);
        expect(it.messages.length).toBeLessThanOrEqual(3);
      }
      for (const it of items.filter((i) => i.kind === "safety")) expect(["decline", "handle-carefully"]).toContain(it.metadata.expectedBehavior);
      for (const it of items.filter((i) => i.kind === "code")) expect(it.metadata.language).toBeTypeOf("string");
    }, 60_000);

    it("runs AgentInstruct flows (transformation, taxonomy questions, suggester/editor) and Evol rounds", async () => {
      const docs = (JSON.parse(readData("alpaca-eval-prompts.json")) as { output: string }[]).filter((d) => d.output.length > 400).slice(0, 3);
      const seeded = await json<{ inserted: number }>(await t.req("POST", "/v1/generator/seeds?set=e2e", { items: docs.map((d, i) => ({ text: d.output, title: `doc ${i}` })) }));
      expect(seeded.inserted).toBe(3);
      const ai = await start("/v1/generator/runs", { type: "agentinstruct", model: MODEL, seedSet: "e2e", transformationsPerSeed: 2, typesPerText: 2, perCall: 2, refineRounds: 1, seed: 5 });
      expect(ai.status).toBe("done");
      expect(ai.stages.transform?.done).toBe(6);
      expect(ai.stages.questions?.done).toBe(12);
      const items = await allItems(ai.id);
      expect(items.length).toBeGreaterThanOrEqual(12);
      expect(ai.stages["refine:1"]?.done).toBe(items.length);
      for (const it of items) {
        expect(Object.keys(TRANSFORMATIONS)).toContain(it.metadata.transformation);
        expect(Object.keys(READING_COMPREHENSION_TYPES)).toContain(it.metadata.questionType);
        expect(it.complexity).toBe(3);
        expect(it.metadata.refinements).toHaveLength(1);
        expect(it.text).toContain(String(it.metadata.question));
      }

      const evol = await start("/v1/generator/runs", { type: "evol", model: MODEL, fromRun: matrixRunId, rounds: 2, limit: 6, seed: 6 });
      expect(evol.status).toBe("done");
      const evolved = await allItems(evol.id);
      expect(evolved).toHaveLength(6);
      for (const it of evolved) expect(it.metadata.history).toHaveLength(2);
    }, 90_000);

    it("publishing removes planted duplicates and planted benchmark prompts, keeping each with its reason and collision", async () => {
      for (const [name, file, type] of [["mt-bench", "mt-bench-questions.jsonl", "application/x-ndjson"], ["arena-hard", "arena-hard-v0.1-questions.jsonl", "application/x-ndjson"], ["alpaca-eval", "alpaca-eval-prompts.json", "text/plain"]] as const) {
        const res = await t.req("POST", `/v1/benchmarks?name=${name}`, readData(file), { headers: { "content-type": type } });
        expect(res.status).toBe(201);
      }
      const poolText = "Summarise the quarterly budget memo for the volunteer fire brigade in five bullet points.";
      const imported = await json<{ inserted: number }>(await t.req("POST", "/v1/instructions", { items: [{ text: poolText, source: "e2e" }] }));
      expect(imported.inserted).toBe(1);

      const mtFirst = (JSON.parse(readData("mt-bench-questions.jsonl").split("\n")[3] ?? "{}") as { question_id: number; turns: string[] });
      // A prompt of 13+ words: shorter benchmark prompts are matched only as a whole text.
      const arena = readData("arena-hard-v0.1-questions.jsonl")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { uid: string; prompt: string })
        .find((q) => q.prompt.split(/\s+/).length >= 40 && q.prompt.length < 1500) ?? { uid: "", prompt: "" };
      const original = (await allItems(matrixRunId)).find((i) => i.kind === "sft-simple");
      const long =
        "Our neighbourhood association in Krakow wants to turn the empty lot behind the tram depot into a community garden. " +
        "Draft a one-page proposal for the city council that covers soil testing, a rota for watering in summer, a budget " +
        "under four thousand zloty, accessibility for wheelchair users, and how disputes between plot holders will be settled.";
      const planted = [
        { key: "long", text: long },
        { key: "near", text: long.replace("settled.", "resolved fairly.") },
        { key: "exact", text: `  ${(original?.text ?? "").toUpperCase()}  ` },
        { key: "pool", text: poolText },
        { key: "mt", text: mtFirst.turns[0] ?? "" },
        { key: "arena", text: `Please help me with this: ${arena.prompt}` },
      ];
      await insertItems(t.deps.db, matrixRunId, "planted", planted.map((p) => ({ kind: "sft-simple", category: "writing", complexity: 2, messages: [{ role: "user", content: p.text }], metadata: { planted: p.key } })));

      const res = await t.req("POST", `/v1/generator/runs/${matrixRunId}/publish`, {});
      const summary = await json<{ published: number; removed: number; byReason: Record<string, number>; benchmarks: string[] }>(res);
      expect(res.status, JSON.stringify(summary)).toBe(200);
      expect(summary.benchmarks).toEqual(["alpaca-eval", "arena-hard", "mt-bench"]);
      console.log("[e2e] publish", JSON.stringify(summary));

      const items = await allItems(matrixRunId);
      const byKey = new Map(items.filter((i) => i.metadata.planted).map((i) => [String(i.metadata.planted), i]));
      const idOf = (k: string) => byKey.get(k)?.id;
      expect(byKey.get("long")?.status).toBe("published");
      expect(byKey.get("near")).toMatchObject({ status: "removed", removalReason: "near_duplicate", collidedWith: { itemId: idOf("long") } });
      expect(byKey.get("near")?.similarity).toBeGreaterThanOrEqual(0.7);
      expect(byKey.get("exact")).toMatchObject({ status: "removed", removalReason: "exact_duplicate", collidedWith: { itemId: original?.id } });
      expect(byKey.get("pool")?.removalReason).toBe("exact_duplicate");
      expect(byKey.get("pool")?.collidedWith?.instructionId).toBeTypeOf("number");
      expect(byKey.get("mt")).toMatchObject({ status: "removed", removalReason: "contaminated", collidedWith: { benchmark: "mt-bench", promptId: `${mtFirst.question_id}:1` } });
      expect(byKey.get("arena")).toMatchObject({ status: "removed", removalReason: "contaminated", collidedWith: { benchmark: "arena-hard", promptId: arena.uid } });

      const published = items.filter((i) => i.status === "published");
      expect(published.length).toBe(summary.published);
      expect(published.length).toBeGreaterThan(20);
      for (const it of published) expect(it.instructionId).toBeTypeOf("number");
      const pool = await json<{ items: { category: string; source: string; turns: string[] | null; messages: { role: string }[]; metadata: { kind?: string } }[] }>(await t.req("GET", "/v1/instructions?source=generator&limit=1000"));
      expect(pool.items).toHaveLength(published.length);
      // Published multi-turn items are multi-turn instructions: every user turn in `turns`, the first in `messages`.
      const multi = pool.items.filter((i) => i.metadata.kind === "multi-turn");
      expect(multi.length).toBeGreaterThan(0);
      for (const i of multi) {
        expect(i.turns?.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(i.messages.map((m) => m.role)).toEqual(["user"]);
      }
      for (const i of pool.items.filter((x) => x.metadata.kind !== "multi-turn")) expect(i.turns).toBeNull();
    }, 60_000);

    it("a run with feedback shifts the category mix towards the target's weak categories", async () => {
      // Label prompts with the simulator's own category classifier (its ground truth: a model's skill in
      // a category applies to the prompts the simulator puts in it), so the loss rates reflect /sim/truth.
      const truth = sim.truth();
      const preset = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../src/sim/presets/default.json"), "utf8")) as { categories: { name: string; keywords: string[] }[] };
      const analyzer = new InstructionAnalyzer(preset.categories, truth.fallbackCategory);
      const prompts = [...mtBenchItems(80), ...arenaHardItems(160)].map((p) => ({ text: p.text, category: analyzer.classify(p.text), source: "feedback", externalId: p.externalId }));
      expect((await json<{ inserted: number }>(await t.req("POST", "/v1/instructions", { items: prompts }))).inserted).toBe(prompts.length);
      const created = await t.req("POST", "/v1/rounds", { name: "fb", candidates: ["sim-target", "sim-coder"], pairing: "target-vs-opponents", target: "sim-target", judges: ["sim-judge-fair"], instructions: { source: "feedback" } });
      expect(created.status).toBe(202);
      const { id: roundId } = await json<{ id: string }>(created);
      const battleWorker = startBattleWorker(t.deps, "e2e");
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)), 120_000);
      await battleWorker.stop();
      expect(done.status).toBe("done");

      const fb = await json<{ categories: { category: string; weight: number; lossRate: number; battles: number }[]; complexity: { category: string; adjustment: number }[] }>(
        await t.req("GET", `/v1/feedback?roundId=${roundId}`),
      );
      console.log("[e2e] feedback", JSON.stringify(fb.categories.map((c) => [c.category, c.battles, c.lossRate.toFixed(2), c.weight.toFixed(3)])), JSON.stringify(fb.complexity));
      expect(fb.categories).toHaveLength(8);
      expect(fb.categories.reduce((s, c) => s + c.battles, 0)).toBe(prompts.length);
      expect(fb.categories.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
      // The truth: the categories where sim-target trails its opponent the most.
      const gap = (c: string) => (truth.models["sim-target"]?.skills[c] ?? 0) - (truth.models["sim-coder"]?.skills[c] ?? 0);
      const weak = fb.categories.map((c) => c.category).sort((a, b) => gap(a) - gap(b)).slice(0, 2);
      expect(weak.sort()).toEqual(["coding", "math"]);
      const w = Object.fromEntries(fb.categories.map((c) => [c.category, c.weight]));
      for (const c of weak) expect(w[c]).toBeGreaterThan(w.writing ?? 1);
      const weakShare = (w.math ?? 0) + (w.coding ?? 0);
      expect(weakShare).toBeGreaterThan(2 / 8);
      // Where the target loses nearly everything the next instructions get easier; where it wins, harder.
      const adj = Object.fromEntries(fb.complexity.map((c) => [c.category, c.adjustment]));
      expect([adj.math, adj.coding]).toEqual([-1, -1]);
      expect(adj.writing).toBe(1);

      const v = await start("/v1/generator/runs", { type: "matrix-gen", model: MODEL, simulationId, count: 80, seed: 3, feedbackFrom: { roundId } });
      expect(v.status).toBe("done");
      expect(v.feedback?.from?.roundId).toBe(roundId);
      const cats = fb.categories.map((c) => c.category);
      // The plan apportions exactly by the run's weights (the feedback's, over the default taxonomy).
      const want = apportion(80, cats.map((c) => w[c] ?? 0));
      expect(cats.map((c) => v.items.byCategory[c] ?? 0)).toEqual(want);
      const share = ((v.items.byCategory.math ?? 0) + (v.items.byCategory.coding ?? 0)) / 80;
      const baseline = await run(matrixRunId);
      const baseShare = ((baseline.items.byCategory.math ?? 0) + (baseline.items.byCategory.coding ?? 0)) / (baseline.items.total - 6);
      console.log("[e2e] weak-category share", { baseline: baseShare, withFeedback: share });
      expect(share).toBeGreaterThan(baseShare + 0.1);
      expect(v.feedback?.adjustments).toEqual(adj);
      const items = await allItems(v.id);
      const meanComplexity = (c: string) => {
        const xs = items.filter((i) => i.category === c).map((i) => i.complexity ?? 0);
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      expect(meanComplexity("math")).toBeLessThan(meanComplexity("writing"));

      // A target complexity: the feedback's per-category shift applies on top of it (3 - 1 for the weak
      // categories, 3 + 1 for writing), and the write prompts asked for that level.
      const targeted = await start("/v1/generator/runs", { type: "matrix-gen", model: MODEL, simulationId, count: 24, seed: 4, complexity: 3, feedbackFrom: { roundId } });
      expect(targeted.status).toBe("done");
      const tItems = await allItems(targeted.id);
      expect(tItems.length).toBeGreaterThan(0);
      for (const it of tItems) expect(it.complexity).toBe(Math.min(5, Math.max(1, 3 + (adj[it.category] ?? 0))));
      const writes = await json<{ items: { input: { complexity: number; category: string } }[] }>(await t.req("GET", `/v1/generator/runs/${targeted.id}/tasks?stage=write&limit=100`));
      expect(writes.items.length).toBe(24);
      for (const w of writes.items) expect(w.input.complexity).toBe(Math.min(5, Math.max(1, 3 + (adj[w.input.category] ?? 0))));
    }, 240_000);
  });
});
