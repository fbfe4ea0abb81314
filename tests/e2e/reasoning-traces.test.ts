/**
 * Reasoning traces end to end over real HTTP through the openai SDK against the simulator's
 * reasoning models (sim-reasoner: `reasoning_content` + reasoning_tokens; sim-thinker-inline:
 * `<think>` in the content; sim-judge-reasoner: OpenRouter's `reasoning` field; sim-judge-thinker:
 * inline, its trace weighing a first-impression verdict it does not give). On both drivers:
 * traces stored apart from answers with their tokens, judge prompts free of traces (unless the round
 * asks for them), verdicts parsed from the judge's final answer only, style features of final answers,
 * a trace cut at max_tokens failing its battle with the reason, the cache keeping the trace, and
 * exports with final answers by default and <think> blocks with traces=keep.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWorker } from "../../battles/worker.js";
import { battles, judgments, responses } from "../../db/schema/index.js";
import { parsePairwiseVerdict } from "../../judges/index.js";
import { withThinkBlock } from "../../lib/reasoning-trace.js";
import { styleFeatures } from "../../reports/style-features.js";
import { createModelCaller } from "../../src/services/model-caller.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 13, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

type Msg = { role: string; content: string };

describeEachDb("reasoning traces on $name", (target) => {
  let t: TestApp;
  let worker: ReturnType<typeof startWorker>;
  /** Every judge prompt the worker sent, as the gateway received it. */
  const judgePrompts: string[] = [];
  beforeAll(async () => {
    t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, ["sim-weak", "sim-reasoner", "sim-thinker-inline", "sim-judge-thinker", "sim-judge-reasoner", "sim-judge-fair"], { reasoning: {} });
    // The same reasoning model with a max_tokens its trace cannot fit in.
    expect((await t.req("POST", "/v1/models", { name: "sim-reasoner-short", provider: "sim", model: "sim-reasoner", params: { maxTokens: 8 }, reasoning: {} })).status).toBe(201);
    await importItems(t, [
      { text: "Explain how photosynthesis works in plants.", category: "science" },
      { text: "Write a short poem about the sea at night.", category: "writing" },
      { text: "How do I reverse a linked list in Python?", category: "coding" },
      { text: "What causes the seasons on Earth?", category: "science" },
    ]);
    // The real caller (real HTTP to the simulator), with the judges' prompts written down on the way.
    const caller = createModelCaller(t.deps.db, t.deps.gateway);
    const llm = {
      ...caller,
      chat: (name: string, req: Parameters<typeof caller.chat>[1]) => {
        if (req.purpose === "judge") judgePrompts.push(req.messages.map((m) => m.content).join("\n"));
        return caller.chat(name, req);
      },
    };
    worker = startWorker({ db: t.deps.db, llm, owner: "reasoning-test", concurrency: 8, leaseMs: 30_000, log: t.deps.logger, style: (text) => ({ ...styleFeatures(text) }) });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const runRound = async (body: Record<string, unknown>): Promise<string> => {
    const created = await t.req("POST", "/v1/rounds", body);
    expect(created.status).toBe(202);
    const { id } = await json<{ id: string }>(created);
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 120_000, (p) => p.counts.pending === 0 && ["done", "failed", "cancelled"].includes(p.status));
    expect(["done", "failed"]).toContain(done.status);
    return id;
  };
  let roundId = "";
  const mainRound = () => ({ candidates: ["sim-weak", "sim-reasoner", "sim-thinker-inline"], pairing: "target-vs-opponents", target: "sim-weak", judges: ["sim-judge-thinker", "sim-judge-reasoner"] });

  it("stores each answer's trace apart from it, with its reasoning tokens", async () => {
    roundId = await runRound({ ...mainRound(), name: "traces" });
    const rows = await t.deps.db.select().from(responses).where(eq(responses.roundId, roundId));
    expect(rows).toHaveLength(12);
    for (const r of rows) {
      expect(r.text, r.model).not.toMatch(/<\/?think>|Let me think|I need to work through|restate the problem/);
      if (r.model === "sim-weak") {
        expect([r.trace, r.traceStatus, r.reasoningTokens]).toEqual([null, "none", 0]);
        continue;
      }
      expect(r.traceStatus, r.model).toBe("closed");
      expect(r.trace?.length ?? 0).toBeGreaterThan(20);
      expect(r.text.length).toBeGreaterThan(20);
      expect(r.reasoningTokens).toBeGreaterThan(0);
      expect(r.reasoningTokens).toBeLessThan(r.completionTokens);
    }
  });

  it("shows judges final answers only, and parses verdicts from the judge's final answer, never its trace", async () => {
    const traces = (await t.deps.db.select({ trace: responses.trace }).from(responses).where(eq(responses.roundId, roundId))).map((r) => r.trace).filter((x): x is string => x !== null);
    // 4 instructions x 2 battles x 2 judges x 2 orders.
    expect(judgePrompts.length).toBeGreaterThanOrEqual(32);
    for (const p of judgePrompts) for (const tr of traces) expect(p.includes(tr)).toBe(false);
    const js = await t.deps.db.select().from(judgments).innerJoin(battles, eq(battles.id, judgments.battleId)).where(eq(battles.roundId, roundId));
    expect(js).toHaveLength(32);
    for (const { judgments: j } of js) {
      expect(j.rawText ?? "").not.toContain("My first impression");
      expect(j.trace ?? "").toContain("My first impression: [[");
      expect(j.reasoningTokens).toBeGreaterThan(0);
      expect(j.verdict).toBe(parsePairwiseVerdict(j.rawText ?? ""));
      // The first impression is a different label: it would have been the verdict had the trace been read.
      const decoy = /My first impression: \[\[([^\]]+)\]\]/.exec(j.trace ?? "")?.[1];
      if (j.valid) expect(j.verdict).not.toBe(decoy);
    }
    expect(js.filter((x) => x.judgments.valid).length).toBeGreaterThanOrEqual(24);
  });

  it("records a judge whose final answer has no verdict as invalid, though its trace holds one", async () => {
    const config = (faults: unknown) => fetch(`${sim.url}/sim/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults }) });
    expect((await config({ perModel: { "sim-judge-thinker": { invalidVerdict: 1 } } })).status).toBe(200);
    try {
      // A pair the first round did not judge, so no cached verdict answers for the judge.
      const id = await runRound({ candidates: ["sim-reasoner", "sim-thinker-inline"], pairing: "all-pairs", judges: ["sim-judge-thinker"], instructions: { limit: 2 }, invalidRetries: 0 });
      const js = await t.deps.db.select().from(judgments).innerJoin(battles, eq(battles.id, judgments.battleId)).where(eq(battles.roundId, id));
      expect(js).toHaveLength(4);
      for (const { judgments: j } of js) {
        expect([j.valid, j.verdict]).toEqual([false, null]);
        // The whole reply (trace and answer) would have parsed: the trace's first impression is a label.
        expect(parsePairwiseVerdict(`${j.trace ?? ""}\n${j.rawText ?? ""}`)).not.toBeNull();
      }
    } finally {
      await config({});
    }
  });

  it("computes style features on final answers", async () => {
    const bs = await t.deps.db.select().from(battles).where(eq(battles.roundId, roundId));
    const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, roundId));
    for (const b of bs) {
      const a = rs.find((r) => r.model === b.modelA && r.instructionId === b.instructionId);
      expect(b.styleA).toEqual({ ...styleFeatures(a?.text ?? "missing") });
    }
  });

  it("shows judges the traces when the round asks for it", async () => {
    judgePrompts.length = 0;
    const id = await runRound({ ...mainRound(), judges: ["sim-judge-fair"], instructions: { limit: 1 }, judgeSeesTraces: true });
    const [ra] = await t.deps.db.select().from(responses).where(and(eq(responses.roundId, id), eq(responses.model, "sim-reasoner")));
    expect(ra?.trace).toBeTruthy();
    expect(judgePrompts.length).toBe(4);
    expect(judgePrompts.filter((p) => p.includes(ra?.trace ?? "\u0000"))).toHaveLength(2);
  });

  it("records a trace cut at max_tokens as unclosed and fails the battle saying why", async () => {
    const id = await runRound({ candidates: ["sim-weak", "sim-reasoner-short"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { limit: 2 } });
    const [short] = await t.deps.db.select().from(responses).where(and(eq(responses.roundId, id), eq(responses.model, "sim-reasoner-short")));
    expect(short?.text).toBe("");
    expect(short?.traceStatus).toBe("unclosed");
    expect(short?.trace).toMatch(/\S/);
    expect(short?.completionTokens).toBeGreaterThan(0);
    const bs = await t.deps.db.select().from(battles).where(eq(battles.roundId, id));
    expect(bs.map((b) => [b.status, b.errorKind])).toEqual(bs.map(() => ["failed", "unclosed_trace"]));
    expect(bs[0]?.error).toMatch(/reasoning trace never closed.*max_tokens/);
    const js = await t.deps.db.execute(sql`select count(*)::int as n from judgments j join battles b on b.id = j.battle_id where b.round_id = ${id}`);
    expect(Number(((Array.isArray(js) ? js : (js as { rows: unknown[] }).rows)[0] as { n: number }).n)).toBe(0);
  });

  it("keeps the trace in the response cache", async () => {
    const body = { messages: [{ role: "user", content: "Why is the sky blue?" }] };
    const first = await json<{ text: string; trace: string | null; cached: boolean; usage: { reasoningTokens: number } }>(await t.req("POST", "/v1/models/sim-reasoner/chat", body));
    const again = await json<typeof first>(await t.req("POST", "/v1/models/sim-reasoner/chat", body));
    expect(first.cached).toBe(false);
    expect(first.trace).toBeTruthy();
    expect(first.usage.reasoningTokens).toBeGreaterThan(0);
    expect(again).toMatchObject({ cached: true, text: first.text, trace: first.trace, usage: { reasoningTokens: first.usage.reasoningTokens } });
  });

  it("exports final answers by default and <think> blocks with traces=keep, and the card says which", async () => {
    const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, roundId));
    const lines = async (path: string) => (await (await t.req("GET", path)).text()).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
    const sftDefault = await lines(`/v1/exports/sft?format=messages&roundId=${roundId}`);
    const sftKeep = await lines(`/v1/exports/sft?format=messages&roundId=${roundId}&traces=keep`);
    expect(sftDefault.length).toBeGreaterThan(0);
    expect(sftKeep).toHaveLength(sftDefault.length);
    const last = (l: Record<string, unknown>) => ((l.messages as Msg[]).at(-1)?.content ?? "");
    for (const [i, l] of sftDefault.entries()) {
      const answer = rs.find((r) => r.text === last(l));
      expect(answer, last(l)).toBeDefined();
      expect(last(l)).not.toContain("<think>");
      expect(last(sftKeep[i] ?? {})).toBe(withThinkBlock(answer?.text ?? "", answer?.trace ?? null));
      expect(last(sftKeep[i] ?? {})).toMatch(/^<think>\n/);
    }
    const dpoKeep = await lines(`/v1/exports/dpo?format=trl&roundId=${roundId}&traces=keep`);
    expect(dpoKeep.length).toBeGreaterThan(0);
    for (const l of dpoKeep) {
      const [chosen] = l.chosen as Msg[];
      const [rejected] = l.rejected as Msg[];
      const traced = [chosen, rejected].filter((m) => m?.content.startsWith("<think>\n"));
      expect(traced.length).toBeGreaterThanOrEqual(1);
    }
    const dpoDefault = await (await t.req("GET", `/v1/exports/dpo?format=trl&roundId=${roundId}`)).text();
    expect(dpoDefault).not.toContain("<think>");
    const card = async (q: string) => (await t.req("GET", `/v1/exports/sft/card?roundId=${roundId}${q}`)).text();
    expect(await card("")).toContain("Reasoning traces: dropped");
    expect(await card("&traces=keep")).toContain("Reasoning traces: kept");
    expect((await t.req("GET", `/v1/exports/sft?traces=maybe`)).status).toBe(400);
  });

  it("refuses a reasoning option it cannot use, naming the field", async () => {
    const res = await t.req("POST", "/v1/models", { name: "bad-tags", provider: "sim", model: "sim-reasoner", reasoning: { tags: [["<t>", "<t>"]] } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("reasoning");
    const listed = await json<{ items: { name: string; reasoning: unknown }[] }>(await t.req("GET", "/v1/models"));
    expect(listed.items.find((m) => m.name === "sim-reasoner")?.reasoning).toEqual({});
    expect(listed.items.find((m) => m.name === "sim-reasoner-short")?.reasoning).toEqual({});
  });
});
