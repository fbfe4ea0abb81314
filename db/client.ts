/**
 * `openDb()`: an embedded database in a data folder (a PostgreSQL server the process starts, see
 * db/embedded-pg.ts, or PGlite) or an external PostgreSQL, behind one drizzle type. Both PostgreSQL
 * kinds go through postgres.js. Migrations from db/migrations are applied on open.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { pickEmbeddedDriver, type EmbeddedDriver } from "./embedded-choice.js";
import { acquireLock } from "./lock.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** A database or a transaction: query helpers accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  /** `embedded`: the PostgreSQL server of the data folder (db/embedded-pg.ts); `postgres`: DATABASE_URL. */
  kind: "pglite" | "embedded" | "postgres";
  /** The embedded PostgreSQL's port and whether this process started it (and stops it on close). */
  embedded?: { port: number; owned: boolean };
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** The data folder (created if missing); `memory://` for an in-memory PGlite database. */
  dataDir?: string;
  /**
   * Which embedded database, when there is no databaseUrl. Unset: the one the folder already holds,
   * else the embedded PostgreSQL where it can run here, else PGlite (db/embedded-choice.ts).
   */
  embedded?: EmbeddedDriver;
  /** Told which embedded database was picked, and why when it was not the one asked for. */
  onEmbeddedChoice?: (driver: EmbeddedDriver, reason: string) => void;
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Where the migrations are (default MIGRATIONS_DIR); tests migrate an old database from a cut-down copy. */
  migrationsFolder?: string;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");

// Serialises concurrent migrators on one PostgreSQL (several workers starting together).
const MIGRATION_LOCK_ID = 727_274_001;

export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts);
  const dataDir = opts.dataDir ?? ".data";
  if (dataDir.startsWith("memory://")) return openPglite(dataDir, opts);
  const choice = await chooseEmbedded(dataDir, opts.embedded);
  opts.onEmbeddedChoice?.(choice.driver, choice.reason);
  return choice.driver === "embedded" ? openEmbedded(dataDir, opts) : openPglite(dataDir, opts);
}

async function chooseEmbedded(dataDir: string, requested: EmbeddedDriver | undefined) {
  const { embeddedUnavailable } = await import("./embedded-pg.js");
  const root = resolve(dataDir);
  return pickEmbeddedDriver({
    requested,
    holdsPglite: existsSync(join(root, "pglite", "PG_VERSION")),
    holdsPostgres: existsSync(join(root, "postgres", "PG_VERSION")),
    embeddedUnavailable: () => embeddedUnavailable(root),
  });
}

/**
 * For a long-running command, before it loads the rest of the app: when `openDb(opts)` will open the
 * embedded PostgreSQL, its server starts now (a first start's initdb overlaps the module loading).
 */
export async function prestartDb(opts: OpenDbOptions): Promise<void> {
  const dataDir = opts.dataDir ?? ".data";
  if (opts.databaseUrl || dataDir.startsWith("memory://")) return;
  if ((await chooseEmbedded(dataDir, opts.embedded)).driver !== "embedded") return;
  const { prestartEmbeddedPostgres } = await import("./embedded-pg.js");
  prestartEmbeddedPostgres(dataDir);
}

async function openEmbedded(dataDir: string, opts: OpenDbOptions): Promise<DbHandle> {
  const { startEmbeddedPostgres } = await import("./embedded-pg.js");
  const server = await startEmbeddedPostgres(dataDir);
  let handle: DbHandle;
  try {
    handle = await openPostgres(server.url, opts);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    ...handle,
    kind: "embedded",
    embedded: { port: server.port, owned: server.owned },
    close: async () => {
      try {
        await handle.close();
      } finally {
        await server.stop();
      }
    },
  };
}

// Each driver is loaded only when used: PGlite is a WebAssembly PostgreSQL of its own, and a server
// on PostgreSQL should not carry it (nor the reverse).
async function openPglite(dataDir: string, opts: OpenDbOptions): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
  const inMemory = dataDir.startsWith("memory://");
  let release = () => {};
  let client: PGlite;
  if (inMemory) {
    client = new PGlite();
  } else {
    const dir = resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    release = acquireLock(join(resolve(dataDir), "pglite.lock"));
    try {
      client = new PGlite(dir);
      await client.waitReady;
    } catch (e) {
      release();
      throw e;
    }
  }
  const db = drizzlePglite({ client, schema });
  try {
    if (opts.migrate !== false) await migratePglite(db, { migrationsFolder: opts.migrationsFolder ?? MIGRATIONS_DIR });
  } catch (e) {
    await client.close();
    release();
    throw e;
  }
  return {
    db: db as unknown as Db,
    kind: "pglite",
    ping: () => pingDb(db as unknown as Db),
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(url: string, opts: OpenDbOptions): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle: drizzlePostgres } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    // postgres.js 3.4 fetches the array types on each new connection without handling the fetch's
    // rejection: a connection that drops mid-fetch (PostgreSQL restarting under a running worker) ends
    // the process with an unhandled rejection. The schema has no array columns and no query returns
    // an array, so the fetch is not needed. (With it off, `reserve()` on a pool with no open connection
    // never resolves: see runPostgresMigrations.)
    fetch_types: false,
  });
  const db = drizzlePostgres({ client, schema });
  if (opts.migrate !== false) {
    try {
      await runPostgresMigrations(client, db, opts.migrationsFolder ?? MIGRATIONS_DIR);
    } catch (e) {
      await client.end({ timeout: 5 });
      throw e;
    }
  }
  return {
    db: db as unknown as Db,
    kind: "postgres",
    ping: () => pingDb(db as unknown as Db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function runPostgresMigrations(
  client: postgres.Sql,
  db: ReturnType<typeof drizzlePostgres<Schema>>,
  migrationsFolder: string,
): Promise<void> {
  // An advisory lock is per connection: reserve one so lock and unlock happen on the same session.
  const { migrate: migratePostgres } = await import("drizzle-orm/postgres-js/migrator");
  // With fetch_types off, postgres.js drops a reserve request that has to open a new connection; a
  // query first leaves an open connection for the reserve to take.
  await client`select 1`;
  const conn = await client.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(db, { migrationsFolder });
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    conn.release();
  }
}

async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
