/**
 * GET /v1/leaderboard?method= for every rating method, on every database driver: an imported log with
 * many ties gives, per method, the board computeLeaderboard gives on the same battles (the service reads
 * the aggregate cells), with the scale, the definition, the share of ties and, for newman and davidson,
 * the tie parameter with its interval; bad methods and anchors are 400s naming the field, an unknown
 * baseline a 404, and the OpenAPI document lists every method.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";
import type { Battle } from "../../reports/battle-log.js";
import { computeLeaderboard, type Leaderboard, RATING_METHODS } from "../../reports/leaderboard.js";
import { mulberry32 } from "../../lib/random.js";

const STRENGTH: Record<string, number> = { "q-strong": 1.2, "q-mid": 0.3, "q-weak": -0.6 };

/** A judge that says A=B a third of the time: decisive outcomes follow BT on the strengths. */
function makeLog(n: number): { ndjson: string; battles: Battle[] } {
  const rnd = mulberry32(5);
  const names = Object.keys(STRENGTH);
  const lines: string[] = [];
  const battles: Battle[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rnd() * 3);
    const j = (i + 1 + Math.floor(rnd() * 2)) % 3;
    const a = names[i] ?? "";
    const b = names[j] ?? "";
    const p = 1 / (1 + Math.exp((STRENGTH[b] ?? 0) - (STRENGTH[a] ?? 0)));
    const u = rnd();
    const winner = u < 0.33 ? "tie" : rnd() < p ? "model_a" : "model_b";
    lines.push(JSON.stringify({ id: `t${k}`, model_a: a, model_b: b, winner }));
    battles.push({ modelA: a, modelB: b, outcome: winner === "tie" ? 0.5 : winner === "model_a" ? 1 : 0 });
  }
  return { ndjson: lines.join("\n"), battles };
}

const LOG = makeLog(1200);

describeEachDb("leaderboard methods on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    const res = await t.req("POST", "/v1/battles/import", LOG.ndjson, { headers: { "content-type": "application/x-ndjson" } });
    expect((await json<{ imported: number }>(res)).imported).toBe(1200);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  it("serves every method with its scale, definition, tie share and (newman, davidson) tie parameter", async () => {
    for (const method of RATING_METHODS) {
      const res = await t.req("GET", `/v1/leaderboard?method=${method}&bootstrap=30&seed=2`);
      expect(res.status).toBe(200);
      const board = await json<Leaderboard & { minBattles: number }>(res);
      expect(board.method).toBe(method);
      expect(board.items.map((i) => i.model)).toEqual(["q-strong", "q-mid", "q-weak"]);
      const expected = computeLeaderboard(LOG.battles, { method, bootstrap: 30, seed: 2, minBattles: board.minBattles });
      expect(board.scale).toBe(expected.scale);
      expect(board.definition).toBe(expected.definition);
      expect(board.ties).toBeCloseTo(LOG.battles.filter((b) => b.outcome === 0.5).length / 1200, 12);
      if (method === "elo") continue; // Elo's time order comes from the import order, not checked here
      // The service reads battle_cells; the board is the one computed on the battles themselves.
      expect(board.items).toEqual(expected.items);
      expect(board.tieParameter).toEqual(expected.tieParameter);
      if (method === "newman" || method === "davidson") {
        const tp = board.tieParameter;
        expect(tp?.ciLow ?? Infinity).toBeLessThanOrEqual(tp?.value ?? 0);
        expect(tp?.ciHigh ?? -Infinity).toBeGreaterThanOrEqual(tp?.value ?? 0);
        expect(tp?.ciHigh ?? 0).toBeGreaterThan(tp?.ciLow ?? 0);
      } else expect(board.tieParameter).toBeUndefined();
    }
  });

  it("names bad method queries: 400 for the method or the anchor, 404 for an unknown baseline", async () => {
    const cases: [string, number, string][] = [
      ["method=glicko", 400, "method"],
      ["method=", 400, "method"],
      ["method=BT", 400, "method"],
      ["method=counting&baselineRating=1200", 400, "baselineRating"],
      ["method=pagerank&styleControl=true", 400, "styleControl"],
      ["method=eigen&baseline=nobody", 404, "nobody"],
    ];
    for (const [q, status, named] of cases) {
      const res = await t.req("GET", `/v1/leaderboard?${q}`);
      expect(res.status).toBe(status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(named);
    }
    const anchored = await json<Leaderboard>(await t.req("GET", "/v1/leaderboard?method=davidson&baseline=q-weak&baselineRating=1100&bootstrap=0"));
    expect(anchored.items.find((i) => i.model === "q-weak")?.rating).toBeCloseTo(1100, 9);
  });

  it("the OpenAPI document lists every method", async () => {
    const doc = await json<{ paths: Record<string, { get?: { parameters?: { name: string; schema?: { enum?: string[] } }[] } }> }>(await t.req("GET", "/openapi.json"));
    const param = doc.paths["/v1/leaderboard"]?.get?.parameters?.find((p) => p.name === "method");
    expect(param?.schema?.enum).toEqual([...RATING_METHODS]);
  });
});
