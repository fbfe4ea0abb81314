/**
 * Held-out stays held out, on every driver: instructions battled in an ordinary round and later held
 * out by a loop (by id, or as a re-imported copy with the same normalised text) and prompts that
 * collide with an uploaded benchmark set (exact or by a shared 13-gram) never reach an export of any
 * kind or format unless the request names the flag that includes them; an evaluation round is
 * refused with 409 unless includeHeldOut=true; the dataset card counts what was withheld and why.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.js";
import { FORMATS } from "../../src/exports/format.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

const POOL = 40;
const pad = (i: number) => String(i).padStart(2, "0");
/** Unique markers, so a prompt is found in any export format by a substring test. */
const poolText = (i: number) => `Pool prompt #${pad(i)}# describe a practical way to approach everyday problem number ${i} at home`;

function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as T[];
}

/** An ordinary round (target t vs o1, o1 wins every battle decisively) over the given instructions. */
async function seedRound(db: Db, roundId: string, ids: number[]): Promise<void> {
  await db.execute(sql`insert into rounds (id, status, pairing, target, candidates, judges, judge_mode, options)
    values (${roundId}, 'done', 'target-vs-opponents', 't', '["t","o1"]'::jsonb, '["j1"]'::jsonb, 'pairwise', '{}'::jsonb)`);
  for (const id of ids) {
    for (const m of ["t", "o1"]) {
      await db.execute(sql`insert into responses (round_id, instruction_id, model, text) values (${roundId}, ${id}, ${m}, ${`Answer from ${m} in ${roundId} to item ${id}`})`);
    }
    await db.execute(sql`insert into battles (round_id, instruction_id, model_a, model_b, status, outcome, margin, category) values (${roundId}, ${id}, 't', 'o1', 'done', 0, 1, 'general')`);
  }
}

/** Finishes a round the service planned: answers for every battle's models, every battle decided for B. */
async function completeRound(db: Db, roundId: string): Promise<void> {
  await db.execute(sql`insert into responses (round_id, instruction_id, model, text)
    select distinct b.round_id, b.instruction_id, v.m, 'Answer from ' || v.m || ' to item ' || b.instruction_id
    from battles b cross join lateral (values (b.model_a), (b.model_b)) v(m) where b.round_id = ${roundId}
    on conflict do nothing`);
  await db.execute(sql`update battles set status = 'done', outcome = 0, margin = 1 where round_id = ${roundId}`);
}

async function idsOf(db: Db, query: ReturnType<typeof sql>): Promise<number[]> {
  return rowsOf<{ id: string | number }>(await db.execute(query)).map((r) => Number(r.id));
}

describeEachDb("held-out and benchmark prompts in exports on $name", (target) => {
  let t: TestApp;
  let db: Db;
  let poolIds: number[] = [];
  let heldIds: number[] = [];
  let evalRoundId = "";
  const texts = new Map<number, string>();

  const get = async (path: string, status = 200): Promise<string> => {
    const res = await t.req("GET", path);
    const body = await res.text();
    expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
    return body;
  };
  const lines = (body: string) => body.split("\n").filter((l) => l !== "");

  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    db = t.deps.db;
    const res = await t.req("POST", "/v1/instructions", { items: Array.from({ length: POOL }, (_, i) => ({ text: poolText(i), source: "pool" })) });
    expect(res.status).toBe(200);
    poolIds = (await idsOf(db, sql`select id from instructions where source = 'pool' order by id`));
    for (const [i, id] of poolIds.entries()) texts.set(id, poolText(i));
    // Users battle their prompts in an ordinary round first, then set up a loop on the same pool.
    await seedRound(db, "ordinary", poolIds);
    const loop = await t.req("POST", "/v1/loops", { name: "first", shards: 2, seed: 1, evalHard: 5, evalDiverse: 10, instructions: { source: "pool" } });
    expect(loop.status).toBe(201);
    heldIds = await idsOf(db, sql`select instruction_id as id from loop_shards where shard = -1 order by instruction_id`);
    expect(heldIds).toHaveLength(15);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  it("leaves every held-out instruction out of every kind and format, with and without roundId", async () => {
    const perInstruction = { sft: 1, dpo: 1, reward: 1, kto: 2 } as const;
    const kept = POOL - heldIds.length;
    for (const kind of ["sft", "dpo", "reward", "kto"] as const) {
      for (const format of FORMATS[kind]) {
        for (const scope of ["", "&roundId=ordinary"]) {
          const body = await get(`/v1/exports/${kind}?format=${format}${scope}`);
          for (const id of heldIds) expect(body, `${kind}/${format}${scope}: held-out ${id}`).not.toContain(texts.get(id));
          const rows = lines(body).length;
          // axolotl-style formats may write one line per row; count rows through the kept prompts.
          const keptPrompts = poolIds.filter((id) => !heldIds.includes(id)).filter((id) => body.includes(texts.get(id) ?? "?"));
          expect(keptPrompts, `${kind}/${format}${scope}`).toHaveLength(kept);
          expect(rows, `${kind}/${format}${scope}`).toBe(kept * perInstruction[kind]);
        }
      }
    }
  });

  it("includes them with includeHeldOut=true, and the card says so", async () => {
    const body = await get("/v1/exports/dpo?format=trl&includeHeldOut=true");
    expect(lines(body)).toHaveLength(POOL);
    for (const id of heldIds) expect(body).toContain(texts.get(id));
    const card = await get("/v1/exports/dpo/card?includeHeldOut=true");
    expect(firstBodyLine(card)).toMatch(/held-out evaluation data/i);
    for (const bad of ["includeHeldOut=maybe", "includeBenchmarkCollisions=2"]) {
      const res = await t.req("GET", `/v1/exports/dpo?${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(bad.split("=")[0]);
    }
  });

  it("counts the withheld rows by reason on the dataset card", async () => {
    const card = await get("/v1/exports/dpo/card");
    expect(card).toMatch(/## Withheld/);
    expect(card).toMatch(new RegExp(`\\| held-out-id \\|[^\\n]*\\| ${heldIds.length} \\| ${heldIds.length} \\|`));
    expect(firstBodyLine(card)).not.toMatch(/held-out evaluation data/i);
    const kto = await get("/v1/exports/kto/card");
    expect(kto).toMatch(new RegExp(`\\| held-out-id \\|[^\\n]*\\| ${heldIds.length} \\| ${heldIds.length * 2} \\|`));
  });

  it("counts a round's training rows in its report without the held-out instructions", async () => {
    const report = await json<{ trainingData: { sftRows: number; dpoPairs: number } }>(await t.req("GET", "/v1/reports/rounds/ordinary?format=json&bootstrap=0"));
    expect(report.trainingData).toEqual({ sftRows: POOL - heldIds.length, dpoPairs: POOL - heldIds.length });
  });

  it("catches a re-imported copy of a held-out prompt by its normalised text", async () => {
    const held = texts.get(heldIds[0] ?? -1) ?? "";
    const copyText = `  ${held.toUpperCase().replace(/ /gu, "   ")}!  `;
    const res = await t.req("POST", "/v1/instructions", { items: [{ messages: [{ role: "system", content: "Answer briefly." }, { role: "user", content: copyText }], source: "copies" }] });
    expect((await json<{ inserted: number }>(res)).inserted).toBe(1);
    const [copyId] = await idsOf(db, sql`select id from instructions where source = 'copies'`);
    if (copyId === undefined) throw new Error("copy not stored");
    await seedRound(db, "copies", [copyId]);
    for (const kind of ["sft", "dpo"] as const) {
      for (const scope of ["", "&roundId=copies"]) {
        const body = await get(`/v1/exports/${kind}?x=1${scope}`);
        expect(body, `${kind}${scope}`).not.toContain("EVERYDAY");
      }
    }
    const card = await get("/v1/exports/sft/card?roundId=copies");
    expect(card).toMatch(/\| held-out-text \|[^\n]*\| 1 \| 1 \|/);
    expect(await get("/v1/exports/sft?roundId=copies&includeHeldOut=true")).toContain("EVERYDAY");
  });

  it("leaves out prompts that collide with an uploaded benchmark set, exactly or by a 13-gram", async () => {
    const longPrompt = "Write a short story about a lighthouse keeper who discovers that the light has been guiding ships to a hidden island";
    const set = [JSON.stringify({ id: "seed_1", instruction: "Name three primary colours." }), JSON.stringify({ id: "seed_2", instruction: longPrompt })].join("\n");
    const up = await t.req("POST", "/v1/benchmarks?name=mini&format=self-instruct", set, { headers: { "content-type": "application/x-ndjson" } });
    expect(up.status).toBe(201);
    const items = [
      { text: "name THREE primary colours", source: "bench-hit" },
      { text: "Please, as practice: write a short story about a lighthouse keeper who discovers that the light has been guiding ships somewhere else entirely.", source: "bench-hit" },
      { text: "Name three primary colours and explain how each one is mixed from light.", source: "bench-miss" },
    ];
    expect((await t.req("POST", "/v1/instructions", { items })).status).toBe(200);
    const ids = await idsOf(db, sql`select id from instructions where source in ('bench-hit', 'bench-miss') order by id`);
    await seedRound(db, "bench", ids);
    for (const kind of ["sft", "dpo", "reward", "kto"] as const) {
      const body = await get(`/v1/exports/${kind}?roundId=bench`);
      expect(body, kind).not.toContain("THREE primary");
      expect(body, kind).not.toContain("lighthouse");
      expect(body, kind).toContain("mixed from light");
      const def = await get(`/v1/exports/${kind}`);
      expect(def, kind).not.toContain("lighthouse");
    }
    const card = await get("/v1/exports/dpo/card?roundId=bench");
    expect(card).toMatch(/\| benchmark-exact \|[^\n]*\| 1 \| 1 \|/);
    expect(card).toMatch(/\| benchmark-ngram \|[^\n]*\| 1 \| 1 \|/);
    const all = await get("/v1/exports/dpo?roundId=bench&includeBenchmarkCollisions=true");
    expect(lines(all)).toHaveLength(3);
    expect(all).toContain("lighthouse");
  });

  it("refuses to export a loop's evaluation round with 409 unless includeHeldOut=true", async () => {
    for (const name of ["tgt", "opp", "jdg"]) expect((await t.req("POST", "/v1/models", { name, provider: "sim", model: "sim-medium" })).status).toBe(201);
    const it1 = await json<{ roundId: string; evalRoundId: string }>(await t.req("POST", "/v1/loops/first/iterations", { target: "tgt", opponents: ["opp"], judges: ["jdg"] }));
    evalRoundId = it1.evalRoundId;
    expect(evalRoundId).toBeTruthy();
    await completeRound(db, evalRoundId);
    for (const path of ["/v1/exports/sft", "/v1/exports/dpo", "/v1/exports/reward", "/v1/exports/kto", "/v1/exports/dpo/card", "/v1/exports/sft/dataset-info"]) {
      const res = await t.req("GET", `${path}?roundId=${evalRoundId}`);
      expect(res.status, path).toBe(409);
      const err = await json<{ error: { code: string; message: string } }>(res);
      expect(err.error.code).toBe("conflict");
      expect(err.error.message).toContain(evalRoundId);
      expect(err.error.message).toContain("includeHeldOut=true");
    }
    const res = await t.req("GET", `/v1/exports/dpo?roundId=${evalRoundId}&includeHeldOut=true`);
    expect(res.headers.get("content-disposition")).toMatch(/-with-held-out\.trl\.jsonl"$/u);
    expect(lines(await res.text())).toHaveLength(heldIds.length);
    const card = await get(`/v1/exports/dpo/card?roundId=${evalRoundId}&includeHeldOut=true`);
    expect(firstBodyLine(card)).toMatch(/held-out evaluation data/i);
    expect(firstBodyLine(card)).toContain(evalRoundId);
  });

  it("withholds another loop's held-out instructions from an iteration's training export", async () => {
    const second = await t.req("POST", "/v1/loops", { name: "second", shards: 1, seed: 7, evalHard: 2, evalDiverse: 3, instructions: { source: "pool" } });
    expect(second.status).toBe(201);
    const it2 = await json<{ id: string; roundId: string }>(await t.req("POST", "/v1/loops/second/iterations", { target: "tgt", opponents: ["opp"], judges: ["jdg"], skipEval: true }));
    await completeRound(db, it2.roundId);
    const shard = await idsOf(db, sql`select distinct instruction_id as id from battles where round_id = ${it2.roundId}`);
    const leaked = shard.filter((id) => heldIds.includes(id));
    // The second loop trains on what the first holds out (its split is its own).
    expect(leaked.length).toBeGreaterThan(0);
    const body = await get(`/v1/exports/dpo?iterationId=${it2.id}`);
    for (const id of leaked) expect(body).not.toContain(texts.get(id));
    expect(lines(body)).toHaveLength(shard.length - leaked.length);
    for (const kind of ["sft", "dpo", "reward", "kto"] as const) {
      for (const format of FORMATS[kind]) {
        const out = await get(`/v1/exports/${kind}?format=${format}&iterationId=${it2.id}&curriculum=true`);
        for (const id of leaked) expect(out, `${kind}/${format}`).not.toContain(texts.get(id));
      }
    }
  });
});

/** The first line of the card's Markdown body (after the YAML front matter). */
function firstBodyLine(card: string): string {
  const end = card.indexOf("\n---\n", 4);
  const body = end < 0 ? card : card.slice(end + 5);
  return body.split("\n").find((l) => l.trim() !== "") ?? "";
}
