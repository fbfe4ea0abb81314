/**
 * `bench batch`: the same 2,000-call round (500 instructions, two simulator candidates, one judge,
 * all pairs: 1,000 answers and 1,000 judge games) sent call by call, then through batch models
 * (`batch: true`: /v1/files + /v1/batches on the simulator, batch price factor 0.5). In process, on
 * an in-memory PGlite, two simulators with the same seed (so the response cache is not shared and
 * both rounds get the same texts and tokens). cost_ratio = batch round's costUsd / direct round's,
 * both from the rounds' own counters (GET /v1/rounds/{id}); calls = requests the batch simulator
 * answered; seconds = the batch round's time, creation to `done` (the direct round's is the reference).
 * Options: --instructions=N (default 500), --completion-ms=N (how long the simulator takes per batch, default 1000).
 */
import { pino } from "pino";
import { openDb } from "../db/client.js";
import { startBattleWorker } from "../src/background.js";
import { loadConfig } from "../src/config.js";
import { buildDeps } from "../src/deps.js";
import { createApp } from "../src/http/app.js";
import { startSimulator } from "../src/sim/server.js";
import { arg } from "./common.js";

const TOPICS = ["volcanoes", "sorting", "revolutions", "photosynthesis", "interest rates", "poetry", "tides", "search trees", "aqueducts", "vaccines", "harmony", "tectonics", "glaciers", "compilers", "markets", "orbits"];

export async function main(argv: string[]): Promise<void> {
  const n = arg(argv, "instructions", 500);
  const completionMs = arg(argv, "completion-ms", 1000);
  const [simBatch, simDirect] = await Promise.all([startSimulator({ seed: 3 }), startSimulator({ seed: 3 })]);
  simBatch.setBatch({ completionMs, failRate: 0 });
  const config = loadConfig({
    MATRIX_ARENA_WORKER: "false",
    MATRIX_ARENA_SIM_URL: simBatch.baseUrl,
    MATRIX_ARENA_WORKER_CONCURRENCY: "64",
    MATRIX_ARENA_BATCH_POLL_MS: "100",
    MATRIX_ARENA_BATCH_GATHER_MS: "500",
    LOG_LEVEL: "warn",
  });
  const deps = await buildDeps(config, { dbHandle: await openDb({ dataDir: "memory://" }), logger: pino({ level: "warn" }) });
  const app = createApp(deps);
  const req = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await app.request(path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const out = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(out)}`);
    return out;
  };
  const prices = { inputPricePerMTok: 2.5, outputPricePerMTok: 10, maxConcurrency: 64, params: { maxTokens: 256 } };
  for (const m of ["sim-strong", "sim-weak", "sim-judge-verbose"]) {
    await req("POST", "/v1/models", { name: `direct-${m}`, provider: "sim", model: m, baseUrl: simDirect.baseUrl, ...prices });
    await req("POST", "/v1/models", { name: `batch-${m}`, provider: "sim", model: m, batch: true, ...prices });
  }
  const items = Array.from({ length: n }, (_, i) => ({ text: `Explain ${TOPICS[i % TOPICS.length]} with an example, case ${i}.`, category: "stem", source: "bench-batch", externalId: String(i) }));
  await req("POST", "/v1/instructions", { items });
  const worker = startBattleWorker(deps, "bench-batch");
  const round = async (prefix: string): Promise<{ cost: number; seconds: number; responses: number; judgments: number }> => {
    const started = performance.now();
    const { id } = (await req("POST", "/v1/rounds", { candidates: [`${prefix}-sim-strong`, `${prefix}-sim-weak`], pairing: "all-pairs", judges: [`${prefix}-sim-judge-verbose`], instructions: { source: "bench-batch" } })) as { id: string };
    for (;;) {
      const p = (await req("GET", `/v1/rounds/${id}`)) as { status: string; costUsd: number; responses: number; judgments: { total: number } };
      if (p.status !== "pending" && p.status !== "running") {
        if (p.status !== "done") throw new Error(`round ${prefix} ended ${p.status}`);
        return { cost: p.costUsd, seconds: (performance.now() - started) / 1000, responses: p.responses, judgments: p.judgments.total };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const direct = await round("direct");
  const batch = await round("batch");
  await worker.stop();
  const calls = simBatch.stats().requests;
  console.log(`direct round: ${direct.responses} answers + ${direct.judgments} judgments, $${direct.cost.toFixed(6)} in ${direct.seconds.toFixed(1)} s (reference)`);
  console.log(`batch round:  ${batch.responses} answers + ${batch.judgments} judgments, $${batch.cost.toFixed(6)} in ${batch.seconds.toFixed(1)} s; ${simBatch.stats().batch.batches} provider batches`);
  console.log(`bench batch: cost_ratio=${(batch.cost / direct.cost).toFixed(4)} calls=${calls} seconds=${batch.seconds.toFixed(1)} direct_seconds=${direct.seconds.toFixed(1)}`);
  await deps.close();
  await Promise.all([simBatch.close(), simDirect.close()]);
}
