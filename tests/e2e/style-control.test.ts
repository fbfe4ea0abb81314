/**
 * Style control against a planted verbosity bias, end to end over real HTTP against the simulator:
 * 5 answer models x 40 MT-bench prompts, all pairs (400 battles), judged by sim-judge-verbose, whose
 * only bias is a strong preference for the longer answer. The verbose model's "pull" is its rating
 * minus what its hidden skill implies (the least-squares line of rating on skill through the other
 * four models). Without style control the judge's bias pulls it up; with style control the pull
 * should mostly vanish, the controlled board should order models at least as truly (Kendall tau vs
 * /sim/truth), and the length coefficient should be identified with an interval above zero.
 * A second simulator whose models write every answer in one fixed style (variation 0) must give a
 * board that says style control is not identified, with no numbers for the collinear features.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { kendallTau } from "../../reports/leaderboard.js";
import { startBattleWorker } from "../../src/background.js";
import { loadDefaultPreset } from "../../src/sim/preset-schema.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

const MODELS = ["sim-strong", "sim-good", "sim-medium", "sim-verbose", "sim-weak"];
const VERBOSE = "sim-verbose";
const JUDGE = "sim-judge-verbose";
const SEED = 7;

interface Board {
  items: { model: string; rating: number }[];
  style?: {
    identified: boolean;
    reason?: string;
    estimates: { feature: string; estimate: number; ciLow: number; ciHigh: number }[];
  };
}

describeWithSharedData("style control over MT-bench prompts", () => {
  let sim: Simulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ seed: SEED, latency: { kind: "fixed", ms: 1 } });
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "32" });
    await registerSimModels(t, [...MODELS, JUDGE]);
    await importItems(t, mtBenchItems(40));
  });

  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await sim?.close();
  });

  /** The verbose model's rating minus the least-squares line of rating on skill through the others. */
  function pullOf(board: Board, skill: (m: string) => number): number {
    const others = board.items.filter((i) => i.model !== VERBOSE);
    const xs = others.map((i) => skill(i.model));
    const ys = others.map((i) => i.rating);
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
    const my = ys.reduce((s, v) => s + v, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    xs.forEach((x, k) => ((sxy += (x - mx) * ((ys[k] ?? 0) - my)), (sxx += (x - mx) ** 2)));
    const slope = sxy / sxx;
    const verbose = board.items.find((i) => i.model === VERBOSE);
    return (verbose?.rating ?? Number.NaN) - (my + slope * (skill(VERBOSE) - mx));
  }

  describe("style control vs a judge with a planted verbosity bias", () => {
    it("removes most of the verbose model's pull and orders at least as truly", async () => {
      const created = await t.req("POST", "/v1/rounds", { name: "style", candidates: MODELS, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: 40, seed: SEED } });
      expect(created.status).toBe(202);
      const { id } = await json<{ id: string }>(created);
      const worker = startBattleWorker(t.deps, "style");
      const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)), 100_000);
      await worker.stop();
      expect(done.counts).toMatchObject({ total: 400, done: 400, failed: 0 });

      const truth = (await (await fetch(`${sim.url}/sim/truth`)).json()) as { models: Record<string, { skill: number }> };
      const skill = (m: string): number => truth.models[m]?.skill ?? Number.NaN;
      const trueOrder = [...MODELS].sort((a, b) => skill(b) - skill(a));
      const plain = await json<Board>(await t.req("GET", `/v1/leaderboard?roundId=${id}&bootstrap=0`));
      const styled = await json<Board>(await t.req("GET", `/v1/leaderboard?roundId=${id}&styleControl=true&bootstrap=50`));
      const tauPlain = kendallTau(plain.items.map((i) => i.model), trueOrder);
      const tauStyled = kendallTau(styled.items.map((i) => i.model), trueOrder);
      const pullPlain = pullOf(plain, skill);
      const pullStyled = pullOf(styled, skill);
      console.log(
        `[style-control] pull plain=${pullPlain.toFixed(1)} styled=${pullStyled.toFixed(1)} tau plain=${tauPlain.toFixed(2)} styled=${tauStyled.toFixed(2)} ` +
          `plain=${plain.items.map((i) => `${i.model}:${i.rating.toFixed(0)}`).join(",")} styled=${styled.items.map((i) => `${i.model}:${i.rating.toFixed(0)}`).join(",")} ` +
          `style=${JSON.stringify(styled.style)}`,
      );
      // The planted bias is visible without style control ...
      expect(pullPlain).toBeGreaterThan(60);
      // ... and mostly gone with it.
      expect(Math.abs(pullStyled)).toBeLessThan(pullPlain / 3);
      expect(tauStyled).toBeGreaterThanOrEqual(tauPlain);
      expect(styled.style?.identified).toBe(true);
      const length = styled.style?.estimates.find((e) => e.feature === "length");
      expect(length?.ciLow ?? 0).toBeGreaterThan(0);
    }, 120_000);
  });

  describe("style control when every answer of a model has the same style", () => {
    let fixedSim: Simulator;
    let app: TestApp;
    const FIXED = ["sim-strong", "sim-verbose", "sim-weak"];

    beforeAll(async () => {
      const preset = await loadDefaultPreset();
      preset.models = preset.models.map((m) => ({ ...m, style: { ...m.style, variation: 0 } }));
      fixedSim = await startSimulator({ seed: SEED, preset, latency: { kind: "fixed", ms: 1 } });
      app = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: fixedSim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "32" });
      await registerSimModels(app, [...FIXED, JUDGE]);
      await importItems(app, mtBenchItems(20));
    });

    afterAll(async () => {
      await app?.close();
      await app?.deps.dbHandle.close();
      await fixedSim?.close();
    });

    it("reports style control as not identified instead of printing coefficients", async () => {
      const created = await app.req("POST", "/v1/rounds", { name: "fixed", candidates: FIXED, pairing: "all-pairs", judges: [JUDGE], instructions: { limit: 20, seed: SEED } });
      expect(created.status).toBe(202);
      const { id } = await json<{ id: string }>(created);
      const worker = startBattleWorker(app.deps, "fixed");
      const done = await waitForRound(async () => json<Progress>(await app.req("GET", `/v1/rounds/${id}`)), 60_000);
      await worker.stop();
      expect(done.counts).toMatchObject({ done: done.counts.total, failed: 0 });
      const styled = await json<Board>(await app.req("GET", `/v1/leaderboard?roundId=${id}&styleControl=true&bootstrap=20`));
      console.log(`[style-control fixed] ${JSON.stringify(styled.style)}`);
      expect(styled.style?.identified).toBe(false);
      expect(styled.style?.reason).toMatch(/headers .*collinear with model identity/);
      const headers = styled.style?.estimates.find((e) => e.feature === "headers");
      expect(headers).toMatchObject({ estimate: null, ciLow: null, ciHigh: null });
    }, 90_000);
  });
});
