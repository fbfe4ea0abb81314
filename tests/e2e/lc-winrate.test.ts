/**
 * AlpacaEval's length-controlled win rate against a planted verbosity bias, end to end over real
 * HTTP against the simulator: four candidates meet the baseline sim-medium on the same arena-hard
 * prompts (pairing vs-baseline, both position orders), once judged by sim-judge-verbose, whose only
 * bias is a strong preference for the longer answer, and once by sim-judge-fair (almost no bias).
 * The long, heavy-markdown sim-verbose gains from the biased judge (and the short sim-strong loses);
 * their plain win rates under that judge stay far from what the fair judge gives, while their LC win
 * rates (GET /v1/leaderboard?score=lc) move more than two thirds of the distance back toward it, and
 * under the fair judge LC stays near the plain win rate. The other scores answer for the same rounds.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { arenaHardItems, describeWithSharedData, importItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

const BASELINE = "sim-medium";
const CANDIDATES = ["sim-strong", "sim-good", "sim-verbose", "sim-weak", BASELINE];
const VERBOSE = "sim-verbose";
const STRONG = "sim-strong";
const JUDGES = { biased: "sim-judge-verbose", fair: "sim-judge-fair" } as const;
const PROMPTS = 120;
const SEED = 11;

interface ScoreBoard {
  score: string;
  baseline: string;
  definition: string;
  items: { model: string; score: number | null; ciLow: number | null; ciHigh: number | null; battles: number; winRate?: number; lengthWeight?: number }[];
}

describeWithSharedData("LC win rate vs a judge with a planted verbosity bias", () => {
  let sim: Simulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ seed: SEED, latency: { kind: "fixed", ms: 1 } });
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "32" });
    await registerSimModels(t, [...CANDIDATES, JUDGES.biased, JUDGES.fair]);
    await importItems(t, arenaHardItems(PROMPTS));
  });

  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await sim?.close();
  });

  async function runRound(judge: string): Promise<string> {
    const created = await t.req("POST", "/v1/rounds", { name: judge, candidates: CANDIDATES, pairing: "vs-baseline", baseline: BASELINE, judges: [judge], instructions: { limit: PROMPTS, seed: SEED } });
    expect(created.status).toBe(202);
    const { id } = await json<{ id: string }>(created);
    const worker = startBattleWorker(t.deps, `lc-${judge}`);
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 400_000);
    await worker.stop();
    expect(done.counts).toMatchObject({ total: 4 * PROMPTS, done: 4 * PROMPTS, failed: 0 });
    return id;
  }

  async function score(roundId: string, name: string): Promise<ScoreBoard> {
    const res = await t.req("GET", `/v1/leaderboard?roundId=${roundId}&score=${name}&baseline=${BASELINE}&bootstrap=50`);
    expect(res.status).toBe(200);
    return json<ScoreBoard>(res);
  }
  const of = (b: ScoreBoard, model: string): number => b.items.find((i) => i.model === model)?.score ?? Number.NaN;

  it("moves the LC win rate most of the way to the fair judge's; the plain win rate stays", async () => {
    const biased = await runRound(JUDGES.biased);
    const fair = await runRound(JUDGES.fair);
    const boards = {
      winBiased: await score(biased, "winrate"),
      winFair: await score(fair, "winrate"),
      lcBiased: await score(biased, "lc"),
      lcFair: await score(fair, "lc"),
    };
    const line = (b: ScoreBoard) => b.items.map((i) => `${i.model}:${(i.score ?? Number.NaN).toFixed(3)}${i.lengthWeight === undefined ? "" : `(phi ${i.lengthWeight.toFixed(2)})`}`).join(",");
    console.log(`[lc-winrate] winrate biased=${line(boards.winBiased)} fair=${line(boards.winFair)}; lc biased=${line(boards.lcBiased)} fair=${line(boards.lcFair)}`);

    // The long, markdown model gains from the biased judge, the short, strong one loses; for both the plain
    // win rate stays far from the fair judge's, and the LC win rate moves more than two thirds of the way back.
    for (const model of [VERBOSE, STRONG]) {
      const wrBiased = of(boards.winBiased, model);
      const wrFair = of(boards.winFair, model);
      const lcBiased = of(boards.lcBiased, model);
      const gap = Math.abs(wrBiased - wrFair);
      expect(gap, model).toBeGreaterThan(0.1);
      expect(Math.abs(lcBiased - wrFair), model).toBeLessThan(gap / 3);
      // Under the fair judge there is little to remove: LC stays near the plain win rate.
      expect(Math.abs(of(boards.lcFair, model) - wrFair), model).toBeLessThan(0.05);
    }
    expect(boards.lcBiased.items.find((i) => i.model === VERBOSE)?.lengthWeight ?? 0).toBeGreaterThan(0.5);
    expect(boards.lcBiased.definition).toMatch(/^lc: AlpacaEval 2's length-controlled win rate/);

    // Every score answers for the same round, each with its definition.
    for (const name of ["arena-hard", "wildbench"]) {
      const b = await score(biased, name);
      expect(b.items.map((i) => i.model).sort()).toEqual(CANDIDATES.filter((m) => m !== BASELINE).sort());
      expect(b.definition.startsWith(`${name}:`)).toBe(true);
    }
  }, 480_000);
});
