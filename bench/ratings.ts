/**
 * `bench ratings`: Bradley-Terry with 100 bootstrap rounds on synthetic battles among 100 models with
 * known strengths, at 10k, 100k and 1M battles. Each size runs in its own child process (this file run
 * with `node --import tsx`), so peak memory is that process's maximum resident set size as the kernel
 * reports it (process.resourceUsage().maxRSS): runtime + the in-memory battle array + the fit.
 * seconds = wall time of aggregation + fit + bootstrap from an in-memory Battle[], measured cold (no
 * warm-up run), after generating the battles and collecting the generator's garbage.
 */
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Battle } from "../reports/battle-log.js";
import { bootstrapBradleyTerry, percentileIntervals, ranksFromIntervals } from "../reports/bootstrap.js";
import { fitBradleyTerry } from "../reports/bradley-terry.js";
import { kendallTau, spearmanRho } from "../reports/rank-correlation.js";
import { aggregateCells, pairTotals, toColumns } from "../reports/pair-counts.js";
import { randomInt, randomNormal, type Rng, xoshiroRng } from "../lib/random.js";

const SIZES = [10_000, 100_000, 1_000_000];
const N_MODELS = 100;
const ROUNDS = 100;
const TIE_RATE = 0.1;
const SEED = 20240601;
const CHILD_FLAG = "--ratings-bench-child";
const THIS_FILE = fileURLToPath(import.meta.url);

interface CaseResult {
  battles: number;
  seconds: number;
  cpuS: number;
  aggregateS: number;
  fitS: number;
  bootstrapS: number;
  peakMb: number;
  rssBeforeMb: number;
  spearman: number;
  kendall: number;
}

/** True strengths (Elo scale, sd 200) and battles between uniformly random pairs; 10% ties. */
export function generate(nBattles: number, rng: Rng): { truth: string[]; battles: Battle[] } {
  const names = Array.from({ length: N_MODELS }, (_, i) => `model-${String(i).padStart(3, "0")}`);
  const elo = names.map(() => 200 * randomNormal(rng));
  const battles: Battle[] = new Array<Battle>(nBattles);
  for (let k = 0; k < nBattles; k++) {
    const i = randomInt(rng, N_MODELS);
    let j = randomInt(rng, N_MODELS - 1);
    if (j >= i) j++;
    const pWin = 1 / (1 + 10 ** (((elo[j] ?? 0) - (elo[i] ?? 0)) / 400));
    const outcome = rng() < TIE_RATE ? 0.5 : rng() < pWin ? 1 : 0;
    battles[k] = { modelA: names[i] ?? "", modelB: names[j] ?? "", outcome };
  }
  const truth = names.map((m, i) => ({ m, r: elo[i] ?? 0 })).sort((x, y) => y.r - x.r).map((x) => x.m);
  return { truth, battles };
}

function runCase(nBattles: number): CaseResult {
  const { truth, battles } = generate(nBattles, xoshiroRng(SEED));
  // Settle the generator's garbage first so its collection is not billed to the rating code.
  (globalThis as { gc?: () => void }).gc?.();
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const cols = toColumns(battles);
  const cells = aggregateCells(cols);
  const pairs = pairTotals(cells);
  const t1 = performance.now();
  const fit = fitBradleyTerry(pairs);
  const t2 = performance.now();
  const boot = bootstrapBradleyTerry(cells, { rounds: ROUNDS, rng: xoshiroRng(SEED + 1), init: fit.theta });
  const { low, high } = percentileIntervals(boot);
  ranksFromIntervals(low, high);
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const recovered = cols.models.map((m, i) => ({ m, t: fit.theta[i] ?? 0 })).sort((x, y) => y.t - x.t).map((x) => x.m);
  return {
    battles: nBattles,
    seconds: (t3 - t0) / 1000,
    cpuS: (cpu.user + cpu.system) / 1e6,
    aggregateS: (t1 - t0) / 1000,
    fitS: (t2 - t1) / 1000,
    bootstrapS: (t3 - t2) / 1000,
    peakMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb,
    spearman: spearmanRho(recovered, truth),
    kendall: kendallTau(recovered, truth),
  };
}

function runChild(nBattles: number): CaseResult {
  const root = resolve(dirname(THIS_FILE), "..");
  const out = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", THIS_FILE, CHILD_FLAG, String(nBattles)], {
    cwd: root,
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`bench child (${nBattles} battles) failed: ${out.stderr}`);
  const last = out.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as CaseResult;
}

const fmt = (x: number, digits = 3): string => x.toFixed(digits);

/** Runs every size in a child process and prints one line each, then the summary line for the 1M case. */
export async function main(): Promise<void> {
  const results: CaseResult[] = [];
  for (const n of SIZES) {
    const r = runChild(n);
    results.push(r);
    console.log(
      `battles=${r.battles} models=${N_MODELS} rounds=${ROUNDS} seconds=${fmt(r.seconds)} cpu_s=${fmt(r.cpuS)} ` +
        `(aggregate=${fmt(r.aggregateS)} fit=${fmt(r.fitS)} bootstrap=${fmt(r.bootstrapS)}) ` +
        `peak_mb=${fmt(r.peakMb, 1)} rss_before_fit_mb=${fmt(r.rssBeforeMb, 1)} spearman=${fmt(r.spearman, 4)} kendall=${fmt(r.kendall, 4)}`,
    );
  }
  const big = results[results.length - 1];
  if (!big) return;
  console.log(
    `bench ratings: seconds=${fmt(big.seconds)} peak_mb=${fmt(big.peakMb, 1)} cpu_s=${fmt(big.cpuS)} battles=${big.battles} ` +
      `models=${N_MODELS} rounds=${ROUNDS} spearman=${fmt(big.spearman, 4)} kendall=${fmt(big.kendall, 4)}`,
  );
}

if (process.argv[2] === CHILD_FLAG && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  console.log(JSON.stringify(runCase(Number(process.argv[3]))));
}
