/**
 * Reference-guided grading over real HTTP against the simulator: with useReference (the default) a
 * judgment of an instruction that has a reference answer records the reference-guided prompt version
 * and the sha256 of the reference it showed; without a reference, or with useReference false, the
 * base version and no hash.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

const REF = "The answer is 42, because 6 x 7 = 42.";
let sim: Simulator;
let t: TestApp;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
  await registerSimModels(t, ["sim-strong", "sim-weak", "sim-judge-fair"]);
  await importItems(t, [
    { text: "What is 6 times 7? Explain.", category: "math", reference: REF },
    { text: "Write a haiku about autumn leaves.", category: "writing" },
  ]);
});
afterAll(async () => {
  await t?.close();
  await t?.deps.dbHandle.close();
  await sim?.close();
});

type Listed = { items: { judgments: { promptVersion: string; referenceHash: string | null }[]; category: string | null }[] };

async function runRound(useReference: boolean | undefined): Promise<Listed["items"]> {
  const body = { candidates: ["sim-strong", "sim-weak"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { limit: 2 }, ...(useReference === undefined ? {} : { useReference }) };
  const created = await t.req("POST", "/v1/rounds", body);
  expect(created.status).toBe(202);
  const { id } = await json<{ id: string }>(created);
  const worker = startBattleWorker(t.deps, "test");
  const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
  await worker.stop();
  expect(done.status).toBe("done");
  return (await json<Listed>(await t.req("GET", `/v1/battles?roundId=${id}`))).items;
}

it("records the reference-guided version and the reference's hash by default", async () => {
  const items = await runRound(undefined);
  expect(items).toHaveLength(2);
  const sha = createHash("sha256").update(REF, "utf8").digest("hex");
  const math = items.find((b) => b.category === "math");
  const writing = items.find((b) => b.category === "writing");
  expect(math?.judgments.map((j) => [j.promptVersion, j.referenceHash])).toEqual([
    ["arena-hard-v2@1+reference", sha],
    ["arena-hard-v2@1+reference", sha],
  ]);
  expect(writing?.judgments.map((j) => [j.promptVersion, j.referenceHash])).toEqual([
    ["arena-hard-v2@1", null],
    ["arena-hard-v2@1", null],
  ]);
}, 60_000);

it("records the base version and no hash when useReference is false", async () => {
  const items = await runRound(false);
  for (const b of items) for (const j of b.judgments) expect([j.promptVersion, j.referenceHash]).toEqual(["arena-hard-v2@1", null]);
}, 60_000);
