/**
 * A whole round end to end over real HTTP: the simulator serves candidates and a jury of three
 * judges through the real openai SDK; 4 candidates x 50 MT-bench/Arena-Hard prompts, all pairs.
 * On PostgreSQL the round is shared by two `matrix-arena worker` processes.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { roundSpend } from "../../battles/spend.js";
import { sumRoundSpend } from "../helpers/spend.js";
import { computeLeaderboard } from "../../reports/leaderboard.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";
import { spawnCli, stop, type Proc } from "../helpers/proc.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak", "sim-verbose"];
const JUDGES = ["sim-judge-fair", "sim-judge-biased", "sim-judge-noisy"];

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, latency: { kind: "fixed", ms: 2 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("rounds over MT-bench and Arena-Hard prompts", () => {
  describeEachDb("round end to end on $name", (target) => {
    let t: TestApp;
    let workers: Proc[] = [];
    beforeAll(async () => {
      const handle = await target.open();
      t = await makeTestApp(handle, { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, [...CANDIDATES, ...JUDGES]);
      await importItems(t, [...mtBenchItems(30), ...arenaHardItems(20)]);
    });
    afterAll(async () => {
      for (const w of workers) await stop(w);
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    it("runs 300 battles with a jury of 3, stores every judgment once, and shows the planted position bias", async () => {
      const created = await t.req("POST", "/v1/rounds", { name: "e2e", candidates: CANDIDATES, pairing: "all-pairs", judges: JUDGES, instructions: { limit: 50, seed: 3 } });
      expect(created.status).toBe(202);
      const { id, battles } = await json<{ id: string; battles: number }>(created);
      expect(battles).toBe(300);

      let inProcess: ReturnType<typeof startBattleWorker> | null = null;
      const url = (t.deps.dbHandle as { databaseUrl?: string }).databaseUrl;
      if (target.name === "postgres" && url) {
        const env = { DATABASE_URL: url, MATRIX_ARENA_SIM_URL: sim.baseUrl, LOG_LEVEL: "warn", MATRIX_ARENA_WORKER_CONCURRENCY: "8" };
        workers = [spawnCli(["worker"], env), spawnCli(["worker"], env)];
      } else {
        inProcess = startBattleWorker(t.deps, "test");
      }
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
      await inProcess?.stop();

      expect(done.status).toBe("done");
      expect(done.counts).toMatchObject({ total: 300, done: 300, failed: 0, pending: 0 });
      expect(done.responses).toBe(200);
      expect(done.judgments.total).toBe(300 * 3 * 2);
      expect(done.tokens.total).toBeGreaterThan(0);

      if (workers.length > 0) {
        const { rows } = await countByWorker(t, id);
        expect(rows.length).toBe(2);
      }

      // The round's running spend counters (added with each stored row, by every worker) equal the
      // sums over its answers and judgments: no row counted twice when workers raced for it.
      const counters = await roundSpend(t.deps.db, id);
      const sums = await sumRoundSpend(t.deps.db, id);
      expect(counters).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 9) });
      expect(sums.tokens.total).toBeGreaterThan(0);
      expect(sums.judgments.total).toBe(300 * 3 * 2);

      const stats = await json<{ judges: { judge: string; firstPositionWinRate: number; swapAgreementRate: number; invalidRate: number }[]; agreement: { fleiss: { kappa: number } } }>(
        await t.req("GET", `/v1/rounds/${id}/judges`),
      );
      const by = Object.fromEntries(stats.judges.map((j) => [j.judge, j]));
      console.log("[e2e] judge stats", JSON.stringify(stats.judges.map((j) => ({ judge: j.judge, first: j.firstPositionWinRate, agree: j.swapAgreementRate, invalid: j.invalidRate }))));
      expect(by["sim-judge-biased"]?.firstPositionWinRate).toBeGreaterThan(0.55);
      expect(by["sim-judge-biased"]?.firstPositionWinRate ?? 0).toBeGreaterThan((by["sim-judge-fair"]?.firstPositionWinRate ?? 1) + 0.03);
      expect(by["sim-judge-fair"]?.swapAgreementRate ?? 0).toBeGreaterThan(by["sim-judge-noisy"]?.swapAgreementRate ?? 1);
      expect(stats.agreement.fleiss.kappa).toBeGreaterThan(0);

      const page = await json<{ items: { judgments: unknown[]; outcome: number | null }[]; nextCursor: string | null }>(await t.req("GET", `/v1/battles?roundId=${id}&limit=10`));
      expect(page.items).toHaveLength(10);
      expect(page.nextCursor).not.toBeNull();
      for (const b of page.items) expect(b.judgments).toHaveLength(6);

      // A per-judge board: each battle's outcome is that judge's two games combined; recomputed here
      // from the judgments listed by /v1/battles and rated with the same engine.
      const own: Battle[] = [];
      let cursor: string | null = null;
      do {
        const p: { items: { modelA: string; modelB: string; judgments: { judge: string; score: number | null; valid: boolean }[] }[]; nextCursor: string | null } = await json(
          await t.req("GET", `/v1/battles?roundId=${id}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`),
        );
        for (const b of p.items) {
          const s = b.judgments.filter((j) => j.judge === "sim-judge-fair" && j.valid && j.score !== null).map((j) => j.score ?? 0);
          if (s.length === 0) continue;
          const outcome = Math.min(...s) < 0.5 && Math.max(...s) > 0.5 ? 0.5 : s.reduce((x, y) => x + y, 0) / s.length;
          own.push({ modelA: b.modelA, modelB: b.modelB, outcome });
        }
        cursor = p.nextCursor;
      } while (cursor);
      const expected = computeLeaderboard(own, { method: "bt", bootstrap: 0 });
      const judgeBoard = await json<{ items: { model: string; rating: number; battles: number }[] }>(await t.req("GET", `/v1/leaderboard?roundId=${id}&judge=sim-judge-fair&bootstrap=0`));
      expect(judgeBoard.items.map((i) => i.model)).toEqual(expected.items.map((i) => i.model));
      judgeBoard.items.forEach((item, k) => expect(item.rating).toBeCloseTo(expected.items[k]?.rating ?? 0, 6));
      expect(judgeBoard.items[0]?.model).toBe("sim-strong");

      // Server-sent events: a finished round sends its progress and an end event.
      const sse = await (await t.req("GET", `/v1/rounds/${id}/events`)).text();
      expect(sse).toContain("event: progress");
      expect(sse).toContain("event: end");
    }, 300_000);
  });

  async function countByWorker(t: TestApp, roundId: string): Promise<{ rows: { by: string; n: number }[] }> {
    const { battles } = await import("../../db/schema/index.js");
    const { eq, sql } = await import("drizzle-orm");
    const rows = await t.deps.db
      .select({ by: battles.finishedBy, n: sql<number>`count(*)::int` })
      .from(battles)
      .where(eq(battles.roundId, roundId))
      .groupBy(battles.finishedBy);
    return { rows: rows.map((r) => ({ by: r.by ?? "", n: r.n })) };
  }
});
