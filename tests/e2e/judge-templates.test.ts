/**
 * Rounds judged by templates users write, over real HTTP through the openai SDK to the simulator: one
 * template of each output kind (pairwise labels, pairwise JSON schema, single 1-10 rating, single JSON
 * schema). Each template lays the prompt out with its own tags, which the simulated judge reads; every
 * judgment is recorded under the template's name@1, pairwise games are played in both orders, the
 * verdict is read the template's way, and the stronger model comes out ahead. The built-in single and
 * JSON templates run through the same path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

const PAIR = "Rubric: correct, complete, clear.\n<question>{{question}}</question>\n<answer_a>{{answer_a}}</answer_a>\n<answer_b>{{answer_b}}</answer_b>";
const ONE = "Policy: helpful and accurate.\n<conversation>{{conversation}}</conversation>\n<answer>{{answer}}</answer>";
const TEMPLATES = [
  { name: "rubric-labels", mode: "pairwise", systemPrompt: "Compare the answers. End with [[A>>B]], [[A>B]], [[A=B]], [[B>A]] or [[B>>A]].", userTemplate: PAIR, output: { kind: "labels" } },
  {
    name: "rubric-json",
    mode: "pairwise",
    systemPrompt: "Compare the answers and say which is better.",
    userTemplate: PAIR,
    output: { kind: "json", verdictField: "winner", schema: { type: "object", properties: { reasoning: { type: "string" }, winner: { type: "string", enum: ["A", "B", "tie"] } }, required: ["reasoning", "winner"], additionalProperties: false } },
  },
  { name: "policy-rating", mode: "single", systemPrompt: 'Grade the answer 1-10 and end with "Rating: [[N]]".', userTemplate: ONE, output: { kind: "rating" } },
  {
    name: "policy-json",
    mode: "single",
    systemPrompt: "Grade the answer from 1 to 10.",
    userTemplate: ONE,
    output: { kind: "json", verdictField: "score", schema: { type: "object", properties: { comment: { type: "string" }, score: { type: "integer", minimum: 1, maximum: 10 } }, required: ["comment", "score"] } },
  },
] as const;

const ITEMS = [
  { text: "Explain how photosynthesis turns light into chemical energy.", category: "science" },
  { text: "What is 17 times 23? Show the steps.", category: "math" },
  { text: "Write a Python function that checks whether a string is a palindrome.", category: "code" },
  { text: "Give three tips for a good night's sleep and say why each works.", category: "general" },
  { text: "Summarise the causes of the French Revolution.", category: "history" },
  { text: "How does a hash table handle collisions?", category: "code" },
];

type Battle = { modelA: string; modelB: string; outcome: number | null; judgments: { order: string; promptVersion: string; verdict: string | null; valid: boolean; rawText: string | null }[] };

let sim: Simulator;
let t: TestApp;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, latency: { kind: "fixed", ms: 1 } });
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
  await registerSimModels(t, ["sim-strong", "sim-weak", "sim-judge-fair"]);
  await importItems(t, ITEMS);
  for (const body of TEMPLATES) expect((await t.req("POST", "/v1/judge-templates", body)).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await t?.deps.dbHandle.close();
  await sim?.close();
});

async function runRound(template: { name: string; mode: string }, recorded = `${template.name}@1`): Promise<Battle[]> {
  const body = { candidates: ["sim-strong", "sim-weak"], pairing: "all-pairs", judges: ["sim-judge-fair"], judgeMode: template.mode, promptVersion: template.name, instructions: { limit: ITEMS.length } };
  const created = await t.req("POST", "/v1/rounds", body);
  expect(created.status).toBe(202);
  const { id } = await json<{ id: string }>(created);
  const worker = startBattleWorker(t.deps, "test");
  const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
  await worker.stop();
  expect(done).toMatchObject({ status: "done", promptVersion: recorded });
  return (await json<{ items: Battle[] }>(await t.req("GET", `/v1/battles?roundId=${id}`))).items;
}

/** Model sim-strong's mean share over the battles. */
const strongShare = (items: Battle[]) => items.reduce((s, b) => s + (b.modelA === "sim-strong" ? (b.outcome ?? 0.5) : 1 - (b.outcome ?? 0.5)), 0) / items.length;

describe("rounds judged by user templates of every output kind", () => {
  for (const template of TEMPLATES) {
    it(`${template.name} (${template.mode}, ${template.output.kind})`, async () => {
      const items = await runRound(template);
      expect(items).toHaveLength(ITEMS.length);
      const orders = template.mode === "pairwise" ? ["AB", "BA"] : ["A", "B"];
      for (const b of items) {
        expect(b.judgments.map((j) => j.order).sort()).toEqual(orders);
        for (const j of b.judgments) {
          expect(j).toMatchObject({ promptVersion: `${template.name}@1`, valid: true });
          if (template.mode === "pairwise") expect(["A>>B", "A>B", "A=B", "B>A", "B>>A"]).toContain(j.verdict);
          else expect(Number(j.verdict)).toBeGreaterThanOrEqual(1);
          // The simulated judge read the template's tags: a JSON reply carries the schema's fields,
          // a text reply its rationale on the answers (a judge that missed them would answer as a candidate).
          if (template.output.kind === "json") expect(Object.keys(JSON.parse(j.rawText ?? "{}") as object).sort()).toEqual(Object.keys(template.output.schema.properties).sort());
          else expect(j.rawText).toMatch(/addresses \d+ of \d+ key points/);
        }
      }
      expect(strongShare(items)).toBeGreaterThan(0.5);
    }, 120_000);
  }
});

describe("the built-ins still judge through the same path", () => {
  for (const b of [{ name: "mt-bench-single@1", mode: "single" }, { name: "arena-hard-v2-json@1", mode: "pairwise" }]) {
    it(b.name, async () => {
      const items = await runRound(b, b.name);
      for (const battle of items) for (const j of battle.judgments) expect(j).toMatchObject({ promptVersion: b.name, valid: true });
      expect(strongShare(items)).toBeGreaterThan(0.5);
    }, 120_000);
  }
});
