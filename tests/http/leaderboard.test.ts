/**
 * Import a Chatbot Arena style battle log and read boards, on every database driver: BT and Elo with
 * intervals and ranks, re-import skipped by id, rejected lines named, style control demoting a model
 * whose wins come from length.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { seededRandom } from "../../battles/pairing.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

interface Board {
  method: string;
  items: { model: string; rating: number; ciLow: number; ciHigh: number; rank: number; battles: number; winRate: number }[];
  style?: { coefficients: Record<string, number> };
}

/** True strengths; m-verbose is weak but writes 3x longer answers, and the voters like length. */
const STRENGTH: Record<string, number> = { "m-strong": 1.0, "m-mid": 0.5, "m-weak": 0, "m-verbose": -0.3 };
const LENGTH_PREF = 1.6;

function makeLog(n: number): string {
  const rnd = seededRandom(99);
  const names = Object.keys(STRENGTH);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const a = names[Math.floor(rnd() * 4)] ?? "";
    let b = a;
    while (b === a) b = names[Math.floor(rnd() * 4)] ?? "";
    // Lengths vary a lot per answer (as in real logs), so the length effect is identifiable from the model's own strength.
    const len = (m: string) => (m === "m-verbose" ? 500 + Math.floor(rnd() * 1000) : 100 + Math.floor(rnd() * 700));
    const la = len(a);
    const lb = len(b);
    const styleDiff = (la - lb) / (la + lb + 1);
    const p = 1 / (1 + Math.exp(-((STRENGTH[a] ?? 0) - (STRENGTH[b] ?? 0) + LENGTH_PREF * styleDiff)));
    const u = rnd();
    const winner = u < 0.08 ? "tie" : u < 0.08 + 0.92 * p ? "model_a" : "model_b";
    const md = (m: string) => Math.floor(rnd() * (m === "m-verbose" ? 8 : 3));
    lines.push(
      JSON.stringify({
        id: `b${k}`,
        model_a: a,
        model_b: b,
        winner,
        category: k % 2 ? "coding" : "writing",
        tstamp: 1_700_000_000 + k,
        conv_metadata: {
          sum_assistant_a_tokens: la,
          sum_assistant_b_tokens: lb,
          header_count_a: md(a),
          header_count_b: md(b),
          list_count_a: md(a),
          list_count_b: md(b),
          bold_count_a: md(a),
          bold_count_b: md(b),
        },
      }),
    );
  }
  return lines.join("\n");
}

const LOG = makeLog(4000);

describeEachDb("leaderboard and import on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });
  const ndjson = (body: string) => t.req("POST", "/v1/battles/import", body, { headers: { "content-type": "application/x-ndjson" } });
  const board = async (q: string) => {
    const res = await t.req("GET", `/v1/leaderboard?${q}`);
    expect(res.status).toBe(200);
    return json<Board>(res);
  };

  it("imports a log, names rejected lines, and skips ids imported before", async () => {
    const bad = ['{"model_a":"x"}', "not json", '{"model_a":"x","model_b":"y","winner":"both"}'].join("\n");
    const res = await json<{ imported: number; skipped: number; rejected: { line: number; reason: string }[] }>(await ndjson(`${LOG}\n${bad}\n`));
    expect(res.imported).toBe(4000);
    expect(res.skipped).toBe(0);
    expect(res.rejected).toEqual([
      { line: 4001, reason: "model_b: required" },
      { line: 4002, reason: "invalid JSON" },
      { line: 4003, reason: expect.stringContaining("winner") as unknown as string },
    ]);
    const again = await json<{ imported: number; skipped: number }>(await ndjson(LOG.split("\n").slice(0, 500).join("\n")));
    expect(again).toMatchObject({ imported: 0, skipped: 500 });
  });

  it("serves BT and Elo boards with intervals and ranks", async () => {
    for (const method of ["bt", "elo"]) {
      const b = await board(`method=${method}`);
      expect(b.method).toBe(method);
      expect(b.items[0]?.model).toBe("m-strong");
      for (const i of b.items) {
        expect(i.ciLow).toBeLessThan(i.ciHigh);
        // BT's bootstrap is centred on the fit; Elo's resamples battle order, so its time-ordered point
        // estimate may sit outside the permutation interval (as in FastChat).
        if (method === "bt") {
          expect(i.ciLow).toBeLessThanOrEqual(i.rating + 1e-9);
          expect(i.ciHigh).toBeGreaterThanOrEqual(i.rating - 1e-9);
        }
        expect(i.rank).toBeGreaterThanOrEqual(1);
      }
      expect(b.items.reduce((s, i) => s + i.battles, 0)).toBe(8000);
      expect(b.items[0]?.rank).toBe(1);
    }
    const bt = await board("method=bt");
    const mean = bt.items.reduce((s, i) => s + i.rating, 0) / bt.items.length;
    expect(mean).toBeCloseTo(1000, 6);
    const anchored = await board("method=bt&baseline=m-weak&baselineRating=1200");
    expect(anchored.items.find((i) => i.model === "m-weak")?.rating).toBeCloseTo(1200, 6);
    const coding = await board("method=bt&category=coding&bootstrap=0");
    expect(coding.items.reduce((s, i) => s + i.battles, 0)).toBe(4000);
  });

  it("style control demotes the model whose wins come from length", async () => {
    const plain = await board("method=bt");
    const styled = await board("method=bt&styleControl=true");
    const pos = (b: Board, m: string) => b.items.findIndex((i) => i.model === m);
    expect(pos(plain, "m-verbose")).toBeLessThan(pos(plain, "m-weak"));
    expect(pos(styled, "m-verbose")).toBeGreaterThan(pos(styled, "m-weak"));
    expect(styled.style?.coefficients.length ?? 0).toBeGreaterThan(0);
  });

  it("names bad queries", async () => {
    const cases: [string, string][] = [
      ["method=glicko", "method"],
      ["bootstrap=-1", "bootstrap"],
      ["baseline=nobody", "baseline"],
      ["method=elo&styleControl=true", "styleControl"],
    ];
    for (const [q, field] of cases) {
      const res = await t.req("GET", `/v1/leaderboard?${q}`);
      expect(res.status).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(field);
    }
  });
});
