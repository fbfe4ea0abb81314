/**
 * The Arena Learning loop end to end against the simulator: a loop over shards, an iteration, exports
 * whose counts match the battle outcomes exactly, every export format parsed line by line, the
 * simulator's training stand-in (the loop's own rows raise the target clearly more than two controls:
 * rows of instructions it already won, and as many rows drawn at random), the next checkpoint
 * (parent = previous target), and the target's rating on the held-out evaluation set rising.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBattleWorker } from "../../src/background.js";
import { FORMATS } from "../../src/exports/format.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 4, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

/** A seeded Fisher-Yates shuffle (a copy), so the random control is the same every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}

interface Battle {
  instructionId: number;
  modelA: string;
  modelB: string;
  outcome: number | null;
  status: string;
}

describeWithSharedData("the Arena Learning loop over MT-bench and Arena-Hard prompts", () => {
  describeEachDb("Arena Learning loop on $name", (target) => {
    let t: TestApp;
    let worker: ReturnType<typeof startBattleWorker>;
    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, ["sim-strong", "sim-medium", "sim-judge-fair"]);
      expect((await t.req("POST", "/v1/models", { name: "target-v1", provider: "sim", model: "sim-target" })).status).toBe(201);
      await importItems(t, [...mtBenchItems(80), ...arenaHardItems(100)]);
      worker = startBattleWorker(t.deps, "loop");
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    const waitRounds = async (...ids: (string | null)[]) => {
      for (const id of ids) if (id) await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
    };
    const lines = async (path: string) => {
      const res = await t.req("GET", path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const allBattles = async (roundId: string) => {
      const out: Battle[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Battle[]; nextCursor: string | null } = await json(await t.req("GET", `/v1/battles?roundId=${roundId}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`));
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };

    it("runs two iterations; exports match outcomes; the target improves on the held-out set", async () => {
      const loop = await json<{ id: string; shardSizes: number[] }>(await t.req("POST", "/v1/loops", { name: "wizard", shards: 2, seed: 1, evalHard: 10, evalDiverse: 20 }));
      expect(loop.shardSizes).toEqual([75, 75]);
      const start = (body: Record<string, unknown>) => t.req("POST", `/v1/loops/${loop.id}/iterations`, { opponents: ["sim-strong", "sim-medium"], judges: ["sim-judge-fair"], ...body });

      const it1 = await json<{ id: string; roundId: string; evalRoundId: string; shard: number; battles: number }>(await start({ target: "target-v1" }));
      expect(it1).toMatchObject({ shard: 0, battles: 150 });
      await waitRounds(it1.roundId, it1.evalRoundId);

      // Independent count from the battles: the target loses an instruction when its mean share < 0.5;
      // every decisive target battle is one DPO pair.
      const battles = (await allBattles(it1.roundId)).filter((b) => b.status === "done" && b.outcome !== null);
      const shares = new Map<number, number[]>();
      let decisive = 0;
      for (const b of battles) {
        const s = b.modelA === "target-v1" ? (b.outcome ?? 0.5) : 1 - (b.outcome ?? 0.5);
        shares.set(b.instructionId, [...(shares.get(b.instructionId) ?? []), s]);
        if (b.outcome !== 0.5) decisive++;
      }
      const lost = [...shares.values()].filter((s) => s.reduce((x, y) => x + y, 0) / s.length < 0.5).length;
      const sft = await lines(`/v1/exports/sft?iterationId=${it1.id}&format=messages&dedup=false`);
      const dpo = await lines(`/v1/exports/dpo?iterationId=${it1.id}&format=trl&dedup=false`);
      console.log(`[loop] instructions=${shares.size} lost=${lost} decisive=${decisive}`);
      expect(lost).toBeGreaterThan(10);
      expect(sft).toHaveLength(lost);
      expect(dpo).toHaveLength(decisive);
      for (const row of dpo) expect(JSON.stringify(row.chosen)).not.toBe(JSON.stringify(row.rejected));

      for (const kind of ["sft", "dpo", "reward", "kto"] as const) {
        for (const format of FORMATS[kind]) {
          const rows = await lines(`/v1/exports/${kind}?iterationId=${it1.id}&format=${format}`);
          expect(rows.length, `${kind}/${format}`).toBeGreaterThan(0);
        }
      }
      const card = await (await t.req("GET", `/v1/exports/dpo/card?iterationId=${it1.id}`)).text();
      expect(card).toContain("target-v1");
      expect(card).toContain("sim-judge-fair");
      const info = await json<Record<string, { ranking?: boolean }>>(await t.req("GET", `/v1/exports/dpo/dataset-info?iterationId=${it1.id}&format=llamafactory`));
      expect(Object.values(info)[0]?.ranking).toBe(true);
      expect((await t.req("GET", `/v1/exports/sft?format=trl`)).status).toBe(400);

      // The simulator stands in for training: a new version whose skill rises where the data is.
      const sftText = await (await t.req("GET", `/v1/exports/sft?iterationId=${it1.id}&format=messages`)).text();
      const trained = await fetch(`${sim.url}/sim/train`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `sim-target-v2-${target.name}`, from: "sim-target", jsonl: sftText }) });
      expect(trained.status).toBe(201);

      // Controls: the same stand-in on rows the loop did not choose must raise the target clearly less.
      // "won": for each instruction the target did not lose, its own answer that beat an opponent (a
      // DPO pair's chosen side); "random": as many rows as the loop's, each a random battle's prompt with
      // one of its two answers picked by a coin, whoever won (what training without the judges would do).
      const chosen = sftText.split("\n").filter((l) => l !== "");
      type Meta = { metadata: { instructionId: string; chosenModel?: string } };
      const meta = (l: string) => (JSON.parse(l) as Meta).metadata;
      const lostIds = new Set((await lines(`/v1/exports/sft?iterationId=${it1.id}&format=messages&provenance=true`)).map((r) => (r as unknown as Meta).metadata.instructionId));
      const pairs = (await (await t.req("GET", `/v1/exports/dpo?iterationId=${it1.id}&format=trl&provenance=true&dedup=false`)).text()).split("\n").filter((l) => l !== "");
      const wonBy = new Map<string, string>();
      for (const l of pairs) {
        const m = meta(l);
        if (!lostIds.has(m.instructionId) && m.chosenModel === "target-v1" && !wonBy.has(m.instructionId)) wonBy.set(m.instructionId, l);
      }
      const won = [...wonBy.values()];
      const random = shuffled(pairs, 17)
        .slice(0, chosen.length)
        .map((l, k) => {
          const p = JSON.parse(l) as { prompt: unknown; chosen: unknown; rejected: unknown };
          return JSON.stringify({ prompt: p.prompt, chosen: k % 2 === 0 ? p.chosen : p.rejected });
        });
      expect(won.length).toBeGreaterThan(5);
      const gainOf = async (res: Response) => Object.values(((await res.json()) as { skillDelta: Record<string, number> }).skillDelta).reduce((x, y) => x + y, 0);
      const control = async (name: string, rows: string[]) =>
        gainOf(await fetch(`${sim.url}/sim/train`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `${name}-${target.name}`, from: "sim-target", jsonl: rows.join("\n") }) }));
      const gains = { loop: await gainOf(trained), won: await control("ctl-won", won), random: await control("ctl-random", random) };
      console.log(`[loop] summed skill gain: loop's rows ${gains.loop.toFixed(2)} (${chosen.length}), won ${gains.won.toFixed(2)} (${won.length}), random ${gains.random.toFixed(2)} (${random.length})`);
      expect(gains.loop).toBeGreaterThan(1);
      expect(gains.won).toBeLessThan(gains.loop / 2);
      expect(gains.random).toBeLessThan(gains.loop * 0.75);

      expect((await start({ target: "sim-strong" })).status).toBe(400); // not a child of target-v1
      expect((await t.req("POST", "/v1/models", { name: "target-v2", provider: "sim", model: `sim-target-v2-${target.name}`, parent: "target-v1" })).status).toBe(201);
      const it2 = await json<{ id: string; roundId: string; evalRoundId: string; shard: number; number: number }>(await start({ target: "target-v2" }));
      expect(it2).toMatchObject({ shard: 1, number: 2 });
      await waitRounds(it2.roundId, it2.evalRoundId);
      expect((await start({ target: "target-v2" })).status).toBe(400); // v2 is not a child of itself
      await t.req("POST", "/v1/models", { name: "target-v3", provider: "sim", model: `sim-target-v2-${target.name}`, parent: "target-v2" });
      expect((await start({ target: "target-v3" })).status).toBe(409); // no shard left

      const progress = await json<{ iterations: { number: number; target: string; evalRating: { rating: number } | null }[] }>(await t.req("GET", `/v1/loops/${loop.id}?bootstrap=20`));
      const r1 = progress.iterations[0]?.evalRating?.rating ?? Number.NaN;
      const r2 = progress.iterations[1]?.evalRating?.rating ?? Number.NaN;
      console.log(`[loop] eval rating target-v1=${r1.toFixed(1)} target-v2=${r2.toFixed(1)}`);
      expect(r2).toBeGreaterThan(r1 + 30);
      const its = await json<{ items: unknown[] }>(await t.req("GET", "/v1/iterations"));
      expect(its.items).toHaveLength(2);
    }, 400_000);
  });
});
