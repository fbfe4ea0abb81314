/**
 * `npm run demo -- --mt-bench [FILE]`: multi-turn battles on MT-bench's 80 two-turn questions (from
 * `../shared/data/mt-bench-questions.jsonl`, or FILE), against the built-in SIMULATOR on a temporary
 * database (the embedded default). Each candidate answers turn by turn, seeing its own first answer; the judge decides
 * on whole conversations (the multi-turn template), then on the last turn only (`judgeTurns: "last"`),
 * and the first turns alone are judged as single-turn instructions for comparison: the simulator's
 * forgetful model (good on turn one, poor on turn two) leads the first-turn board and drops on the
 * two-turn boards. SFT and DPO exports of the conversation round are written to disk.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { startBattleWorker } from "../background.js";
import { loadConfig } from "../config.js";
import { buildDeps } from "../deps.js";
import { createApp } from "../http/app.js";
import { startSimulator } from "../sim/server.js";
import { type Api, databaseKind, followRound, inProcessApi } from "./in-process.js";

export const MT_BENCH_CANDIDATES = ["sim-strong", "sim-good", "sim-forgetful", "sim-medium", "sim-weak"];
const JUDGE = "sim-judge-fair";

export interface MtBenchDemoOptions {
  seed: number;
  /** The MT-bench questions file (JSONL with `question_id`, `category`, `turns`). */
  file: string;
  out?: string;
  /** Use only the first N questions (tests); all of them by default. */
  limit?: number;
  write: (s: string) => void;
  progress: (s: string) => void;
  isTty: boolean;
}

/** The default questions file: `../shared/data` next to the checkout, as the tests read it. */
export function defaultMtBenchFile(cwd = process.cwd()): string {
  return resolve(cwd, "../shared/data/mt-bench-questions.jsonl");
}

/** MT-bench lines -> multi-turn instruction items (pure). A line that is not a question is skipped and counted. */
export function mtBenchItems(text: string): { items: { turns: string[]; category: string; externalId: string; source: string }[]; skipped: number } {
  const items: { turns: string[]; category: string; externalId: string; source: string }[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const q = JSON.parse(line) as { question_id?: unknown; category?: unknown; turns?: unknown };
      const turns = Array.isArray(q.turns) ? q.turns.filter((x): x is string => typeof x === "string") : [];
      if (turns.length < 2 || typeof q.category !== "string") {
        skipped++;
        continue;
      }
      items.push({ turns, category: q.category, externalId: String(q.question_id), source: "mt-bench" });
    } catch {
      skipped++;
    }
  }
  return { items, skipped };
}

function board(items: { model: string; rating: number; rank: number; battles: number; winRate: number }[]): string {
  const rows = items.map((i) => `  ${String(i.rank).padStart(4)}  ${i.model.padEnd(14)} ${i.rating.toFixed(1).padStart(7)}  ${String(i.battles).padStart(5)}  ${(i.winRate * 100).toFixed(1).padStart(5)}%`);
  return ["  rank  model           rating  battles   win", ...rows].join("\n");
}

export async function runMtBenchDemo(o: MtBenchDemoOptions): Promise<number> {
  if (!existsSync(o.file)) {
    o.write(`demo --mt-bench: ${o.file} not found (pass the MT-bench questions file: --mt-bench FILE)\n`);
    return 2;
  }
  const parsed = mtBenchItems(readFileSync(o.file, "utf8"));
  const items = o.limit === undefined ? parsed.items : parsed.items.slice(0, o.limit);
  const dataDir = mkdtempSync(join(tmpdir(), "matrix-arena-demo-db-"));
  const outDir = o.out ?? mkdtempSync(join(tmpdir(), "matrix-arena-demo-exports-"));
  mkdirSync(outDir, { recursive: true });
  const sim = await startSimulator({ seed: o.seed, latency: { kind: "fixed", ms: 0 } });
  const config = loadConfig({ MATRIX_ARENA_DATA_DIR: dataDir, MATRIX_ARENA_SIM_URL: sim.baseUrl, MATRIX_ARENA_WORKER_CONCURRENCY: "32", LOG_LEVEL: "silent" });
  const deps = await buildDeps(config, { logger: pino({ level: "silent" }) });
  const app = createApp(deps);
  const worker = startBattleWorker(deps, "demo");
  const api = inProcessApi(app);
  try {
    o.write(`matrix-arena demo: multi-turn battles on MT-bench against the built-in SIMULATOR (synthetic models; seed ${o.seed})\n`);
    o.write(`database: ${dataDir} (${databaseKind(deps)}, removed at exit)   exports: ${outDir}\n\n`);
    for (const name of [...MT_BENCH_CANDIDATES, JUDGE]) await api("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 64 });
    const two = await api("POST", "/v1/instructions", { items });
    const one = await api("POST", "/v1/instructions", { items: items.map((i) => ({ text: i.turns[0], category: i.category, externalId: i.externalId, source: "mt-bench-turn1" })) });
    o.write(`instructions: ${String(two.inserted)} two-turn MT-bench questions from ${o.file}${parsed.skipped > 0 ? ` (${parsed.skipped} lines skipped)` : ""}, and their ${String(one.inserted)} first turns alone\n`);
    const base = { candidates: MT_BENCH_CANDIDATES, pairing: "all-pairs", judges: [JUDGE] };
    const rounds: { label: string; body: Record<string, unknown> }[] = [
      { label: "first turns alone", body: { ...base, name: "mt-bench first turns", instructions: { source: "mt-bench-turn1" } } },
      { label: "two turns, conversation", body: { ...base, name: "mt-bench two turns", instructions: { source: "mt-bench" } } },
      { label: "two turns, last turn", body: { ...base, name: "mt-bench two turns (last)", instructions: { source: "mt-bench" }, judgeTurns: "last" } },
    ];
    const ids: string[] = [];
    for (const r of rounds) {
      o.write(`\n== ${r.label}: ${MT_BENCH_CANDIDATES.join(", ")}; judge ${JUDGE} (both orders)\n`);
      const created = await api("POST", "/v1/rounds", r.body);
      await followRound(api, String(created.id), r.label, o, 22);
      ids.push(String(created.id));
      const b = await api("GET", `/v1/leaderboard?roundId=${String(created.id)}&bootstrap=50&baseline=sim-medium`);
      o.write(`leaderboard (Bradley-Terry, Elo scale, sim-medium = 1000):\n${board(b.items as never)}\n`);
    }
    const conv = ids[1] ?? "";
    for (const [kind, format] of [["sft", "messages"], ["dpo", "trl"]] as const) {
      const text = String((await api("GET", `/v1/exports/${kind}?roundId=${conv}&format=${format}`)).text ?? "");
      const file = join(outDir, `mt-bench.${kind}.${format}.jsonl`);
      writeFileSync(file, text);
      writeFileSync(join(outDir, `mt-bench.${kind}.card.md`), String((await api("GET", `/v1/exports/${kind}/card?roundId=${conv}&format=${format}`)).text ?? ""));
      o.write(`exports: ${text.split("\n").filter((l) => l !== "").length} ${kind.toUpperCase()} rows (whole conversations) -> ${file}\n`);
    }
    return 0;
  } finally {
    await worker.stop();
    await deps.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
