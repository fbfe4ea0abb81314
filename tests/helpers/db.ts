/**
 * Database targets for the contract suites: PGlite (in memory) always, and a real PostgreSQL when
 * TEST_DATABASE_URL or DATABASE_URL is set. Each PostgreSQL suite gets a fresh database of its own
 * (created next to the given one and dropped afterwards), so parallel test files never share rows.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { describe } from "vitest";
import { type DbHandle, openDb } from "../../db/client.js";

export interface DbTarget {
  name: "pglite" | "postgres";
  /** False when the driver cannot run here (PostgreSQL without TEST_DATABASE_URL / DATABASE_URL). */
  available: boolean;
  open(): Promise<DbHandle & { databaseUrl?: string }>;
}

export const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";

/** Both drivers, each saying whether it can run here (PostgreSQL only with a URL). */
export function dbTargets(): DbTarget[] {
  return [
    { name: "pglite", available: true, open: () => openDb({ dataDir: "memory://" }) },
    { name: "postgres", available: PG_URL !== "", open: () => openFreshPostgres() },
  ];
}

/**
 * One suite per driver, `$name` in the title replaced by the driver's name. A driver that cannot run
 * here is registered as skipped (vitest counts its tests), never silently left out, so a CI run
 * without PostgreSQL shows skips instead of a green run that tested half as much.
 */
export function describeEachDb(title: string, body: (target: DbTarget) => void): void {
  for (const target of dbTargets()) describe.skipIf(!target.available)(title.replaceAll("$name", target.name), () => body(target));
}

/** Creates an empty database on the server of PG_URL; returns its URL and a drop function. */
export async function createFreshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ma_t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(PG_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

async function openFreshPostgres(): Promise<DbHandle & { databaseUrl: string }> {
  const fresh = await createFreshDatabase();
  const handle = await openDb({ databaseUrl: fresh.url, maxConnections: 5 });
  return {
    ...handle,
    databaseUrl: fresh.url,
    close: async () => {
      await handle.close();
      await fresh.drop();
    },
  };
}
