/**
 * Subcommand table for the CLI; `null` means the command keeps running (a server). Each command imports
 * its modules when it runs, so `help` and the offline `leaderboard` do not load the server, the
 * database drivers or the generator. The configuration (zod) is imported when a command reads it, so
 * the offline `leaderboard` without MATRIX_ARENA_MIN_BATTLES does not load it either.
 */
import type { Config } from "../config.js";
import { MIN_DECISIVE_BATTLES } from "../../reports/board-shape.js";
import { DataDirLockedError } from "../../db/lock.js";
import { StartupError } from "../errors.js";
import { survivePostgresDriverFaults } from "./driver-faults.js";

const USAGE = `matrix-arena <command> [options]

Commands:
  serve                 HTTP API + embedded worker (an embedded database in MATRIX_ARENA_DATA_DIR unless DATABASE_URL is set)
  worker                worker only (DATABASE_URL, or the embedded PostgreSQL of MATRIX_ARENA_DATA_DIR)
  migrate               apply database migrations and exit
  sim                   the LLM simulator (OpenAI-compatible): --port 8788 --seed N --preset FILE
  round start FILE|-    start a round from a JSON body (add --follow to watch it); MATRIX_ARENA_URL, MATRIX_ARENA_API_KEY
  round follow ID       follow a round with a progress bar
  leaderboard           ratings from a JSONL battle log: --input FILE [--method bt|elo|newman|davidson|counting|average-win-rate|eigen|pagerank] [--bootstrap N] [--baseline M] [--json]
  demo                  the whole loop against the simulator on a temporary database (--iterations 3 --seed 7 --out DIR);
                        --mt-bench [FILE]: multi-turn battles on MT-bench's two-turn questions (../shared/data)
  help                  this text
`;

type Command = (argv: string[]) => Promise<number | null>;

/** The validated configuration (src/config.ts), imported on first use. */
async function loadConfig(): Promise<Config> {
  const { loadConfig: load } = await import("../config.js");
  return load();
}

const COMMANDS: Record<string, Command> = {
  serve: async () => {
    const config = await loadConfig();
    await prestart(config);
    const { startServer } = await import("../server.js");
    const server = await startServer(config);
    if (server.deps.dbHandle.kind !== "pglite") survivePostgresDriverFaults(server.deps.logger);
    const stop = async (signal: string) => {
      server.deps.logger.info({ signal, graceMs: config.shutdownGraceMs }, "shutting down: no new claims; jobs in flight may finish within the grace period");
      await server.close({ graceMs: config.shutdownGraceMs });
      server.deps.logger.info({ released: server.releasedJobs() }, "stopped");
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
    return null;
  },
  worker: async () => {
    const config = await loadConfig();
    if (!config.databaseUrl && config.embeddedDb === "pglite") {
      process.stderr.write("matrix-arena worker: a PGlite folder serves one process; workers share DATABASE_URL or the embedded PostgreSQL (MATRIX_ARENA_DB=embedded)\n");
      return 2;
    }
    await prestart(config);
    const [{ buildDeps }, { startBattleWorker }, { startGeneratorWorker }, { startMetricsServer }] = await Promise.all([import("../deps.js"), import("../background.js"), import("../generator/engine/worker.js"), import("../metrics-server.js")]);
    const deps = await buildDeps(config);
    if (deps.dbHandle.kind === "pglite") {
      await deps.close();
      process.stderr.write("matrix-arena worker: the data folder holds a PGlite database, which serves one process; workers share DATABASE_URL or the embedded PostgreSQL (MATRIX_ARENA_DB=embedded)\n");
      return 2;
    }
    survivePostgresDriverFaults(deps.logger);
    // Loopback only (src/metrics-server.ts): the worker's own call counters, which no API serves.
    const port = config.metricsPort;
    const metrics =
      port === undefined
        ? null
        : await startMetricsServer(deps.metrics, port, deps.logger).catch(async (e: unknown) => {
            await deps.close();
            throw e;
          });
    const worker = startBattleWorker(deps, "worker");
    const generator = startGeneratorWorker(deps);
    // The loops' timers are unref'd and a lost database closes every socket: without this the process
    // would end quietly (exit 0) the moment PostgreSQL went away. It runs until a signal stops it.
    const keepAlive = setInterval(() => {}, 60_000);
    const stop = async (signal: string) => {
      deps.logger.info({ signal, graceMs: config.shutdownGraceMs }, "worker stopping: no new claims; jobs in flight may finish within the grace period");
      const graceMs = config.shutdownGraceMs;
      await Promise.all([worker.stop({ graceMs }), generator.stop({ graceMs })]);
      deps.logger.info({ released: worker.released + generator.released }, "worker stopped");
      await metrics?.close();
      clearInterval(keepAlive);
      await deps.close();
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
    return null;
  },
  migrate: async () => {
    const config = await loadConfig();
    const [{ openDb }, { dbOptions }] = await Promise.all([import("../../db/client.js"), import("../deps.js")]);
    const handle = await openDb(dbOptions(config));
    await handle.close();
    process.stdout.write(`migrations applied (${handle.kind})\n`);
    return 0;
  },
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

/** Starts the embedded PostgreSQL (when it is the database) while the app's modules load. */
async function prestart(config: Config): Promise<void> {
  const { prestartDb } = await import("../../db/client.js");
  await prestartDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embedded: config.embeddedDb });
}

export function registerCommand(name: string, fn: Command): void {
  COMMANDS[name] = fn;
}

export async function runCommand(argv: string[]): Promise<number | null> {
  const [given = "help", ...rest] = argv;
  const name = given === "--help" || given === "-h" ? "help" : given;
  const cmd = COMMANDS[name] ?? (await loadLazy(name));
  if (!cmd) {
    process.stderr.write(`unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd(rest);
  } catch (e) {
    const { ConfigError } = await import("../config.js");
    if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof StartupError || (e instanceof Error && e.name === "EmbeddedPgError")) {
      process.stderr.write(`matrix-arena: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Commands whose modules are heavy or optional are imported only when used. */
async function loadLazy(name: string): Promise<Command | undefined> {
  switch (name) {
    case "sim": {
      const { runSimCommand } = await import("../sim/cli.js");
      // Resolves when the simulator stops (SIGINT/SIGTERM), or at once for a usage error.
      return (argv) => runSimCommand(argv);
    }
    case "leaderboard": {
      const { runLeaderboard } = await import("./leaderboard.js");
      // Offline: the configuration matters only for MATRIX_ARENA_MIN_BATTLES (validated with the rest when set).
      return async (argv) => runLeaderboard(argv, undefined, { minBattles: process.env.MATRIX_ARENA_MIN_BATTLES === undefined ? MIN_DECISIVE_BATTLES : (await loadConfig()).minBattles });
    }
    case "demo": {
      const { runDemoCommand } = await import("../demo/demo.js");
      return (argv) => runDemoCommand(argv);
    }
    case "round": {
      const { runRoundCommand } = await import("./round.js");
      return async (argv) => runRoundCommand(await loadConfig(), argv, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTty: process.stderr.isTTY === true });
    }
    default:
      return undefined;
  }
}
