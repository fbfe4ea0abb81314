/**
 * Per-judge boards rebuild each battle's outcome from that judge's stored games with the round's
 * own rules, on every driver: a strict swap rule turns a win-and-tie into a tie (the soft rule
 * keeps the mean), single-grading rounds compare the two ratings, reward rounds take the logistic
 * of the score difference, and games of other judges or invalid games never count. A per-judge
 * board says what it knows like every board: decisive counts, provisional flags, connectivity.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { DbHandle } from "../../db/client.js";
import { battles, judgments } from "../../db/schema/index.js";
import { readJudgeBattles } from "../../reports/queries.js";
import { combineJudgeGames } from "../../src/services/leaderboard.js";
import { leaderboard } from "../../src/services/leaderboard.js";
import { describeEachDb } from "../helpers/db.js";

type Game = { judge: string; order: string; score: number | null; valid?: boolean };

describeEachDb("per-judge battles on $name", (target) => {
  let h: DbHandle;
  // One instruction per battle of a round (a round plans a pair once per instruction).
  let instructionIds: number[] = [];
  beforeAll(async () => {
    h = await target.open();
    const res = await h.db.execute(sql`insert into instructions (content_hash, messages, text, category, source)
      select 'jb-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'general', 'test'
      from generate_series(1, 8) g returning id`);
    const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { id: number | string }[];
    instructionIds = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function round(id: string, mode: string, swapRule: string | null, games: Game[][]): Promise<void> {
    const options = swapRule === null ? "{}" : JSON.stringify({ swapRule });
    await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges, judge_mode, options)
      values (${id}, 'done', 'all-pairs', '["m1","m2"]'::jsonb, '["j1","j2"]'::jsonb, ${mode}, ${options}::jsonb)`);
    for (const [k, g] of games.entries()) {
      const [b] = await h.db
        .insert(battles)
        .values({ roundId: id, instructionId: instructionIds[k] ?? 0, modelA: "m1", modelB: "m2", status: "done", outcome: 0.5, margin: 0, finishedAt: new Date("2026-01-01T00:00:00Z") })
        .returning({ id: battles.id });
      for (const x of g) {
        await h.db.insert(judgments).values({ battleId: b?.id ?? 0, judge: x.judge, order: x.order, promptVersion: "t@1", score: x.score, valid: x.valid ?? x.score !== null });
      }
    }
  }

  const outcomes = async (roundId: string, judge = "j1") => (await readJudgeBattles(h.db, { roundId, judge }, combineJudgeGames)).map((b) => b.outcome);

  it("applies the round's swap rule: strict makes a win and a tie a tie, soft keeps the mean", async () => {
    const games: Game[][] = [
      [{ judge: "j1", order: "AB", score: 0.75 }, { judge: "j1", order: "BA", score: 0.5 }, { judge: "j2", order: "AB", score: 0 }],
      [{ judge: "j1", order: "AB", score: 1 }, { judge: "j1", order: "BA", score: 0.75 }],
      [{ judge: "j1", order: "AB", score: 1 }, { judge: "j1", order: "BA", score: 0 }],
      [{ judge: "j1", order: "AB", score: 0.25 }, { judge: "j1", order: "BA", score: null, valid: false }],
      [{ judge: "j2", order: "AB", score: 1 }, { judge: "j2", order: "BA", score: 1 }],
    ];
    await round("jb-strict", "pairwise", "strict", games);
    await round("jb-soft", "pairwise", "soft", games);
    await round("jb-default", "pairwise", null, games);
    expect(await outcomes("jb-strict")).toEqual([0.5, 0.875, 0.5, 0.25]);
    expect(await outcomes("jb-soft")).toEqual([0.625, 0.875, 0.5, 0.25]);
    expect(await outcomes("jb-default")).toEqual([0.625, 0.875, 0.5, 0.25]);
    expect(await outcomes("jb-strict", "j2")).toEqual([0, 1]);
  });

  it("compares single ratings and reward scores instead of averaging them", async () => {
    await round("jb-single", "single", null, [
      [{ judge: "j1", order: "A", score: 8 }, { judge: "j1", order: "B", score: 6 }],
      [{ judge: "j1", order: "A", score: 3 }, { judge: "j1", order: "B", score: null, valid: false }],
    ]);
    await round("jb-reward", "reward", null, [[{ judge: "j1", order: "A", score: 2 }, { judge: "j1", order: "B", score: 1 }]]);
    const single = await outcomes("jb-single");
    expect(single).toHaveLength(1);
    expect(single[0]).toBeCloseTo(0.5 + 2 / 18, 12);
    const reward = await outcomes("jb-reward");
    expect(reward[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it("a per-judge board counts decisive battles and flags thin samples", async () => {
    // j1's outcomes on jb-strict are 0.5, 0.875, 0.5, 0.25: four battles, two decisive.
    const q = { roundId: "jb-strict", judge: "j1", method: "bt" as const, bootstrap: 0, styleControl: false, seed: 0 };
    const board = await leaderboard(h.db, q);
    expect(board.connected).toBe(true);
    expect(board.components).toEqual([["m1", "m2"]]);
    expect(board.items.map((i) => [i.model, i.battles, i.decisive, i.provisional, i.component])).toEqual([
      ["m1", 4, 2, true, 0],
      ["m2", 4, 2, true, 0],
    ]);
    const lenient = await leaderboard(h.db, { ...q, method: "elo", minBattles: 2 });
    expect(lenient.items.map((i) => i.provisional)).toEqual([false, false]);
    await expect(leaderboard(h.db, { ...q, roundId: "jb-missing" })).rejects.toThrow("round 'jb-missing' not found");
  });
});
