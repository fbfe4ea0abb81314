/**
 * `bench adaptive`: judge calls an adaptive round needs to rank 8 simulator models (five of the
 * preset and three checkpoints derived with POST /sim/models) with Kendall tau >= 0.9 against the
 * simulator's hidden skills (GET /sim/truth) and a widest 95% interval <= 60 Elo, against a uniform
 * all-pairs baseline grown until it reaches the same: all-pairs rounds of --step instructions each
 * (default 1: 28 battles, the finest step a uniform plan has), on instructions no earlier step used,
 * the board over all of them read after each step. Both are read on the same board: Bradley-Terry, seed 0, --bootstrap rounds (default
 * 1,000, the adaptive rule's default; the adaptive round gets the same adaptive.bootstrap), and judge
 * calls are the rounds' stored judgments.
 *
 * Model sets (--set): "wide" (default), 8 models about 780 Elo from first to last with the widest gaps
 * at the ends (a weak early checkpoint far below the rest, a strong new one above); "narrow", the five preset models with three checkpoints between them, about 400 Elo.
 *
 * In-process: the service and its worker (concurrency 16) on PGlite in memory (or PostgreSQL with
 * --pg and DATABASE_URL: a fresh database per seed, dropped after), the simulator on a random port,
 * one simulator and database per seed. calls_ratio = adaptive calls / uniform calls, per seed and as
 * the mean over --seeds (default 5). Beside it: oracle_ratio, the planner's battles with the
 * strengths known (the uniform board's final ratings, exact Fisher information), and optimal_ratio,
 * the minimax design's (battles/adaptive-plan.ts optimalDesignRatio), each against uniform's.
 */
import { pino } from "pino";
import { asc } from "drizzle-orm";
import { openDb } from "../db/client.js";
import { instructions as instructionsTable } from "../db/schema/index.js";
import { startBattleWorker } from "../src/background.js";
import { loadConfig } from "../src/config.js";
import { buildDeps, type Deps } from "../src/deps.js";
import { createApp } from "../src/http/app.js";
import { startSimulator } from "../src/sim/server.js";
import { leaderboardFromCounts } from "../reports/leaderboard-counts.js";
import { readCounts } from "../reports/queries.js";
import { kendallTau } from "../reports/rank-correlation.js";
import { mulberry32, pick } from "../lib/random.js";
import { ADAPTIVE_BOOTSTRAP_ROUNDS, boardCovariance, defaultWaveSize, optimalDesignRatio, pickWave, type WavePair, widestVariance } from "../battles/adaptive-plan.js";
import { NATURAL_TO_ELO } from "../reports/rating-scale.js";
import { arg, createPgDatabase, textArg } from "./common.js";

export const PRESET = ["sim-strong", "sim-good", "sim-medium", "sim-target", "sim-weak"];
/** Derived checkpoints per model set: name, parent, skill added in every category. */
export const SETS: Record<string, [string, string, number][]> = {
  wide: [
    ["sim-weak-v0", "sim-weak", -2.5],
    ["sim-target-v2", "sim-target", 0.6],
    ["sim-strong-v2", "sim-strong", 1.5],
  ],
  narrow: [
    ["sim-strong-v0", "sim-strong", -0.5],
    ["sim-medium-v2", "sim-medium", 0.35],
    ["sim-weak-v2", "sim-weak", 0.5],
  ],
};
const CATEGORIES = ["coding", "math", "writing", "reasoning", "extraction", "roleplay", "stem", "humanities"];
const KEYWORD: Record<string, string> = { coding: "code", math: "calculate", writing: "essay", reasoning: "puzzle", extraction: "extract", roleplay: "pretend", stem: "physics", humanities: "history" };
const WORDS = "river,market,engine,garden,harbor,ledger,signal,canvas,orbit,lantern,meadow,quartz,vessel,thunder,archive,bridge,cipher,dune,ember,forest,glacier,horizon,island,jungle,kettle,lagoon,mirror,nebula,oasis,prism,quiver,rocket,summit,tunnel,valley,willow,yarrow,zephyr,anchor,beacon".split(",");
export const JUDGE = "sim-judge-fair";

/** Synthetic prompts spread evenly over the categories, each with distinct content words (the simulator's key points). */
function instructions(n: number, seed: number): { text: string; category: string; externalId: string; source: string }[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, k) => {
    const category = CATEGORIES[k % CATEGORIES.length] ?? "writing";
    const words = Array.from({ length: 6 }, () => pick(rng, WORDS, "river"));
    return { text: `${KEYWORD[category]} task ${k}: relate the ${words.join(", the ")} and explain each step.`, category, externalId: `bench-${k}`, source: "bench-adaptive" };
  });
}

export interface Setup {
  deps: Deps;
  api: (method: string, path: string, body?: unknown) => Promise<Response>;
  truth: string[];
  models: string[];
  close: () => Promise<void>;
}

export async function setUp(seed: number, pool: number, pg: string | null, derived: readonly [string, string, number][]): Promise<Setup> {
  const sim = await startSimulator({ seed, latency: { kind: "fixed", ms: 0 } });
  for (const [name, from, delta] of derived) {
    const res = await fetch(`${sim.url}/sim/models`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, from, skillDelta: Object.fromEntries(CATEGORIES.map((c) => [c, delta])) }) });
    if (res.status !== 201) throw new Error(`POST /sim/models ${name}: ${res.status} ${await res.text()}`);
  }
  const db = pg ? await createPgDatabase(pg, `ma_bench_adaptive_${seed}_${Date.now().toString(36)}`) : null;
  const handle = await openDb(db ? { databaseUrl: db.url } : { dataDir: "memory://" });
  const config = loadConfig({ MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER: "false", MATRIX_ARENA_WORKER_CONCURRENCY: "16", ...(db ? { DATABASE_URL: db.url } : {}) });
  const deps = await buildDeps(config, { dbHandle: handle, logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }) });
  const app = createApp(deps);
  const api = async (method: string, path: string, body?: unknown) => app.request(path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const models = [...PRESET, ...derived.map((d) => d[0])];
  for (const name of [...models, JUDGE]) {
    const res = await api("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 64 });
    if (res.status !== 201) throw new Error(`POST /v1/models ${name}: ${res.status}`);
  }
  const imported = await api("POST", "/v1/instructions", { items: instructions(pool, seed) });
  if (imported.status !== 200) throw new Error(`POST /v1/instructions: ${imported.status}`);
  const truthBody = (await (await fetch(`${sim.url}/sim/truth`)).json()) as { models: Record<string, { skill: number }> };
  const truth = models.map((m) => ({ m, s: truthBody.models[m]?.skill ?? Number.NaN })).sort((a, b) => b.s - a.s).map((x) => x.m);
  return {
    deps,
    api,
    truth,
    models,
    close: async () => {
      await deps.close();
      await handle.close();
      await sim.close();
      await db?.drop();
    },
  };
}

export interface Progress {
  status: string;
  judgments: { total: number };
  counts: { total: number };
  adaptive: { wave: number; ciWidth: number | null; stoppedBy: string | null } | null;
}

export async function waitDone(s: Setup, id: string): Promise<Progress> {
  for (;;) {
    const p = (await (await s.api("GET", `/v1/rounds/${id}`)).json()) as Progress;
    if (["done", "failed", "cancelled", "budget_exhausted"].includes(p.status)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The default board over `roundIds`: its widest interval and Kendall tau of its order against the truth. */
async function boardFigures(s: Setup, roundIds: string[], bootstrap: number): Promise<{ tau: number; width: number; ratings: number[] }> {
  const board = leaderboardFromCounts(await readCounts(s.deps.db, { roundIds }), { bootstrap, seed: 0 });
  const order = [...board.items].sort((a, b) => b.rating - a.rating).map((it) => it.model);
  const width = Math.max(...board.items.map((it) => it.ciHigh - it.ciLow));
  return { tau: order.length === s.truth.length ? kendallTau(order, s.truth) : Number.NaN, width, ratings: board.items.map((it) => it.rating) };
}

export async function startRound(s: Setup, body: Record<string, unknown>): Promise<string> {
  const res = await s.api("POST", "/v1/rounds", { candidates: s.models, pairing: "all-pairs", judges: [JUDGE], ...body });
  if (res.status !== 202) throw new Error(`POST /v1/rounds: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

interface SeedResult {
  adaptiveCalls: number;
  adaptiveBattles: number;
  waves: number;
  tau: number;
  width: number;
  uniformCalls: number;
  uniformBattles: number;
  uniformTau: number;
  uniformWidth: number;
  reached: boolean;
  /** The uniform board's final ratings (Elo), the strengths the oracle figure plans with. */
  ratings: number[];
}

interface BenchOptions {
  pool: number;
  step: number;
  target: number;
  tauTarget: number;
  maxUniform: number;
  pg: string | null;
  bootstrap: number;
  derived: readonly [string, string, number][];
}

async function runSeed(seed: number, o: BenchOptions): Promise<SeedResult> {
  const s = await setUp(seed, o.pool, o.pg, o.derived);
  const worker = startBattleWorker(s.deps, "bench");
  try {
    const adaptiveId = await startRound(s, { sampling: "adaptive", adaptive: { target: { ciWidth: o.target }, bootstrap: o.bootstrap }, instructions: { seed } });
    const a = await waitDone(s, adaptiveId);
    const af = await boardFigures(s, [adaptiveId], o.bootstrap);
    // The uniform baseline: all-pairs steps over instructions of their own (ids after the adaptive round's would be
    // reused answers in another round anyway: each round stores its own).
    const ids = (await s.deps.db.select({ id: instructionsTable.id }).from(instructionsTable).orderBy(asc(instructionsTable.id))).map((x) => x.id);
    const roundIds: string[] = [];
    let calls = 0;
    let battles = 0;
    let uf = { tau: Number.NaN, width: Number.POSITIVE_INFINITY, ratings: [] as number[] };
    for (let k = 0; k * o.step < ids.length && battles < o.maxUniform; k++) {
      const id = await startRound(s, { instructions: { ids: ids.slice(k * o.step, (k + 1) * o.step) } });
      const p = await waitDone(s, id);
      roundIds.push(id);
      calls += p.judgments.total;
      battles += p.counts.total;
      uf = await boardFigures(s, roundIds, o.bootstrap);
      if (uf.tau >= o.tauTarget && uf.width <= o.target) break;
    }
    const reached = uf.tau >= o.tauTarget && uf.width <= o.target;
    return { adaptiveCalls: a.judgments.total, adaptiveBattles: a.counts.total, waves: a.adaptive?.wave ?? 0, tau: af.tau, width: af.width, uniformCalls: calls, uniformBattles: battles, uniformTau: uf.tau, uniformWidth: uf.width, reached, ratings: uf.ratings };
  } finally {
    await worker.stop();
    await s.close();
  }
}

const f = (x: number, d = 3) => x.toFixed(d);

/**
 * The planner with the strengths known (no estimation, no bootstrap noise): the widest Fisher variance
 * after `battles` battles planned wave by wave, over the widest variance of the uniform allocation of
 * as many battles. Variance falls as 1/battles, so this is the battles ratio the planner would need.
 */
export function oracleRatio(ratings: readonly number[], battles: number): number {
  const n = ratings.length;
  const theta = Float64Array.from(ratings, (r) => r / NATURAL_TO_ELO);
  const pairs: WavePair[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push({ i, j, count: 0, capacity: Number.MAX_SAFE_INTEGER });
  // Judged with the exact information of each pair.
  const widest = (counts: readonly number[]) => widestVariance(boardCovariance(n, pairs.map((p, k) => ({ ...p, count: counts[k] ?? 0 })), theta), n);
  const counts = pairs.map(() => 0);
  for (let planned = 0, wave = 1; planned < battles; wave++) {
    const picks = pickWave({ nModels: n, pairs: pairs.map((p, k) => ({ ...p, count: counts[k] ?? 0 })), theta, waveSize: Math.min(defaultWaveSize(pairs.length), battles - planned), rng: mulberry32(wave), exact: true });
    for (const k of picks) counts[k] = (counts[k] ?? 0) + 1;
    if (picks.length === 0) break;
    planned += picks.length;
  }
  return widest(counts) / widest(pairs.map(() => battles / pairs.length));
}

export async function main(argv: string[]): Promise<void> {
  const seeds = arg(argv, "seeds", 5);
  const set = textArg(argv, "set", "wide");
  const derived = SETS[set];
  if (!derived) throw new Error(`--set: one of ${Object.keys(SETS).join(", ")}`);
  const o: BenchOptions = {
    pool: arg(argv, "pool", 800),
    step: arg(argv, "step", 1),
    target: arg(argv, "ci-width", 60),
    tauTarget: arg(argv, "tau", 0.9),
    maxUniform: arg(argv, "max-uniform", 20_000),
    pg: argv.includes("--pg") ? (process.env.DATABASE_URL ?? null) : null,
    bootstrap: arg(argv, "bootstrap", ADAPTIVE_BOOTSTRAP_ROUNDS),
    derived,
  };
  if (argv.includes("--pg") && !o.pg) throw new Error("--pg needs DATABASE_URL");
  console.log(`set=${set} models=${PRESET.length + derived.length} judge=${JUDGE} ci_width_target=${o.target} tau_target=${o.tauTarget} bootstrap=${o.bootstrap} pool=${o.pool} uniform_step=${o.step * 28} battles db=${o.pg ? "postgres" : "pglite"}`);
  const ratios: number[] = [];
  const taus: number[] = [];
  const widths: number[] = [];
  const oracles: number[] = [];
  const optima: number[] = [];
  const first = arg(argv, "first-seed", 1);
  for (let seed = first; seed < first + seeds; seed++) {
    const t0 = performance.now();
    const r = await runSeed(seed, o);
    const ratio = r.adaptiveCalls / r.uniformCalls;
    ratios.push(ratio);
    oracles.push(oracleRatio(r.ratings, r.uniformBattles));
    optima.push(optimalDesignRatio(r.ratings.map((x) => x / NATURAL_TO_ELO)).ratio);
    taus.push(r.tau);
    widths.push(r.width);
    console.log(
      `seed=${seed} adaptive_calls=${r.adaptiveCalls} battles=${r.adaptiveBattles} waves=${r.waves} tau=${f(r.tau)} ci_width=${f(r.width, 1)} | ` +
        `uniform_calls=${r.uniformCalls} battles=${r.uniformBattles} tau=${f(r.uniformTau)} ci_width=${f(r.uniformWidth, 1)}${r.reached ? "" : " (uniform stopped before reaching the target: its calls are a lower bound)"} | ratio=${f(ratio)} oracle_ratio=${f(oracles.at(-1) ?? Number.NaN)} optimal_ratio=${f(optima.at(-1) ?? Number.NaN)} spread_elo=${f(Math.max(...r.ratings) - Math.min(...r.ratings), 0)} seconds=${f((performance.now() - t0) / 1000, 1)}`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // The same bounds on evenly spaced ladders of 8 models, for how the possible saving grows with the spread.
  for (const step of [50, 100, 150, 200]) {
    const ladder = Array.from({ length: 8 }, (_, k) => k * step);
    console.log(`8 models ${step} Elo apart (spread ${7 * step}): oracle_ratio=${f(oracleRatio(ladder, 1680))} optimal_ratio=${f(optimalDesignRatio(ladder.map((x) => x / NATURAL_TO_ELO)).ratio)}`);
  }
  console.log(`bench adaptive: calls_ratio=${f(mean(ratios))} tau=${f(mean(taus))} ci_width=${f(mean(widths), 1)} oracle_ratio=${f(mean(oracles))} optimal_ratio=${f(mean(optima))} set=${set} seeds=${seeds} target_calls_ratio<=0.6 ${mean(ratios) <= 0.6 ? "met" : "NOT met"}`);
}
