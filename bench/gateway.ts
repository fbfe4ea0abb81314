/**
 * bench gateway: throughput of the provider gateway against the simulator at fixed latency.
 * The simulator runs in a child process (this file re-run with `--serve-sim`) so client and server
 * each get a core. N calls are submitted at once to a model with maxConcurrency C (the gateway's
 * limiter does the queueing); every call has a distinct prompt and bypasses the cache, so every
 * call reaches the simulator. The ideal wall time is N * L / C. A same-run reference (the bare openai
 * SDK over the same HTTP client) separates the gateway's own CPU from the SDK's.
 * Usage: tsx bench/gateway.ts [--n 20000] [--c 256] [--latency 200]
 * Last line: `bench gateway: ratio=<wall/ideal> wall_s=... ideal_s=... n=... c=... latency_ms=... cpu_us_per_call=...`
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import OpenAI from "openai";
import { MemoryCache } from "../src/gateway/cache-key.js";
import { createGateway } from "../src/gateway/gateway.js";
import { keepAliveFetch } from "../src/gateway/http-fetch.js";
import { LimiterRegistry, REAL_CLOCK } from "../src/gateway/limiter.js";
import type { ChatResult, ModelSpec } from "../src/gateway/types.js";

interface BenchArgs {
  n: number;
  c: number;
  latency: number;
}

const DEFAULTS: BenchArgs = { n: 20_000, c: 256, latency: 200 };

function parseArgs(argv: string[]): BenchArgs {
  const out = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if ((flag === "--n" || flag === "--c" || flag === "--latency") && Number.isFinite(value) && value > 0) {
      out[flag.slice(2) as keyof BenchArgs] = Math.floor(value);
      i++;
    }
  }
  return out;
}

/** Child mode: start the simulator, print its URL as one JSON line, run until killed. */
async function serveSim(latencyMs: number): Promise<void> {
  const { startSimulator } = await import("../src/sim/server.js");
  const sim = await startSimulator({ port: 0, seed: 1, latency: { kind: "fixed", ms: latencyMs } });
  process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
  // The parent asks for our CPU time over IPC, to report the simulator's share next to its own.
  process.on("message", (m) => {
    if (m === "cpu") process.send?.(process.cpuUsage());
  });
  const stop = (): void => {
    void sim.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // If the parent dies without killing us, the IPC channel closes: do not linger.
  process.on("disconnect", stop);
}

/** Spawn this file in simulator mode under tsx's loader; resolves with the child and its URL. */
async function spawnSim(latencyMs: number): Promise<{ child: ChildProcess; url: string }> {
  const self = fileURLToPath(import.meta.url);
  const argv = ["--import", import.meta.resolve("tsx"), self, "--serve-sim", "--latency", String(latencyMs)];
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator child exited early (code ${code})`)));
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  lines.close();
  return { child, url };
}

/** The child's CPU time so far (user + system, microseconds). */
function childCpuUs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m) => {
      const u = m as NodeJS.CpuUsage;
      resolve(u.user + u.system);
    });
    child.send("cpu");
  });
}

async function firstModel(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/models`);
  const body = (await res.json()) as { data: { id: string }[] };
  const id = body.data[0]?.id;
  if (id === undefined) throw new Error("the simulator lists no models");
  return id;
}

interface RunResult {
  wallS: number;
  cpuUs: number;
  simCpuUs: number;
  failures: number;
}

const prompt = (i: number): string => `Benchmark prompt ${i}: explain caching.`;

/** Time `n` calls submitted at once (the model's limiter queues them) and the CPU both sides spent. */
async function runCalls(args: BenchArgs, baseUrl: string, modelId: string, child: ChildProcess): Promise<RunResult> {
  const gateway = createGateway({
    cache: new MemoryCache(),
    secrets: () => undefined,
    simBaseUrl: baseUrl,
    defaults: { timeoutMs: 60_000 },
    // A private registry so repeated runs in one process do not share limiter state.
    limiters: new LimiterRegistry(REAL_CLOCK),
  });
  const model: ModelSpec = { name: "bench", provider: "sim", model: modelId, maxConcurrency: args.c };
  const call = (i: number): Promise<ChatResult> =>
    gateway.chat(model, { messages: [{ role: "user", content: prompt(i) }], bypassCache: true, purpose: "bench" });
  // Warm-up (not timed): opens the C keep-alive connections and lets the JIT settle.
  await Promise.all(Array.from({ length: args.c }, (_, i) => call(-1 - i)));
  const sim0 = await childCpuUs(child);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: args.n }, (_, i) => call(i)));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const simCpuUs = (await childCpuUs(child)) - sim0;
  return { wallS, cpuUs: cpu.user + cpu.system, simCpuUs, failures: results.filter((r) => !r.ok).length };
}

/**
 * Reference measured in the same run: client CPU per call of the bare `openai` SDK over the same
 * HTTP client, C calls in flight, no gateway. The difference is the gateway's own overhead.
 */
async function sdkReferenceUs(args: BenchArgs, baseUrl: string, modelId: string): Promise<{ n: number; us: number }> {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: "no-key", maxRetries: 0, fetch: keepAliveFetch });
  const n = Math.min(args.n, 5_000);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await client.chat.completions.create({ model: modelId, messages: [{ role: "user", content: prompt(1e6 + i) }] });
    }
  };
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: args.c }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { n, us: (cpu.user + cpu.system) / n };
}

export async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { child, url } = await spawnSim(args.latency);
  try {
    const baseUrl = `${url}/v1`;
    const modelId = await firstModel(baseUrl);
    const { wallS, cpuUs, simCpuUs, failures } = await runCalls(args, baseUrl, modelId, child);
    const ref = await sdkReferenceUs(args, baseUrl, modelId);
    const idealS = (args.n * args.latency) / args.c / 1000;
    const cpuPerCall = cpuUs / args.n;
    console.log(`gateway: ${args.n} calls, ${failures} failed, wall ${wallS.toFixed(2)} s (ideal ${idealS.toFixed(2)} s)`);
    console.log(`gateway: client CPU ${(cpuUs / 1e6).toFixed(2)} s total, ${cpuPerCall.toFixed(1)} us per call`);
    console.log(`gateway: simulator CPU ${(simCpuUs / 1e6).toFixed(2)} s total, ${(simCpuUs / args.n).toFixed(1)} us per call`);
    console.log(
      `gateway: reference, bare openai SDK (${ref.n} calls, ${args.c} workers): ${ref.us.toFixed(1)} us per call; ` +
        `gateway + queueing overhead ${(cpuPerCall - ref.us).toFixed(1)} us per call`,
    );
    console.log(
      `bench gateway: ratio=${(wallS / idealS).toFixed(3)} wall_s=${wallS.toFixed(2)} ideal_s=${idealS.toFixed(2)} ` +
        `n=${args.n} c=${args.c} latency_ms=${args.latency} cpu_us_per_call=${cpuPerCall.toFixed(1)}`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const args = parseArgs(process.argv.slice(2));
  if (process.argv.includes("--serve-sim")) await serveSim(args.latency);
  else await main();
}
