/**
 * `matrix-arena sim`: run the SIMULATOR until SIGINT/SIGTERM.
 *   matrix-arena sim [--port 8788] [--host 127.0.0.1] [--seed 1] [--preset FILE] [--latency-ms N]
 * Returns the process exit code (0 on a clean stop, 2 on bad arguments or an invalid preset).
 */
import { parseArgs } from "node:util";
import { loadPresetFile } from "./preset-schema.js";
import { startSimulator } from "./server.js";

const USAGE = `usage: matrix-arena sim [--port 8788] [--host 127.0.0.1] [--seed N] [--preset FILE] [--latency-ms N]

Starts the matrix-arena SIMULATOR: an OpenAI-compatible server whose models and judges are synthetic,
with hidden skills you can read at GET /sim/truth. It is not a real LLM provider.`;

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** Run the simulator command; resolves with the exit code once a stop signal arrives. */
export async function runSimCommand(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        preset: { type: "string" },
        "latency-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const port = intOption(opts.port, "port", 8788, 0, 65535);
    const seed = intOption(opts.seed, "seed", 1, 0, 2 ** 32 - 1);
    const latencyMs = opts["latency-ms"] === undefined ? undefined : intOption(opts["latency-ms"], "latency-ms", 0, 0, 600_000);
    const preset = opts.preset ? await loadPresetFile(opts.preset) : undefined;
    const latency = latencyMs === undefined ? undefined : { kind: "fixed" as const, ms: latencyMs };
    const sim = await startSimulator({ port, host: opts.host, seed, preset, latency });
    const models = Object.keys(sim.truth().models).length;
    process.stdout.write(
      `matrix-arena SIMULATOR listening on ${sim.url} (OpenAI base URL ${sim.baseUrl})\n` +
        `This is a SIMULATOR: ${models} synthetic answer models with hidden skills (GET ${sim.url}/sim/truth), seed ${seed}.\n`,
    );
    await waitForStop();
    await sim.close();
    process.stdout.write("simulator stopped\n");
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

function waitForStop(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
