/**
 * GET /v1/exports/{kind}/dataset-info per format: `axolotl` answers an Axolotl dataset config (the
 * `datasets:` entry, plus `rl: dpo` for preference data) whose named fields exist in the exported
 * lines; LLaMA-Factory formats answer a `dataset_info.json` entry; the dataset card shows the same.
 * Over a real round (3 simulator candidates x 10 MT-bench prompts, one judge).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

describeWithSharedData("dataset-info per format", () => {
  let sim: Simulator;
  let t: TestApp;
  let roundId = "";
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    const candidates = ["sim-strong", "sim-medium", "sim-weak"];
    await registerSimModels(t, [...candidates, "sim-judge-fair"]);
    await importItems(t, mtBenchItems(10));
    const created = await t.req("POST", "/v1/rounds", { candidates, pairing: "all-pairs", judges: ["sim-judge-fair"] });
    roundId = (await json<{ id: string }>(created)).id;
    const worker = startBattleWorker(t.deps, "test");
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)), 60_000);
    await worker.stop();
    expect(done.status).toBe("done");
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await sim?.close();
  });

  type Obj = Record<string, unknown>;
  const MAPPING = { role: "role", content: "content" };
  const cases: { kind: string; want: Obj; fields: string[] }[] = [
    {
      kind: "sft",
      want: { datasets: [{ path: expect.stringMatching(/\.axolotl\.jsonl$/), ds_type: "json", type: "chat_template", field_messages: "messages", message_property_mappings: MAPPING, roles_to_train: ["assistant"] }] },
      fields: ["messages"],
    },
    {
      kind: "dpo",
      want: { rl: "dpo", datasets: [{ path: expect.stringMatching(/\.axolotl\.jsonl$/), ds_type: "json", split: "train", type: "chat_template.default", field_messages: "messages", field_chosen: "chosen", field_rejected: "rejected", message_property_mappings: MAPPING }] },
      fields: ["messages", "chosen", "rejected"],
    },
  ];

  for (const tc of cases) {
    it(`${tc.kind} axolotl: an Axolotl dataset config whose fields exist in the exported lines`, async () => {
      const q = `roundId=${roundId}&format=axolotl`;
      const res = await t.req("GET", `/v1/exports/${tc.kind}/dataset-info?${q}`);
      expect(res.status).toBe(200);
      const config = await json<Obj>(res);
      expect(config).toEqual(tc.want);
      const first = (await (await t.req("GET", `/v1/exports/${tc.kind}?${q}`)).text()).split("\n")[0] ?? "";
      expect(first).not.toBe("");
      const line = JSON.parse(first) as Obj;
      for (const f of tc.fields) expect(line).toHaveProperty(f);
      const messages = line.messages as Obj[];
      for (const m of messages) expect(Object.keys(m).sort()).toEqual(["content", "role"]);
      const card = await (await t.req("GET", `/v1/exports/${tc.kind}/card?${q}`)).text();
      expect(card).toContain("Axolotl");
      expect(card).toContain('"field_messages": "messages"');
    }, 30_000);
  }

  it("a LLaMA-Factory format still answers a dataset_info.json entry", async () => {
    const entry = await json<Record<string, Obj>>(await t.req("GET", `/v1/exports/dpo/dataset-info?roundId=${roundId}&format=llamafactory`));
    const only = Object.values(entry)[0];
    expect(only).toMatchObject({ formatting: "sharegpt", ranking: true, columns: { messages: "conversations", chosen: "chosen", rejected: "rejected" } });
  });
});
