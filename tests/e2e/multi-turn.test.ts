/**
 * Multi-turn battles end to end over real HTTP through the openai SDK against the simulator, on both
 * drivers: MT-bench's two-turn questions imported with `turns`, each candidate answering turn by turn
 * with its own first answer in the second request (checked from the llm_cache row of that exact
 * request), every turn stored, judges deciding on whole conversations with the multi-turn templates
 * (or on the last turn with `judgeTurns: "last"`), and sim-forgetful (good on turn one, poor later)
 * ranking lower on the two-turn board than on a board of the first turns alone. A battle whose second
 * turn crashed is retried asking only for that turn.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWorker } from "../../battles/worker.js";
import { roundSpend } from "../../battles/spend.js";
import { battles, judgments, llmCache, responses, responseTurns } from "../../db/schema/index.js";
import { cacheKey } from "../../src/gateway/cache-key.js";
import { createModelCaller } from "../../src/services/model-caller.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchTurnItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 21, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

const N = 16;
const CANDIDATES = ["sim-forgetful", "sim-good", "sim-medium"];

describeWithSharedData("multi-turn battles", () => {
  describeEachDb("multi-turn battles on $name", (target) => {
    let t: TestApp;
    let worker: ReturnType<typeof startWorker>;
    /** Every candidate request the worker sent (messages as the gateway received them). */
    const sent: { model: string; messages: { role: string; content: string }[] }[] = [];
    const judgePrompts: { system: string; user: string }[] = [];
    /** Set to a model name to crash that model's next second-turn request once (then cleared). */
    let crashTurnTwoOf: string | null = null;
    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, [...CANDIDATES, "sim-judge-fair"]);
      const items = mtBenchTurnItems(N);
      await importItems(t, items);
      // The same first turns alone, as single-turn instructions: the first-turn board.
      await importItems(t, items.map((i) => ({ text: i.turns[0], category: i.category, externalId: i.externalId, source: "mt-bench-turn1" })));
      const caller = createModelCaller(t.deps.db, t.deps.gateway);
      const llm = {
        ...caller,
        chat: async (name: string, req: Parameters<typeof caller.chat>[1]) => {
          if (req.purpose === "candidate") {
            const users = req.messages.filter((m) => m.role === "user").length;
            if (users === 2 && crashTurnTwoOf === name) {
              crashTurnTwoOf = null;
              throw new Error("worker crashed between turns");
            }
            sent.push({ model: name, messages: req.messages.map((m) => ({ ...m })) });
          } else if (req.purpose === "judge") {
            judgePrompts.push({ system: req.messages.find((m) => m.role === "system")?.content ?? "", user: req.messages.find((m) => m.role === "user")?.content ?? "" });
          }
          return caller.chat(name, req);
        },
      };
      worker = startWorker({ db: t.deps.db, llm, owner: "multi-turn-test", concurrency: 8, leaseMs: 30_000, log: t.deps.logger });
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
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 240_000);
      expect(done.status).toBe("done");
      expect(done.counts.failed).toBe(0);
      return id;
    };
    /** Candidates by mean share of their battles, best first. */
    const ranking = async (roundId: string): Promise<string[]> => {
      const bs = await t.deps.db.select().from(battles).where(eq(battles.roundId, roundId));
      const score = new Map<string, { s: number; n: number }>();
      const add = (m: string, x: number) => {
        const e = score.get(m) ?? { s: 0, n: 0 };
        score.set(m, { s: e.s + x, n: e.n + 1 });
      };
      for (const b of bs) {
        if (b.outcome === null) continue;
        add(b.modelA, b.outcome);
        add(b.modelB, 1 - b.outcome);
      }
      return [...score.entries()].sort((a, b) => b[1].s / b[1].n - a[1].s / a[1].n).map(([m]) => m);
    };
    const base = { candidates: CANDIDATES, pairing: "all-pairs", judges: ["sim-judge-fair"] };
    let multiRound = "";

    it("answers turn by turn, each second turn asked with the candidate's own first answer", async () => {
      multiRound = await runRound({ ...base, name: "two-turn", instructions: { source: "mt-bench-2turn" } });
      const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, multiRound));
      expect(rs).toHaveLength(N * CANDIDATES.length);
      const turnRows = await t.deps.db.select().from(responseTurns).where(eq(responseTurns.roundId, multiRound));
      expect(turnRows).toHaveLength(N * CANDIDATES.length * 2);
      const round = await roundSpend(t.deps.db, multiRound);
      // One answer per (instruction, candidate), the spend of every turn counted once.
      expect(round?.responses).toBe(N * CANDIDATES.length);
      const turnSpend = turnRows.reduce((s, r) => s + r.promptTokens + r.completionTokens, 0);
      expect(turnSpend).toBeGreaterThan(0);
      const judged = await t.deps.db.select().from(judgments).innerJoin(battles, eq(battles.id, judgments.battleId)).where(eq(battles.roundId, multiRound));
      const judgeSpend = judged.reduce((s, r) => s + r.judgments.promptTokens + r.judgments.completionTokens, 0);
      expect(round?.tokens.total).toBe(turnSpend + judgeSpend);
      for (const r of rs) {
        expect(r.turns).toHaveLength(2);
        const [t1, t2] = r.turns ?? [];
        expect(r.text).toBe(t2?.text);
        const ins = (await t.deps.db.query.instructions.findFirst({ where: (i, { eq: e }) => e(i.id, r.instructionId) }))!;
        const expected = [
          { role: "user", content: ins.turns?.[0] ?? "" },
          { role: "assistant", content: t1?.text ?? "" },
          { role: "user", content: ins.turns?.[1] ?? "" },
        ];
        // The request the gateway stored: the cache row of exactly that conversation holds the second answer.
        const key = cacheKey({ provider: "sim", baseUrl: sim.baseUrl, model: r.model, messages: expected as never, params: {}, jsonSchema: null });
        const [cached] = await t.deps.db.select().from(llmCache).where(eq(llmCache.key, key));
        expect(cached?.text, `${r.model} on ${r.instructionId}`).toBe(t2?.text);
        expect(sent.some((s) => s.model === r.model && JSON.stringify(s.messages) === JSON.stringify(expected))).toBe(true);
        // The simulator's second answer refers back to the first turn.
        expect(t2?.text).toMatch(/^Here is a follow-up to the first answer/);
      }
    });

    it("judges whole conversations with the multi-turn template", async () => {
      const js = await t.deps.db.select().from(judgments).innerJoin(battles, eq(battles.id, judgments.battleId)).where(eq(battles.roundId, multiRound));
      expect(js).toHaveLength(N * 3 * 2);
      for (const { judgments: j } of js) expect(j.promptVersion).toBe("mt-bench-pair-multi-turn@1");
      const conv = judgePrompts.filter((p) => p.user.includes("<|The Start of Assistant A's Conversation with User|>"));
      expect(conv.length).toBe(N * 3 * 2);
      const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, multiRound));
      // Both turns of each candidate's conversation are in the prompts.
      for (const r of rs.slice(0, 6)) {
        for (const turn of r.turns ?? []) expect(conv.some((p) => p.user.includes(turn.text))).toBe(true);
      }
      expect(conv.every((p) => p.system.includes("Judge the whole conversation"))).toBe(true);
    });

    it("shows the conversations in the battle detail and, blind, in the review queue", async () => {
      const [b] = await t.deps.db.select().from(battles).where(eq(battles.roundId, multiRound)).limit(1);
      const detail = await json<{ instruction: { turns: string[] | null }; answerA: string; turnsA: string[] | null; turnsB: string[] | null }>(await t.req("GET", `/v1/battles/${b?.id}`));
      expect(detail.instruction.turns).toHaveLength(2);
      expect(detail.turnsA).toHaveLength(2);
      expect(detail.turnsA?.[1]).toBe(detail.answerA);
      const queue = await json<{ items: { answers: { A: string; B: string }; conversation?: { turns: string[]; A: string[]; B: string[] } }[] }>(await t.req("GET", `/v1/rounds/${multiRound}/review?limit=5`));
      expect(queue.items.length).toBeGreaterThan(0);
      for (const item of queue.items) {
        expect(item.conversation?.turns).toHaveLength(2);
        expect(item.conversation?.A[1]).toBe(item.answers.A);
        expect(item.conversation?.B[1]).toBe(item.answers.B);
      }
    });

    it("ranks the forgetful model lower on the two-turn board than on the first turns alone", async () => {
      const firstTurn = await runRound({ ...base, name: "first turns", instructions: { source: "mt-bench-turn1" } });
      const one = await ranking(firstTurn);
      const two = await ranking(multiRound);
      expect(one[0]).toBe("sim-forgetful");
      expect(two.indexOf("sim-forgetful")).toBeGreaterThan(one.indexOf("sim-forgetful"));
      expect(two[two.length - 1]).toBe("sim-forgetful");
    });

    it("judges the last turn only when the round asks, reusing the stored turns' cache", async () => {
      judgePrompts.length = 0;
      const before = sim.stats().requests;
      const id = await runRound({ ...base, name: "last turn", instructions: { source: "mt-bench-2turn", limit: 4 }, judgeTurns: "last" });
      const js = await t.deps.db.select().from(judgments).innerJoin(battles, eq(battles.id, judgments.battleId)).where(eq(battles.roundId, id));
      expect(js.length).toBe(4 * 3 * 2);
      for (const { judgments: j } of js) expect(j.promptVersion).toBe("mt-bench-pair-multi-turn-last@1");
      expect(judgePrompts.every((p) => p.system.includes("Focus on the answers to the final user question"))).toBe(true);
      // Answers came from the cache: only the judge calls (new prompts) reached the simulator.
      expect(sim.stats().requests - before).toBe(4 * 3 * 2);
      const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, id));
      expect(rs.every((r) => r.cached)).toBe(true);
    });

    it("exports whole conversations: SFT the winner's, TRL DPO each side's continuation", async () => {
      const lines = async (path: string) => {
        const res = await t.req("GET", path);
        expect(res.status).toBe(200);
        return (await res.text()).trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
      };
      const rs = await t.deps.db.select().from(responses).where(eq(responses.roundId, multiRound));
      const byAnswer = new Map(rs.map((r) => [r.text, r]));
      const sft = await lines(`/v1/exports/sft?format=messages&roundId=${multiRound}`);
      expect(sft.length).toBeGreaterThan(0);
      for (const l of sft) {
        const m = l.messages as { role: string; content: string }[];
        expect(m.map((x) => x.role)).toEqual(["user", "assistant", "user", "assistant"]);
        // The winner's own first answer sits before the second turn.
        const winner = byAnswer.get(m[3]?.content ?? "");
        expect(winner?.turns?.[0]?.text).toBe(m[1]?.content);
      }
      const dpo = await lines(`/v1/exports/dpo?format=trl&roundId=${multiRound}`);
      expect(dpo.length).toBeGreaterThan(0);
      for (const l of dpo) {
        expect((l.prompt as unknown[]).length).toBe(1);
        for (const side of ["chosen", "rejected"] as const) {
          const c = l[side] as { role: string; content: string }[];
          expect(c.map((x) => x.role)).toEqual(["assistant", "user", "assistant"]);
          expect(byAnswer.get(c[2]?.content ?? "")?.turns?.[0]?.text).toBe(c[0]?.content);
        }
      }
      const card = await (await t.req("GET", `/v1/exports/dpo/card?roundId=${multiRound}&format=trl`)).text();
      expect(card).toContain("Multi-turn");
    });

    it("carries a reasoning model's final answer (no trace) into its next turn, and keeps each turn's trace for exports", async () => {
      expect((await t.req("POST", "/v1/models", { name: "sim-reasoner", provider: "sim", model: "sim-reasoner", maxConcurrency: 8, reasoning: {} })).status).toBe(201);
      await importItems(t, [{ turns: ["Explain how tides are caused by the moon.", "Now explain why there are two tides a day."], category: "stem", source: "reasoning" }]);
      sent.length = 0;
      judgePrompts.length = 0;
      const id = await runRound({ candidates: ["sim-reasoner", "sim-medium"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { source: "reasoning" } });
      const [r] = await t.deps.db.select().from(responses).where(and(eq(responses.roundId, id), eq(responses.model, "sim-reasoner")));
      const [t1, t2] = r?.turns ?? [];
      expect(t1?.trace).toBeTruthy();
      expect(t2?.trace).toBeTruthy();
      const second = sent.find((s) => s.model === "sim-reasoner" && s.messages.length === 3);
      expect(second?.messages[1]).toEqual({ role: "assistant", content: t1?.text });
      expect(second?.messages[1]?.content).not.toContain(t1?.trace ?? "\u0000");
      for (const p of judgePrompts) for (const tr of [t1?.trace, t2?.trace]) expect(p.user.includes(tr ?? "\u0000")).toBe(false);
      // The decisive battle's DPO row: the reasoning model's side has a trace on every assistant turn.
      const keep = (await (await t.req("GET", `/v1/exports/dpo?format=trl&roundId=${id}&traces=keep&provenance=true`)).text()).trim().split("\n");
      expect(keep).toHaveLength(1);
      const row = JSON.parse(keep[0] ?? "{}") as { chosen: { content: string }[]; rejected: { content: string }[]; metadata: { chosenModel: string } };
      const [mine, other] = row.metadata.chosenModel === "sim-reasoner" ? [row.chosen, row.rejected] : [row.rejected, row.chosen];
      expect([mine[0]?.content, mine[2]?.content]).toEqual([`<think>\n${t1?.trace}\n</think>\n\n${t1?.text}`, `<think>\n${t2?.trace}\n</think>\n\n${t2?.text}`]);
      expect(other.some((m) => m.content.includes("<think>"))).toBe(false);
      const drop = await (await t.req("GET", `/v1/exports/dpo?format=trl&roundId=${id}`)).text();
      expect(drop).not.toContain("<think>");
    });

    it("a battle retried after a crash between turns asks only for the missing turn", async () => {
      await importItems(t, [{ turns: ["Explain how photosynthesis works in plants.", "Now explain it to a five year old."], category: "stem", source: "crash" }]);
      sent.length = 0;
      crashTurnTwoOf = "sim-good";
      const id = await runRound({ candidates: ["sim-good", "sim-medium"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { source: "crash" }, maxAttempts: 3 });
      const good = sent.filter((s) => s.model === "sim-good");
      // Turn one once (stored before the crash), turn two once (after the retry).
      expect(good.map((s) => s.messages.filter((m) => m.role === "user").length).sort()).toEqual([1, 2]);
      const turns = await t.deps.db.select().from(responseTurns).where(and(eq(responseTurns.roundId, id), inArray(responseTurns.model, ["sim-good"])));
      expect(turns.map((x) => x.turn).sort()).toEqual([1, 2]);
      const [b] = await t.deps.db.select().from(battles).where(eq(battles.roundId, id));
      expect(b?.attempts).toBe(2);
    });
  });
});
