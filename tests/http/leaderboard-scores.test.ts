/**
 * GET /v1/leaderboard?score=...&baseline=M on every database driver, over planted round battles whose
 * per-game labels, answer lengths and categories are known, plus one imported battle. Expected values
 * are computed by hand in the comments. Also: the 400s and 404s that name the problem, and the
 * rating board unchanged when `score` is absent.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { battles, judgments, rounds } from "../../db/schema/index.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

interface ScoreBoard {
  score: string;
  baseline: string;
  definition: string;
  ciPercentiles: number[];
  items: { model: string; score: number | null; ciLow: number | null; ciHigh: number | null; battles: number; games?: number; categories?: { category: string; score: number; battles: number }[]; winRate?: number }[];
  skipped: { notAgainstBaseline: number; withoutLengths?: number; withInvalidGames?: number };
}

/**
 * Candidate X (and Y) against baseline B. Labels are relative to the positions shown: order "AB" shows
 * the battle's model A first. From X's side:
 *   1. X|B, AB "A>>B" = win_much, BA "B>A" = win (X shown second and preferred); math; lengths X 300, B 100
 *   2. B|X, AB "A=B" = tie, BA "B>>A" = lose_much (X shown first, B preferred); writing; lengths X 120, B 200
 *   3. X|B, AB "A>B" = win, BA invalid (missing); math; lengths X 250, B 150
 *   4. Y|B, AB "B>A" = lose, BA "A>B" = lose (B shown first and preferred); math; lengths Y 90, B 100
 *   5. X|Y, not against the baseline.
 */
const PLANTED = [
  { modelA: "X", modelB: "B", outcome: 1, category: "math", len: [300, 100], games: [["AB", "A>>B"], ["BA", "B>A"]] },
  { modelA: "B", modelB: "X", outcome: 0.75, category: "writing", len: [200, 120], games: [["AB", "A=B"], ["BA", "B>>A"]] },
  { modelA: "X", modelB: "B", outcome: 0.75, category: "math", len: [250, 150], games: [["AB", "A>B"], ["BA", null]] },
  { modelA: "Y", modelB: "B", outcome: 0.25, category: "math", len: [90, 100], games: [["AB", "B>A"], ["BA", "A>B"]] },
  { modelA: "X", modelB: "Y", outcome: 1, category: "math", len: [100, 100], games: [["AB", "A>B"], ["BA", "B>A"]] },
] as const;

describeEachDb("scores against a baseline on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    const db = t.deps.db;
    await db.insert(rounds).values({ id: "rs", status: "done", pairing: "vs-baseline", baseline: "B", candidates: ["B", "X", "Y"], judges: ["j"] });
    const ins = await json<{ inserted: number }>(await t.req("POST", "/v1/instructions", { items: PLANTED.map((_, k) => ({ text: `question ${k}`, category: "math" })) }));
    expect(ins.inserted).toBe(PLANTED.length);
    for (const [k, b] of PLANTED.entries()) {
      const style = (length: number) => ({ length, headers: 0, listItems: 0, bold: 0 });
      const [row] = await db
        .insert(battles)
        .values({ roundId: "rs", instructionId: k + 1, modelA: b.modelA, modelB: b.modelB, status: "done", outcome: b.outcome, category: b.category, styleA: style(b.len[0]), styleB: style(b.len[1]) })
        .returning({ id: battles.id });
      for (const [order, verdict] of b.games) {
        await db.insert(judgments).values({ battleId: row?.id ?? 0, judge: "j", order, promptVersion: "v", verdict, valid: verdict !== null, score: null });
      }
    }
    const imported = await t.req("POST", "/v1/battles/import", JSON.stringify({ model_a: "X", model_b: "B", winner: "model_a", id: "imp-1" }), { headers: { "content-type": "application/x-ndjson" } });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const scores = async (q: string): Promise<ScoreBoard> => {
    const res = await t.req("GET", `/v1/leaderboard?${q}`);
    expect(res.status).toBe(200);
    return json<ScoreBoard>(res);
  };
  const item = (b: ScoreBoard, model: string) => b.items.find((i) => i.model === model);

  it("winrate: ties as half; the round's and the whole board's battles", async () => {
    const b = await scores("score=winrate&baseline=B&roundId=rs&bootstrap=0");
    // X: 1 (win), 0.75 for B = 0.25 for X (loss), 0.75 (win) -> 2/3; Y: 0.25 (loss) -> 0
    expect(item(b, "X")).toMatchObject({ battles: 3 });
    expect(item(b, "X")?.score).toBeCloseTo(2 / 3, 12);
    expect(item(b, "Y")?.score).toBe(0);
    expect(b).toMatchObject({ score: "winrate", baseline: "B", ciPercentiles: [0.05, 0.95], skipped: { notAgainstBaseline: 1 } });
    expect(b.definition).toMatch(/^winrate: \(wins \+ ties\/2\) \/ battles/);
    expect(b.items.map((i) => i.model)).toEqual(["X", "Y"]);
    // With the imported win too: 3 of 4
    expect(item(await scores("score=winrate&baseline=B&bootstrap=0"), "X")?.score).toBeCloseTo(0.75, 12);
  });

  it("arena-hard: strong verdicts weigh 3, the mean is over both games, a battle with a missing game is left out", async () => {
    const b = await scores("score=arena-hard&baseline=B&roundId=rs&bootstrap=50");
    // X: battle 1 rows 1,1,1 + 1; battle 2 rows 0.5 + 0,0,0; battle 3 dropped -> 4.5 / 8
    expect(item(b, "X")).toMatchObject({ battles: 2, games: 8 });
    expect(item(b, "X")?.score).toBeCloseTo(0.5625, 12);
    expect(item(b, "Y")?.score).toBe(0);
    expect(b.skipped.withInvalidGames).toBe(1);
    const x = item(b, "X");
    expect(x?.ciLow ?? 2).toBeLessThanOrEqual(x?.score ?? -1);
    expect(x?.ciHigh ?? -1).toBeGreaterThanOrEqual(x?.score ?? 2);
  });

  it("wildbench: the reward over all games, a missing one counting zero, and per category", async () => {
    const b = await scores("score=wildbench&baseline=B&roundId=rs&bootstrap=0");
    // X games: +1, +0.5 | 0, -1 | +0.5, missing 0 -> 1 / 6
    expect(item(b, "X")).toMatchObject({ battles: 3, games: 6 });
    expect(item(b, "X")?.score).toBeCloseTo(1 / 6, 12);
    // math: (1 + 0.5 + 0.5 + 0) / 4 = 0.5; writing: (0 - 1) / 2 = -0.5
    expect(item(b, "X")?.categories).toEqual([
      { category: "math", score: 0.5, battles: 2 },
      { category: "writing", score: -0.5, battles: 1 },
    ]);
    expect(item(b, "Y")?.score).toBeCloseTo(-0.5, 12);
    // The category filter narrows the board to that category's battles.
    expect(item(await scores("score=wildbench&baseline=B&roundId=rs&category=writing&bootstrap=0"), "X")?.score).toBeCloseTo(-0.5, 12);
  });

  it("lc: a length-controlled win rate for every candidate with lengths; imports without lengths are counted out", async () => {
    const b = await scores("score=lc&baseline=B&bootstrap=20");
    expect(b.definition).toMatch(/^lc: AlpacaEval 2's length-controlled win rate/);
    for (const m of ["X", "Y"]) {
      const s = item(b, m)?.score ?? Number.NaN;
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
    expect(item(b, "X")).toMatchObject({ battles: 3, winRate: 2 / 3 });
    expect(b.skipped.withoutLengths).toBe(1);
  });

  it("names what is wrong: 400 without baseline, for an unknown score, with judge or styleControl; 404 for an unknown baseline or round", async () => {
    const res = (q: string) => t.req("GET", `/v1/leaderboard?${q}`);
    const noBaseline = await res("score=winrate");
    expect(noBaseline.status).toBe(400);
    expect((await json<{ error: { message: string } }>(noBaseline)).error.message).toMatch(/baseline: required with score/);
    const unknown = await res("score=elo-ish&baseline=B");
    expect(unknown.status).toBe(400);
    expect((await json<{ error: { message: string } }>(unknown)).error.message).toMatch(/score/);
    expect((await res("score=winrate&baseline=B&judge=j")).status).toBe(400);
    expect((await res("score=lc&baseline=B&styleControl=true")).status).toBe(400);
    expect((await res("score=winrate&baseline=B&bootstrap=-1")).status).toBe(400);
    const nul = await res("score=winrate&baseline=a%00b");
    expect(nul.status).toBe(400);
    expect((await json<{ error: { message: string } }>(nul)).error.message).toContain("baseline");
    const nobody = await res("score=winrate&baseline=nobody");
    expect(nobody.status).toBe(404);
    expect((await json<{ error: { message: string } }>(nobody)).error.message).toMatch(/baseline 'nobody'/);
    expect((await res("score=winrate&baseline=B&roundId=nope")).status).toBe(404);
  });

  it("shows every score, with its definition, in the round's report (the round has a baseline)", async () => {
    const report = await json<{ scores?: ScoreBoard[] }>(await t.req("GET", "/v1/reports/rounds/rs?format=json&bootstrap=0"));
    expect(report.scores?.map((b) => b.score)).toEqual(["winrate", "arena-hard", "wildbench", "lc"]);
    expect(item(report.scores?.[1] as ScoreBoard, "X")?.score).toBeCloseTo(0.5625, 12);
    expect(report.scores?.every((b) => b.definition.startsWith(`${b.score}:`))).toBe(true);
    const md = await (await t.req("GET", "/v1/reports/rounds/rs?format=md&bootstrap=0")).text();
    expect(md).toContain("## Scores against the baseline B");
    expect(md).toContain("_wildbench: WildBench's WB-Reward");
  });

  it("leaves the rating board as it was when score is absent", async () => {
    const board = await json<Record<string, unknown>>(await t.req("GET", "/v1/leaderboard?roundId=rs&bootstrap=0"));
    expect(board).toHaveProperty("method", "bt");
    // A rating board (its `definition` names the rating method), not a score board.
    expect(board).not.toHaveProperty("score");
    expect(board).not.toHaveProperty("ciPercentiles");
    expect(String(board.definition)).toMatch(/Bradley-Terry/i);
  });
});
