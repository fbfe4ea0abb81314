/**
 * `npm run demo`: the whole Arena Learning loop in one process, on a fresh temporary database (the
 * embedded default), against the built-in SIMULATOR (no API key, no network). Instructions in, iterations of
 * target-vs-opponents battles judged by a jury with position swap, leaderboards after each, SFT and
 * DPO exports written to disk, the simulator's training stand-in producing the next checkpoint, and
 * the target's rating on the held-out evaluation set rising across versions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startBattleWorker } from "../background.js";
import { loadConfig } from "../config.js";
import { buildDeps } from "../deps.js";
import { createApp } from "../http/app.js";
import { startSimulator } from "../sim/server.js";
import { type Api, databaseKind, followRound, inProcessApi } from "./in-process.js";
import { startGeneratorWorker } from "../generator/engine/worker.js";
import { templateInstructions } from "./seed-prompts.js";

export interface DemoOptions {
  iterations: number;
  seed: number;
  out?: string;
  /** Where instructions come from. */
  instructions: "templates" | "generator";
  write: (s: string) => void;
  progress: (s: string) => void;
  isTty: boolean;
}

const OPPONENTS = ["sim-strong", "sim-good", "sim-medium"];
const JUDGES = ["sim-judge-fair", "sim-judge-biased"];
/** Ratings are anchored on this opponent so boards of different iterations compare. */
const BASELINE = "sim-medium";

function boardTable(items: { model: string; rating: number; ciLow: number; ciHigh: number; rank: number; battles: number; winRate: number }[]): string {
  const rows = items.map((i) => `  ${String(i.rank).padStart(4)}  ${i.model.padEnd(14)} ${i.rating.toFixed(1).padStart(7)}  [${i.ciLow.toFixed(0)}, ${i.ciHigh.toFixed(0)}]  ${String(i.battles).padStart(5)}  ${(i.winRate * 100).toFixed(1).padStart(5)}%`);
  return ["  rank  model           rating  95% CI        battles   win", ...rows].join("\n");
}

/** Waits for a generator run (personas, simulation, generation) to finish, drawing its progress. */
async function waitRun(api: Api, path: string, label: string, o: DemoOptions): Promise<Record<string, unknown>> {
  for (;;) {
    const r = await api("GET", path);
    const c = (r.counts ?? {}) as { total?: number; done?: number; failed?: number };
    const line = `${label.padEnd(18)} ${String(r.status).padEnd(8)} ${c.done ?? 0}/${c.total ?? 0} tasks (stage ${String(r.stage)})`;
    if (o.isTty) o.progress(`\r${line}`);
    if (["done", "failed", "cancelled"].includes(String(r.status))) {
      o.progress(o.isTty ? "\n" : `${line}\n`);
      if (r.status !== "done") throw new Error(`${path} ended ${String(r.status)}`);
      return r;
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** MATRIX: personas -> a grouped multi-agent simulation -> scenario-grounded instructions, cleaned and published. */
async function generateInstructions(api: Api, o: DemoOptions): Promise<void> {
  o.write("generating instructions (MATRIX-Gen against the simulator):\n");
  const personas = await api("POST", "/v1/generator/personas/generate", { model: "sim-strong", count: 40, set: "demo", seed: o.seed });
  await waitRun(api, `/v1/generator/runs/${String(personas.id)}`, "personas", o);
  const sim = await api("POST", "/v1/generator/simulations", { model: "sim-strong", embeddingModel: "sim-embed", personaSet: "demo", agents: 40, groups: 5, steps: 2, communication: "grouped", seed: o.seed });
  const simDone = await waitRun(api, `/v1/generator/simulations/${String(sim.id)}`, "simulation", o);
  const state = (simDone.state ?? {}) as { groupSizes?: number[] };
  const gen = await api("POST", "/v1/generator/runs", { type: "matrix-gen", model: "sim-strong", simulationId: sim.id, count: 220, seed: o.seed });
  const genDone = await waitRun(api, `/v1/generator/runs/${String(gen.id)}`, "instructions", o);
  const byKind = ((genDone.items ?? {}) as { byKind?: Record<string, number> }).byKind ?? {};
  const pub = await api("POST", `/v1/generator/runs/${String(gen.id)}/publish`, { nearDupThreshold: 0.7 });
  o.write(`  40 personas in groups of ${(state.groupSizes ?? []).join("/")}; kinds ${Object.entries(byKind).map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
  o.write(`  published ${String(pub.published)} of ${String(pub.considered)} after cleaning (removed ${String(pub.removed)}: ${JSON.stringify(pub.byReason)})\n`);
}

export async function runDemo(o: DemoOptions): Promise<number> {
  // The database is scratch and goes at exit; the exports are the demo's output and stay.
  const dataDir = mkdtempSync(join(tmpdir(), "matrix-arena-demo-db-"));
  const outDir = o.out ?? mkdtempSync(join(tmpdir(), "matrix-arena-demo-exports-"));
  mkdirSync(outDir, { recursive: true });
  const sim = await startSimulator({ seed: o.seed, latency: { kind: "fixed", ms: 0 } });
  const config = loadConfig({ MATRIX_ARENA_DATA_DIR: dataDir, MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "32", LOG_LEVEL: "silent" });
  const deps = await buildDeps(config, { logger: pino({ level: "silent" }) });
  const app = createApp(deps);
  const worker = startBattleWorker(deps, "demo");
  const generator = startGeneratorWorker(deps, { concurrency: 32 });
  const api = inProcessApi(app);
  try {
    o.write(`matrix-arena demo: the Arena Learning loop against the built-in SIMULATOR (synthetic models; seed ${o.seed})\n`);
    o.write(`database: ${dataDir} (${databaseKind(deps)}, removed at exit)   exports: ${outDir}\n\n`);
    for (const name of [...OPPONENTS, ...JUDGES, "sim-embed"]) await api("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 64 });
    await api("POST", "/v1/models", { name: "target-v1", provider: "sim", model: "sim-target", maxConcurrency: 64, tags: ["target"] });

    if (o.instructions === "generator") await generateInstructions(api, o);
    else {
      const imported = await api("POST", "/v1/instructions", { items: templateInstructions() });
      o.write(`instructions: ${String(imported.inserted)} imported from built-in templates\n`);
    }
    const loop = await api("POST", "/v1/loops", { name: "demo", shards: o.iterations, seed: o.seed, evalHard: 10, evalDiverse: 16 });
    o.write(`loop: ${o.iterations} training shards of ${(loop.shardSizes as number[]).join("/")} instructions, 26 held out for evaluation\n`);

    const ratings: { version: string; rating: number }[] = [];
    let target = "target-v1";
    let simModel = "sim-target";
    for (let n = 1; n <= o.iterations; n++) {
      o.write(`\n== iteration ${n}: ${target} vs ${OPPONENTS.join(", ")}; jury ${JUDGES.join(" + ")} (both orders)\n`);
      const it = await api("POST", `/v1/loops/${String(loop.id)}/iterations`, { target, opponents: OPPONENTS, judges: JUDGES });
      await followRound(api, String(it.roundId), "training round", o, 18);
      await followRound(api, String(it.evalRoundId), "evaluation round", o, 18);
      const board = await api("GET", `/v1/leaderboard?roundId=${String(it.evalRoundId)}&bootstrap=100&baseline=${BASELINE}`);
      o.write(`leaderboard on the held-out evaluation set (Bradley-Terry, Elo scale, ${BASELINE} = 1000):\n${boardTable(board.items as never)}\n`);

      const sft = String((await api("GET", `/v1/exports/sft?iterationId=${String(it.id)}&format=messages`)).text ?? "");
      const dpo = String((await api("GET", `/v1/exports/dpo?iterationId=${String(it.id)}&format=trl`)).text ?? "");
      const sftFile = join(outDir, `iteration-${n}.sft.messages.jsonl`);
      const dpoFile = join(outDir, `iteration-${n}.dpo.trl.jsonl`);
      writeFileSync(sftFile, sft);
      writeFileSync(dpoFile, dpo);
      for (const [kind, format] of [["sft", "messages"], ["dpo", "trl"]]) {
        const card = String((await api("GET", `/v1/exports/${kind}/card?iterationId=${String(it.id)}&format=${format}`)).text ?? "");
        writeFileSync(join(outDir, `iteration-${n}.${kind}.card.md`), card);
      }
      const count = (s: string) => s.split("\n").filter((l) => l !== "").length;
      o.write(`exports: ${count(sft)} SFT rows -> ${sftFile}\n         ${count(dpo)} DPO pairs -> ${dpoFile}\n`);

      if (n < o.iterations) {
        const next = `target-v${n + 1}`;
        const nextSim = `sim-target-v${n + 1}`;
        // The stand-in "trains" on the SFT export: skills rise in the categories its rows cover.
        const res = await fetch(`${sim.url}/sim/train`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: nextSim, from: simModel, jsonl: sft }) });
        if (res.status !== 201) throw new Error(`simulated training failed: ${res.status} ${await res.text()}`);
        await api("POST", "/v1/models", { name: next, provider: "sim", model: nextSim, parent: target, maxConcurrency: 64, tags: ["target"] });
        o.write(`simulated training (a stand-in, not real training): ${next} registered with parent ${target}\n`);
        target = next;
        simModel = nextSim;
      }
    }
    // One board over every evaluation round: all versions and opponents rated together.
    const progress = await api("GET", `/v1/loops/${String(loop.id)}?bootstrap=100`);
    const pooled = (progress.evalBoard as { items: { model: string; rating: number; ciLow: number; ciHigh: number }[] }).items;
    const shift = 1000 - (pooled.find((i) => i.model === BASELINE)?.rating ?? 1000);
    o.write(`\n== the target across versions: one board over all evaluation rounds (${BASELINE} = 1000)\n`);
    for (const it of progress.iterations as { target: string }[]) {
      const r = pooled.find((i) => i.model === it.target);
      if (!r) continue;
      ratings.push({ version: it.target, rating: r.rating + shift });
      o.write(`  ${it.target.padEnd(12)} ${(r.rating + shift).toFixed(1).padStart(7)}  [${(r.ciLow + shift).toFixed(0)}, ${(r.ciHigh + shift).toFixed(0)}]\n`);
    }
    const first = ratings[0]?.rating ?? 0;
    const last = ratings[ratings.length - 1]?.rating ?? 0;
    o.write(`change: ${last >= first ? "+" : ""}${(last - first).toFixed(1)} Elo\nexports written to ${outDir}\n`);
    return 0;
  } finally {
    await Promise.all([worker.stop(), generator.stop()]);
    await deps.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runDemoCommand(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const iterations = Number(arg("--iterations") ?? 3);
  const seed = Number(arg("--seed") ?? 7);
  if (argv.includes("--mt-bench")) {
    const { defaultMtBenchFile, runMtBenchDemo } = await import("./mt-bench.js");
    const file = arg("--mt-bench");
    const limit = arg("--limit");
    return runMtBenchDemo({
      seed,
      file: file === undefined || file.startsWith("--") ? defaultMtBenchFile() : file,
      out: arg("--out"),
      limit: limit === undefined ? undefined : Number(limit),
      write: (s) => process.stdout.write(s),
      progress: (s) => process.stderr.write(s),
      isTty: process.stderr.isTTY === true,
    });
  }
  if (!Number.isInteger(iterations) || iterations < 2 || iterations > 10) {
    process.stderr.write("demo: --iterations must be an integer from 2 to 10\n");
    return 2;
  }
  return runDemo({
    iterations,
    seed,
    out: arg("--out"),
    instructions: argv.includes("--templates") ? "templates" : "generator",
    write: (s) => process.stdout.write(s),
    progress: (s) => process.stderr.write(s),
    isTty: process.stderr.isTTY === true,
  });
}
