/**
 * The composition root: builds every dependency once (database, logger, auth state, gateway, clock,
 * random generator, the board cache) and hands them to the app, the worker and the CLI as one `Deps` object.
 */
import type { Db, DbHandle } from "../db/client.js";
import { openDb } from "../db/client.js";
import type { Config } from "./config.js";
import { createDbCache, createDbUsageSink, tapUsage } from "./services/llm-store.js";
import { createGateway } from "./gateway/gateway.js";
import { createDbBatchQueue } from "./services/batch-queue.js";
import type { Gateway } from "./gateway/types.js";
import { createLogger, type Logger } from "./logger.js";
import { AuthState, ensureBootstrapKey } from "./services/keys.js";
import { createMetrics, type Metrics } from "./services/metrics.js";
import { logProviderFailures } from "./services/provider-failures.js";
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
}

export interface BuildOptions {
  logger?: Logger;
  /** Replace the gateway (tests that drive the simulator through a custom one). */
  gateway?: Gateway;
  dbHandle?: DbHandle;
}

export async function buildDeps(config: Config, opts: BuildOptions = {}): Promise<Deps & { close(): Promise<void> }> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const dbHandle =
    opts.dbHandle ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
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
    close: async () => {
      await usage.flush();
      if (!opts.dbHandle) await dbHandle.close();
    },
  };
}
