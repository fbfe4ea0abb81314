/**
 * The composition root: builds every dependency once (database, logger, auth state, gateway, clock,
 * random generator, the board cache) and hands them to the app, the worker and the CLI as one `Deps` object.
 */
import type { Db, DbHandle } from "../db/client.js";
import { openDb, type OpenDbOptions } from "../db/client.js";
import type { Config } from "./config.js";
import { createDbCache, createDbUsageSink, tapUsage } from "./services/llm-store.js";
import { createGateway } from "./gateway/gateway.js";
import { createDbBatchQueue } from "./services/batch-queue.js";
import type { Gateway } from "./gateway/types.js";
import { createLogger, type Logger } from "./logger.js";
import { AuthState, ensureBootstrapKey } from "./services/keys.js";
import { createMetrics, type Metrics } from "./services/metrics.js";
import { logProviderFailures } from "./services/provider-failures.js";
import { ProgressCache } from "./services/progress-cache.js";
import { BoardCache } from "./services/board-cache.js";
import type { Leaderboard } from "../reports/leaderboard.js";

export interface Deps {
  config: Config;
  db: Db;
  dbHandle: DbHandle;
  logger: Logger;
  auth: AuthState;
  gateway: Gateway;
  /** Prometheus registry of this process (GET /metrics). */
  metrics: Metrics;
  clock: () => Date;
  random: () => number;
  /** Computed boards of this process, until their battles change (GET /v1/leaderboard). */
  boardCache: BoardCache<Leaderboard>;
  /** Round progress reused for a moment (src/services/progress-cache.ts); off with the board cache. */
  progressCache: ProgressCache;
}

export interface BuildOptions {
  logger?: Logger;
  /** Replace the gateway (tests that drive the simulator through a custom one). */
  gateway?: Gateway;
  dbHandle?: DbHandle;
}

/** How the configured database is opened; the embedded database picked is logged with the reason. */
export function dbOptions(config: Config, logger?: Pick<Logger, "info">): OpenDbOptions {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embedded: config.embeddedDb,
    onEmbeddedChoice: (driver, reason) => logger?.info({ database: driver, dataDir: config.dataDir, reason }, "embedded database"),
  };
}

export async function buildDeps(config: Config, opts: BuildOptions = {}): Promise<Deps & { close(): Promise<void> }> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const dbHandle = opts.dbHandle ?? (await openDb(dbOptions(config, logger)));
  if (dbHandle.embedded) {
    const { port, owned } = dbHandle.embedded;
    logger.info({ port, owned }, owned ? "embedded PostgreSQL started (stops with this process)" : "attached to the embedded PostgreSQL another process started");
  }
  const db = dbHandle.db;
  if (config.bootstrapApiKey) await ensureBootstrapKey(db, config.bootstrapApiKey);
  const auth = new AuthState(db);
  await auth.refresh();
  const metrics = createMetrics(db);
  const usage = logProviderFailures(tapUsage(createDbUsageSink(db, logger), metrics.observeCall), logger);
  const gateway =
    opts.gateway ??
    createGateway({ cache: createDbCache(db), usage, secrets: config.secrets, simBaseUrl: config.simBaseUrl, batches: createDbBatchQueue(db) });
  return {
    config,
    db,
    dbHandle,
    logger,
    auth,
    gateway,
    metrics,
    clock: () => new Date(),
    random: Math.random,
    boardCache: new BoardCache<Leaderboard>(config.boardCacheEntries),
    progressCache: new ProgressCache(config.boardCacheEntries),
    close: async () => {
      await usage.flush();
      if (!opts.dbHandle) await dbHandle.close();
    },
  };
}
