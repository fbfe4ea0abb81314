/**
 * Import a Chatbot Arena style battle log and read boards, on every database driver: BT and Elo with
 * intervals and ranks, re-import skipped by id, rejected lines named, style control demoting a model
 * whose wins come from length; then an island of models that never met the others (connected: false,
 * components, ranks per component), provisional flags, and 404s naming an unknown round or baseline.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";
import { mulberry32 } from "../../lib/random.js";

interface Board {
  method: string;
  connected: boolean;
  components: string[][];
  items: { model: string; rating: number; ciLow: number; ciHigh: number; rank: number; battles: number; decisive: number; winRate: number; component: number; provisional: boolean }[];
  style?: {
    coefficients: Record<string, number>;
    identified: boolean;
    estimates: { feature: string; estimate: number | null; ciLow: number | null; ciHigh: number | null }[];
  };
}

/** True strengths; m-verbose is weak but writes 3x longer answers, and the voters like length. */
const STRENGTH: Record<string, number> = { "m-strong": 1.0, "m-mid": 0.5, "m-weak": 0, "m-verbose": -0.3 };
const LENGTH_PREF = 1.6;

function makeLog(n: number): string {
  const rnd = mulberry32(99);
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
    // The planted length preference is identified and its bootstrap interval excludes 0.
    expect(styled.style?.identified).toBe(true);
    const length = styled.style?.estimates.find((e) => e.feature === "length");
    expect(length?.ciLow ?? 0).toBeGreaterThan(0);
    expect(length?.ciLow ?? 0).toBeLessThanOrEqual(length?.estimate ?? 0);
    expect(length?.ciHigh ?? 0).toBeGreaterThanOrEqual(length?.estimate ?? 0);
  });

  it("names bad queries", async () => {
    const cases: [string, string][] = [
      ["method=glicko", "method"],
      ["bootstrap=-1", "bootstrap"],
      ["method=elo&styleControl=true", "styleControl"],
      ["minBattles=-1", "minBattles"],
      ["minBattles=1.5", "minBattles"],
    ];
    for (const [q, field] of cases) {
      const res = await t.req("GET", `/v1/leaderboard?${q}`);
      expect(res.status).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toContain(field);
    }
  });

  it("a connected board says so, and well-sampled models are not provisional", async () => {
    for (const q of ["method=bt", "method=elo", "method=bt&styleControl=true", "method=bt&category=coding"]) {
      const b = await board(`${q}&bootstrap=20`);
      expect(b.connected).toBe(true);
      expect(b.components.map((c) => [...c].sort())).toEqual([Object.keys(STRENGTH).sort()]);
      expect(b.items.every((i) => i.component === 0 && !i.provisional && i.decisive > 30 && i.decisive < i.battles)).toBe(true);
    }
  });

  it("an island that never met the others: connected false, components, ranks per component, provisional", async () => {
    // Two models that only ever fought each other, 12 battles (one a tie), in category "coding".
    const island = Array.from({ length: 12 }, (_, k) => JSON.stringify({ id: `iso${k}`, model_a: "iso-a", model_b: "iso-b", winner: k === 0 ? "tie" : k % 4 === 0 ? "model_b" : "model_a", category: "coding" }));
    expect((await json<{ imported: number }>(await ndjson(island.join("\n")))).imported).toBe(12);
    for (const q of ["method=bt", "method=elo", "method=bt&category=coding"]) {
      const b = await board(`${q}&bootstrap=20`);
      expect(b.connected).toBe(false);
      expect(b.components.map((c) => [...c].sort())).toEqual([Object.keys(STRENGTH).sort(), ["iso-a", "iso-b"]]);
      for (const i of b.items) {
        expect(i.component).toBe(i.model.startsWith("iso-") ? 1 : 0);
        expect(i.rank).toBe(1 + b.items.filter((o) => o.component === i.component && o.ciLow > i.ciHigh).length);
        expect(i.provisional).toBe(i.model.startsWith("iso-"));
      }
      expect(b.items.find((i) => i.model === "iso-a")).toMatchObject({ battles: 12, decisive: 11, rank: 1 });
      // The rows are grouped by component, and the rank column never goes down within one.
      expect(b.items.map((i) => i.component)).toEqual([0, 0, 0, 0, 1, 1]);
      const ranks = b.items.filter((i) => i.component === 0).map((i) => i.rank);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    }
    const lenient = await board("method=bt&minBattles=11&bootstrap=0");
    expect(lenient.items.filter((i) => i.provisional).map((i) => i.model)).toEqual([]);
    const strict = await board("method=elo&minBattles=12&bootstrap=0");
    expect(strict.items.filter((i) => i.provisional).map((i) => i.model).sort()).toEqual(["iso-a", "iso-b"]);
  });

  it("an unknown round or baseline is a 404 naming it, on every board-reading route", async () => {
    const cases: [string, string][] = [
      ["/v1/leaderboard?roundId=no-such-round", "no-such-round"],
      ["/v1/leaderboard?method=elo&roundId=no-such-round", "no-such-round"],
      ["/v1/leaderboard?baseline=nobody", "nobody"],
      ["/v1/leaderboard?method=elo&baseline=nobody", "nobody"],
      ["/v1/leaderboard?method=bt&styleControl=true&baseline=nobody", "nobody"],
      // A registered name with no battles on this board (the category has none) is no anchor either.
      ["/v1/leaderboard?category=writing&baseline=iso-a", "iso-a"],
      ["/v1/leaderboard?category=no-such-category&baseline=m-weak", "m-weak"],
      ["/v1/leaderboard?method=elo&category=no-such-category&baseline=m-weak", "m-weak"],
      ["/v1/leaderboard/winrates?roundId=no-such-round", "no-such-round"],
      ["/v1/leaderboard/categories?roundId=no-such-round", "no-such-round"],
    ];
    for (const [path, name] of cases) {
      const res = await t.req("GET", path);
      expect(res.status, path).toBe(404);
      expect((await json<{ error: { message: string } }>(res)).error.message, path).toContain(`'${name}'`);
    }
  });
});
