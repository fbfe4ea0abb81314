/**
 * `bench adaptive-replay`: the adaptive bench's expected figure without its draw-to-draw noise, and
 * whether the intervals the stopping rule reads are as wide as the ratings really scatter.
 *
 * `bench adaptive` runs each arm once per seed. Its calls ratio varies by about 0.08 from seed to
 * seed, mostly through when a noisy reading (the widest 1,000-round bootstrap interval) first dips
 * under the target, so five seeds pin the mean only to about ±0.03. This bench measures each seed's
 * outcomes once, live (one uniform all-pairs round of --instructions instructions on the simulator,
 * the models and judge of `bench adaptive`), then replays rounds offline --replays times: battle t of
 * pair k in replay r draws one of that pair's measured outcomes, the same draw in every arm (common
 * random numbers), so the arms differ only by their plans. Arms, each stopped as `bench adaptive`
 * stops them (widest interval <= --ci-width on the board the service reads, every model settled):
 * - uniform: all pairs once per step, grown step by step (Kendall tau >= 0.9 against the order of
 *   the full measured data required too);
 * - adaptive: the service's planner (battles/adaptive-plan.ts pickWave) and its scheduler's inputs
 *   (src/services/adaptive-rounds.ts: thetaOf, targetShrinkOf, boardSettled, the default wave);
 * - oracle: the same planner told the strengths and per-pair outcome variances of the full data.
 * Judge calls are two per battle in every arm (the fair judge needs no re-asks), so battles' ratio
 * is the calls ratio.
 *
 * With --coverage=R (default 0: off) each arm also plans --coverage-battles battles R times; the
 * spread of each model's rating over the R replays is its real 95% width (3.92 sd), printed against
 * the mean width the board reported, per model and as `calibration`, the mean over models of
 * reported / real (below 1: the board's intervals are narrower than the ratings' real scatter). The
 * widest real width is printed too, but it is the largest of 8 estimates each about ±7% off at 100
 * replays, so it runs high, the more so the more even the widths (as adaptive plans make them).
 */
import { asc, eq } from "drizzle-orm";
import { battles as battlesTable, instructions as instructionsTable } from "../db/schema/index.js";
import { startBattleWorker } from "../src/background.js";
import { boardSettled, targetShrinkOf, thetaOf, widestInterval } from "../src/services/adaptive-rounds.js";
import { ADAPTIVE_BOOTSTRAP_ROUNDS, defaultWaveSize, pickWave, type WavePair } from "../battles/adaptive-plan.js";
import { leaderboardFromCounts, type CountRow } from "../reports/leaderboard-counts.js";
import { kendallTau } from "../reports/rank-correlation.js";
import { NATURAL_TO_ELO } from "../reports/rating-scale.js";
import { mulberry32 } from "../lib/random.js";
import { SETS, setUp, startRound, waitDone } from "./adaptive.js";
import { arg, textArg } from "./common.js";

/** One seed's measured outcomes: per pair (i < j, candidate order) model i's shares, in battle order. */
export interface Measured {
  models: string[];
  pairs: { i: number; j: number; outcomes: number[] }[];
  /** Full-data log-strengths (natural scale) and each pair's outcome variance around them. */
  theta: Float64Array;
  variance: Float64Array;
  order: string[];
}

/** Count rows of a tally keyed `pair|outcome`, as the board reads them. */
function rowsOf(m: Measured, tally: Map<string, number>): CountRow[] {
  return [...tally.entries()].map(([key, count]) => {
    const [k, y] = key.split("|");
    const p = m.pairs[Number(k)] as Measured["pairs"][number];
    return { modelA: m.models[p.i] ?? "", modelB: m.models[p.j] ?? "", outcome: Number(y), count };
  });
}

export function measured(models: string[], rows: readonly { modelA: string; modelB: string; outcome: number }[]): Measured {
  const index = new Map(models.map((x, k) => [x, k]));
  const pairs: Measured["pairs"] = [];
  const at = new Map<number, number>();
  for (let i = 0; i < models.length; i++) for (let j = i + 1; j < models.length; j++) at.set(i * models.length + j, pairs.push({ i, j, outcomes: [] }) - 1);
  for (const r of rows) {
    const a = index.get(r.modelA);
    const b = index.get(r.modelB);
    if (a === undefined || b === undefined || a === b) continue;
    const k = at.get(Math.min(a, b) * models.length + Math.max(a, b));
    if (k !== undefined) pairs[k]?.outcomes.push(a < b ? r.outcome : 1 - r.outcome);
  }
  const tally = new Map<string, number>();
  pairs.forEach((p, k) => p.outcomes.forEach((y) => tally.set(`${k}|${y}`, (tally.get(`${k}|${y}`) ?? 0) + 1)));
  const m: Measured = { models, pairs, theta: new Float64Array(models.length), variance: new Float64Array(pairs.length), order: [] };
  m.theta = thetaOf(models, rowsOf(m, tally));
  m.variance = Float64Array.from(pairs, (p) => {
    const q = 1 / (1 + Math.exp(-((m.theta[p.i] ?? 0) - (m.theta[p.j] ?? 0))));
    return p.outcomes.reduce((s, y) => s + (y - q) ** 2, 0) / Math.max(1, p.outcomes.length);
  });
  m.order = [...models].sort((x, y) => (m.theta[index.get(y) ?? 0] ?? 0) - (m.theta[index.get(x) ?? 0] ?? 0));
  return m;
}

/** Battle t of pair k in replay r: one of the pair's measured outcomes, the same in every arm. */
export function draw(m: Measured, replay: number, k: number, t: number): number {
  const list = m.pairs[k]?.outcomes ?? [];
  const u = mulberry32((Math.imul(replay + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b) ^ Math.imul(t + 1, 0xc2b2ae35)) >>> 0)();
  return list[Math.floor(u * list.length)] ?? 0.5;
}

type Arm = "uniform" | "adaptive" | "oracle";

interface Replay {
  battles: number;
  reached: boolean;
  theta: Float64Array;
  widths: Map<string, number>;
}

/**
 * One replayed round of `arm`: stops at the target (target > 0) or after `cap` battles. The board is
 * the service's: Bradley-Terry, seed 0, `bootstrap` rounds.
 */
export function replay(m: Measured, arm: Arm, r: number, o: { target: number; cap: number; bootstrap: number; tau: number }): Replay {
  const n = m.models.length;
  const pairs: WavePair[] = m.pairs.map((p) => ({ i: p.i, j: p.j, count: 0, capacity: Number.MAX_SAFE_INTEGER, sumY: 0, sumY2: 0 }));
  const tally = new Map<string, number>();
  let theta: Float64Array = new Float64Array(n);
  let width: number | null = null;
  let total = 0;
  for (let wave = 1; total < o.cap; wave++) {
    const size = Math.min(defaultWaveSize(pairs.length), o.cap - total);
    const shrink = o.target > 0 && width !== null ? targetShrinkOf(o.target, width) : undefined;
    const rng = mulberry32((r * 7919 + wave) >>> 0);
    const picks =
      arm === "uniform"
        ? pairs.map((_, k) => k).slice(0, o.cap - total)
        : arm === "oracle"
          ? pickWave({ nModels: n, pairs, theta: m.theta, waveSize: size, rng, targetShrink: shrink, exact: true, outcomeVariance: m.variance })
          : pickWave({ nModels: n, pairs, theta, waveSize: size, rng, targetShrink: shrink });
    if (picks.length === 0) break;
    for (const k of picks) {
      const p = pairs[k] as WavePair;
      const y = draw(m, r, k, p.count);
      p.count++;
      p.sumY = (p.sumY ?? 0) + y;
      p.sumY2 = (p.sumY2 ?? 0) + y * y;
      tally.set(`${k}|${y}`, (tally.get(`${k}|${y}`) ?? 0) + 1);
      total++;
    }
    const rows = rowsOf(m, tally);
    // Only the adaptive arm plans on the current fit; the others are fitted once, when they end.
    if (arm === "adaptive") theta = thetaOf(m.models, rows);
    if (o.target <= 0 && total < o.cap) continue;
    const final = () => (arm === "adaptive" ? theta : thetaOf(m.models, rows));
    const board = leaderboardFromCounts(rows, { bootstrap: o.bootstrap, seed: 0 });
    width = widestInterval(board);
    const order = [...board.items].sort((x, y) => y.rating - x.rating).map((it) => it.model);
    const tauOk = arm !== "uniform" || (order.length === n && kendallTau(order, m.order) >= o.tau);
    if (o.target > 0 && width !== null && width <= o.target && boardSettled(board, m.models) && tauOk) {
      return { battles: total, reached: true, theta: final(), widths: new Map(board.items.map((it) => [it.model, it.ciHigh - it.ciLow])) };
    }
    if (total >= o.cap) return { battles: total, reached: false, theta: final(), widths: new Map(board.items.map((it) => [it.model, it.ciHigh - it.ciLow])) };
  }
  return { battles: total, reached: false, theta, widths: new Map() };
}

/** Each model's real 95% width (3.92 sd of its mean-centred rating over the replays, Elo) and the mean reported width. */
export function coverage(m: Measured, runs: readonly Replay[]): { real: number[]; reported: number[] } {
  const n = m.models.length;
  const centred = runs.map((x) => {
    const mean = x.theta.reduce((a, b) => a + b, 0) / n;
    return Array.from(x.theta, (t) => (t - mean) * NATURAL_TO_ELO);
  });
  const real = m.models.map((_, k) => {
    const xs = centred.map((c) => c[k] ?? 0);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return 2 * 1.959964 * Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  });
  const reported = m.models.map((name) => runs.reduce((a, x) => a + (x.widths.get(name) ?? 0), 0) / Math.max(1, runs.length));
  return { real, reported };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const se = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1) / Math.max(1, xs.length));
};
const f = (x: number, d = 3) => x.toFixed(d);

/** The live part: one uniform all-pairs round of `count` instructions on seed `seed`'s simulator. */
async function measure(seed: number, count: number, derived: readonly [string, string, number][]): Promise<Measured> {
  const s = await setUp(seed, count, null, derived);
  const worker = startBattleWorker(s.deps, "bench");
  try {
    const ids = (await s.deps.db.select({ id: instructionsTable.id }).from(instructionsTable).orderBy(asc(instructionsTable.id))).map((x) => x.id);
    const id = await startRound(s, { instructions: { ids: ids.slice(0, count) } });
    const p = await waitDone(s, id);
    if (p.status !== "done") throw new Error(`measuring round ${id}: ${p.status}`);
    const rows = await s.deps.db.select({ modelA: battlesTable.modelA, modelB: battlesTable.modelB, outcome: battlesTable.outcome, status: battlesTable.status }).from(battlesTable).where(eq(battlesTable.roundId, id));
    return measured(s.models, rows.filter((r) => r.status === "done" && r.outcome !== null).map((r) => ({ modelA: r.modelA, modelB: r.modelB, outcome: r.outcome ?? 0.5 })));
  } finally {
    await worker.stop();
    await s.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const seeds = arg(argv, "seeds", 3);
  const first = arg(argv, "first-seed", 1);
  const replays = arg(argv, "replays", 8);
  const count = arg(argv, "instructions", 64);
  const set = textArg(argv, "set", "wide");
  const derived = SETS[set];
  if (!derived) throw new Error(`--set: one of ${Object.keys(SETS).join(", ")}`);
  const o = { target: arg(argv, "ci-width", 60), cap: arg(argv, "max-battles", 20_000), bootstrap: arg(argv, "bootstrap", ADAPTIVE_BOOTSTRAP_ROUNDS), tau: arg(argv, "tau", 0.9) };
  const cover = arg(argv, "coverage", 0);
  const coverBattles = arg(argv, "coverage-battles", 1008);
  console.log(`set=${set} seeds=${first}..${first + seeds - 1} measured=${count} instructions per pair replays=${replays} ci_width_target=${o.target} bootstrap=${o.bootstrap}${cover > 0 ? ` coverage=${cover}x${coverBattles} battles` : ""}`);
  const ratios: Record<"adaptive" | "oracle", number[]> = { adaptive: [], oracle: [] };
  const calibrations: Record<Arm, number[]> = { uniform: [], adaptive: [], oracle: [] };
  for (let seed = first; seed < first + seeds; seed++) {
    const t0 = performance.now();
    const m = await measure(seed, count, derived);
    const perSeed: Record<"adaptive" | "oracle", number[]> = { adaptive: [], oracle: [] };
    const uniform: number[] = [];
    let unreached = 0;
    for (let r = 0; r < replays; r++) {
      const u = replay(m, "uniform", r, o);
      uniform.push(u.battles);
      for (const arm of ["adaptive", "oracle"] as const) {
        const a = replay(m, arm, r, o);
        if (!a.reached || !u.reached) unreached++;
        perSeed[arm].push(a.battles / u.battles);
      }
    }
    ratios.adaptive.push(...perSeed.adaptive);
    ratios.oracle.push(...perSeed.oracle);
    console.log(
      `seed=${seed} uniform_battles=${f(mean(uniform), 0)} adaptive_ratio=${f(mean(perSeed.adaptive))}±${f(se(perSeed.adaptive))} oracle_ratio=${f(mean(perSeed.oracle))}±${f(se(perSeed.oracle))}` +
        `${unreached > 0 ? ` (${unreached} arm runs stopped at --max-battles)` : ""} seconds=${f((performance.now() - t0) / 1000, 1)}`,
    );
    if (cover > 0) {
      for (const arm of ["uniform", "adaptive", "oracle"] as const) {
        const runs = Array.from({ length: cover }, (_, r) => replay(m, arm, 10_000 + r, { ...o, target: 0, cap: coverBattles }));
        const c = coverage(m, runs);
        const k = c.real.indexOf(Math.max(...c.real));
        const widest = Math.max(...c.reported);
        const calibration = mean(c.real.map((x, j) => (c.reported[j] ?? 0) / x));
        calibrations[arm].push(calibration);
        console.log(
          `  coverage ${arm}: calibration=${f(calibration)} real_widest=${f(c.real[k] ?? 0, 1)} (${m.models[k]}) reported_there=${f(c.reported[k] ?? 0, 1)} reported_widest=${f(widest, 1)} | ` +
            m.models.map((name, j) => `${name.replace("sim-", "")}=${f(c.real[j] ?? 0, 0)}/${f(c.reported[j] ?? 0, 0)}`).join(" "),
        );
      }
    }
  }
  const cal = cover > 0 ? ` calibration_uniform=${f(mean(calibrations.uniform))} calibration_adaptive=${f(mean(calibrations.adaptive))}` : "";
  console.log(`bench adaptive-replay: calls_ratio=${f(mean(ratios.adaptive))} se=${f(se(ratios.adaptive))} oracle_ratio=${f(mean(ratios.oracle))} oracle_se=${f(se(ratios.oracle))}${cal} set=${set} seeds=${seeds} replays=${replays}`);
}
