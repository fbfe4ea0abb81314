/**
 * Configuration: one zod schema, parsed once at start-up. This is the only module that reads
 * `process.env`; everything else receives a `Config`. A bad value stops the process with a message
 * that names the variable.
 */
import { z } from "zod";
import { MIN_DECISIVE_BATTLES } from "../reports/board-shape.js";
import type { SecretResolver } from "./gateway/types.js";
import { DEFAULT_PROVIDER_KEY_VARS, type KeyVarPolicy, keyVarPolicy, parseKeyVarPatterns } from "./secret-policy.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const intFrom = (min: number, max: number) =>
  z.coerce.number().int(`must be an integer`).min(min).max(max);

const boolFrom = z
  .enum(["1", "0", "true", "false", "yes", "no"], { message: "must be true or false" })
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const ConfigSchema = z.object({
  PORT: intFrom(0, 65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  MATRIX_ARENA_DATA_DIR: z.string().min(1).default(".data"),
  /** The embedded database when DATABASE_URL is unset; unset: the one the data folder holds, else `embedded` where it runs. */
  MATRIX_ARENA_DB: z.enum(["embedded", "pglite"], { message: "must be embedded or pglite" }).optional(),
  MATRIX_ARENA_API_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  MATRIX_ARENA_BODY_LIMIT_BYTES: intFrom(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Battle-log imports stream, so they get a limit of their own. */
  MATRIX_ARENA_IMPORT_LIMIT_BYTES: intFrom(1024, 64 * 1024 * 1024 * 1024).default(2 * 1024 * 1024 * 1024),
  MATRIX_ARENA_SIM_URL: z.string().url().default("http://127.0.0.1:8788/v1"),
  /** Where CLI client commands (round start/follow) find the server. */
  MATRIX_ARENA_URL: z.string().url().default("http://127.0.0.1:8787"),
  MATRIX_ARENA_WORKER: boolFrom.default(true),
  MATRIX_ARENA_WORKER_CONCURRENCY: intFrom(1, 4096).default(16),
  MATRIX_ARENA_LEASE_MS: intFrom(1000, 3_600_000).default(120_000),
  /** Batch models: how often the batch coordinator polls, how long requests gather before a batch is sent, and the most per batch file. */
  MATRIX_ARENA_BATCH_POLL_MS: intFrom(10, 3_600_000).default(30_000),
  MATRIX_ARENA_BATCH_GATHER_MS: intFrom(0, 86_400_000).default(60_000),
  MATRIX_ARENA_BATCH_MAX_REQUESTS: intFrom(1, 50_000).default(10_000),
  /** How long a battle waiting on a provider batch pauses, still leased, before it goes back to the queue. */
  MATRIX_ARENA_BATCH_PAUSE_MS: intFrom(0, 600_000).default(1000),
  /** On SIGTERM/SIGINT: how long jobs in flight may finish before their leases are handed back. */
  MATRIX_ARENA_SHUTDOWN_GRACE_MS: intFrom(0, 3_600_000).default(20_000),
  MATRIX_ARENA_REQUEST_TIMEOUT_MS: intFrom(100, 3_600_000).default(120_000),
  /** Decisive battles below which a board marks a model provisional, unless a request names its own. */
  MATRIX_ARENA_MIN_BATTLES: intFrom(1, 1_000_000_000).default(MIN_DECISIVE_BATTLES),
  /** Boards kept for identical requests until their battles change (src/services/board-cache.ts); 0 turns the cache off. */
  MATRIX_ARENA_BOARD_CACHE: intFrom(0, 100_000).default(256),
  /** `matrix-arena worker` serves GET /metrics on 127.0.0.1:<port> (0 = any free port); unset = off. */
  MATRIX_ARENA_METRICS_PORT: intFrom(0, 65535).optional(),
  /** Which variables a model may name as `apiKeyEnv`: comma-separated names and `*` globs. */
  MATRIX_ARENA_PROVIDER_KEY_VARS: z
    .string()
    .refine((v) => parseKeyVarPatterns(v).ok, "must be comma-separated variable names or * patterns (letters, digits, _ and *)")
    .default(DEFAULT_PROVIDER_KEY_VARS),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** MATRIX_ARENA_DB: which embedded database (db/embedded-choice.ts decides when undefined). */
  embeddedDb: "embedded" | "pglite" | undefined;
  bootstrapApiKey: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimitBytes: number;
  importLimitBytes: number;
  simBaseUrl: string;
  serverUrl: string;
  embeddedWorker: boolean;
  workerConcurrency: number;
  leaseMs: number;
  /** Batch coordinator settings (src/services/batch-coordinator.ts). */
  batch: { pollMs: number; gatherMs: number; maxRequests: number; pauseMs: number };
  shutdownGraceMs: number;
  requestTimeoutMs: number;
  /** The default `minBattles` of boards, reports, the dashboard and the offline CLI. */
  minBattles: number;
  /** Most boards the HTTP server keeps computed (MATRIX_ARENA_BOARD_CACHE; 0: none). */
  boardCacheEntries: number;
  /** The worker's loopback metrics port, or undefined when it serves none. */
  metricsPort: number | undefined;
  /** Which variable names a model may bind as its API key (the service's own never). */
  keyVars: KeyVarPolicy;
  /**
   * Looks up provider API keys by the env var *name* a model names; values are never logged. Names
   * the policy refuses resolve to nothing, so a row stored before the policy cannot leak either.
   */
  secrets: SecretResolver;
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      "invalid configuration: " + issues.map((i) => `${i.variable} ${i.message}`).join("; "),
    );
    this.name = "ConfigError";
  }
}

/** Parses an environment (default `process.env`); throws `ConfigError` naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" for optional variables (common in .env files and CI).
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") cleaned[key] = v;
  }
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  const c = parsed.data;
  const snapshot = { ...env };
  const patterns = parseKeyVarPatterns(c.MATRIX_ARENA_PROVIDER_KEY_VARS);
  const keyVars = keyVarPolicy(patterns.ok ? patterns.patterns : [], Object.keys(ConfigSchema.shape));
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.MATRIX_ARENA_DATA_DIR,
    embeddedDb: c.MATRIX_ARENA_DB,
    bootstrapApiKey: c.MATRIX_ARENA_API_KEY,
    logLevel: c.LOG_LEVEL,
    bodyLimitBytes: c.MATRIX_ARENA_BODY_LIMIT_BYTES,
    importLimitBytes: c.MATRIX_ARENA_IMPORT_LIMIT_BYTES,
    simBaseUrl: c.MATRIX_ARENA_SIM_URL,
    serverUrl: c.MATRIX_ARENA_URL,
    embeddedWorker: c.MATRIX_ARENA_WORKER,
    workerConcurrency: c.MATRIX_ARENA_WORKER_CONCURRENCY,
    leaseMs: c.MATRIX_ARENA_LEASE_MS,
    batch: { pollMs: c.MATRIX_ARENA_BATCH_POLL_MS, gatherMs: c.MATRIX_ARENA_BATCH_GATHER_MS, maxRequests: c.MATRIX_ARENA_BATCH_MAX_REQUESTS, pauseMs: c.MATRIX_ARENA_BATCH_PAUSE_MS },
    shutdownGraceMs: c.MATRIX_ARENA_SHUTDOWN_GRACE_MS,
    requestTimeoutMs: c.MATRIX_ARENA_REQUEST_TIMEOUT_MS,
    minBattles: c.MATRIX_ARENA_MIN_BATTLES,
    boardCacheEntries: c.MATRIX_ARENA_BOARD_CACHE,
    metricsPort: c.MATRIX_ARENA_METRICS_PORT,
    keyVars,
    secrets: (name) => {
      if (keyVars.refusal(name) !== null) return undefined;
      const v = snapshot[name];
      return v === undefined || v === "" ? undefined : v;
    },
  };
}

/** Loopback hosts are the only ones allowed when no API key is configured (local mode). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}
