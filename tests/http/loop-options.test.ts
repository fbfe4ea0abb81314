/**
 * A loop iteration passes the round options people set per iteration to both of its rounds: with
 * `humanOverride` the train and eval rounds let review verdicts replace the judges' outcome, and
 * without it they do not (a round's progress reports its options).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

describeEachDb("loop iteration options", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    for (const name of ["a", "a2", "b", "judge"]) expect((await t.req("POST", "/v1/models", { name, provider: "sim", model: "sim-strong", ...(name === "a2" ? { parent: "a" } : {}) })).status).toBe(201);
    const items = Array.from({ length: 12 }, (_, i) => ({ text: `Loop options question ${i}: explain item ${i * 7}.`, category: "qa", source: "loop-options" }));
    expect((await t.req("POST", "/v1/instructions", { items })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const optionsOf = async (roundId: string) => (await json<{ options: { humanOverride: boolean; judgeSeesTraces: boolean; jury: string } }>(await t.req("GET", `/v1/rounds/${roundId}`))).options;
  const reviewOption = async (roundId: string) => (await optionsOf(roundId)).humanOverride;

  it("humanOverride reaches both rounds of the iteration; its absence means false", async () => {
    const loop = await json<{ id: string }>(await t.req("POST", "/v1/loops", { name: "opts", shards: 2, evalHard: 1, evalDiverse: 1, instructions: { source: "loop-options" } }));
    const first = await t.req("POST", `/v1/loops/${loop.id}/iterations`, { target: "a", opponents: ["b"], judges: ["judge"] });
    expect(first.status).toBe(202);
    const it1 = await json<{ roundId: string; evalRoundId: string }>(first);
    expect(await reviewOption(it1.roundId)).toBe(false);
    expect(await reviewOption(it1.evalRoundId)).toBe(false);

    const second = await t.req("POST", `/v1/loops/${loop.id}/iterations`, { target: "a2", opponents: ["b"], judges: ["judge"], humanOverride: true, judgeSeesTraces: true, judgeTurns: "last" });
    expect(second.status).toBe(202);
    const it2 = await json<{ roundId: string; evalRoundId: string }>(second);
    expect(await reviewOption(it2.roundId)).toBe(true);
    expect(await reviewOption(it2.evalRoundId)).toBe(true);
    expect(await optionsOf(it2.roundId)).toMatchObject({ judgeSeesTraces: true, judgeTurns: "last", jury: "mean", swapRule: "soft", useReference: true });
    expect(await optionsOf(it1.roundId)).toMatchObject({ judgeSeesTraces: false, judgeTurns: "conversation" });
  });

  it("a wrongly typed option is a 400 naming it", async () => {
    const res = await t.req("POST", "/v1/loops/opts/iterations", { target: "a2", opponents: ["b"], judges: ["judge"], humanOverride: "yes" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("humanOverride");
  });
});
