/**
 * The scenario end to end against the simulator: MT-Bench prompts battled in an ordinary
 * round, then a loop holding 60 of them out for evaluation. The default DPO export must hold none of
 * the 60 (it used to hold about half), the card's withheld rows must be exactly the rows that
 * includeHeldOut=true adds back, and once MT-Bench itself is uploaded as a benchmark set nothing of
 * it is exported unless includeBenchmarkCollisions=true.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, SHARED_DATA, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

type Line = { prompt: { role: string; content: string }[] };

describeWithSharedData("held-out isolation over MT-bench prompts", () => {
  describeEachDb("held-out prompts battled before the loop, on $name", (target) => {
    let t: TestApp;
    let worker: ReturnType<typeof startBattleWorker>;
    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, ["sim-target", "sim-strong", "sim-judge-fair"]);
      await importItems(t, mtBenchItems(80));
      worker = startBattleWorker(t.deps, "heldout");
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    const dpo = async (query: string): Promise<Line[]> => {
      const res = await t.req("GET", `/v1/exports/dpo?format=trl${query}`);
      expect(res.status, query).toBe(200);
      return (await res.text()).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Line);
    };
    const userPrompt = (l: Line) => l.prompt.find((m) => m.role === "user")?.content ?? "";

    it("keeps all 60 held-out prompts out of the default export, and counts them on the card", async () => {
      const round = await t.req("POST", "/v1/rounds", { name: "before-the-loop", candidates: ["sim-target", "sim-strong"], pairing: "target-vs-opponents", target: "sim-target", judges: ["sim-judge-fair"], instructions: { source: "mt-bench" } });
      expect(round.status).toBe(202);
      const { id } = await json<{ id: string }>(round);
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
      expect(done.status).toBe("done");
      expect((await t.req("POST", "/v1/loops", { name: "mt", shards: 2, seed: 3, evalHard: 20, evalDiverse: 40 })).status).toBe(201);
      const res = await t.deps.db.execute(sql`select i.text from loop_shards s join instructions i on i.id = s.instruction_id where s.shard = -1`);
      const held = new Set(((Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { text: string }[]).map((r) => r.text));
      expect(held.size).toBe(60);

      const all = await dpo("&includeHeldOut=true");
      const leakedBefore = new Set(all.map(userPrompt).filter((p) => held.has(p)));
      console.log(`[heldout] ${target.name}: ${leakedBefore.size} of 60 held-out prompts in the export with includeHeldOut=true, ${all.length} pairs`);
      expect(leakedBefore.size).toBeGreaterThan(20);

      const rows = await dpo("");
      expect(rows.filter((l) => held.has(userPrompt(l)))).toEqual([]);
      expect(rows.length).toBeGreaterThan(0);
      const card = await (await t.req("GET", "/v1/exports/dpo/card")).text();
      const m = /\| held-out-id \|[^\n]*\| (\d+) \| (\d+) \|/u.exec(card);
      expect(Number(m?.[1])).toBe(held.size);
      expect(Number(m?.[2])).toBe(all.length - rows.length);

      // MT-Bench itself as a benchmark set: every one of these prompts collides with it.
      const bench = readFileSync(resolve(SHARED_DATA, "mt-bench-questions.jsonl"), "utf8");
      expect((await t.req("POST", "/v1/benchmarks?name=mt-bench", bench, { headers: { "content-type": "application/x-ndjson" } })).status).toBe(201);
      expect(await dpo("")).toEqual([]);
      expect(await dpo("&includeBenchmarkCollisions=true")).toHaveLength(rows.length);
      const card2 = await (await t.req("GET", "/v1/exports/dpo/card")).text();
      expect(card2).toMatch(new RegExp(`\\| benchmark-exact \\|[^\\n]*\\| \\d+ \\| ${rows.length} \\|`, "u"));
    }, 300_000);
  });
});
