/**
 * Database targets for the contract suites: PGlite (in memory) always, and a real PostgreSQL when
 * TEST_DATABASE_URL or DATABASE_URL is set. Each PostgreSQL suite gets a fresh database of its own
 * (created next to the given one and dropped afterwards), so parallel test files never share rows.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DbHandle, openDb } from "../../db/client.js";

export interface DbTarget {
  name: "pglite" | "postgres";
  open(): Promise<DbHandle & { databaseUrl?: string }>;
}

export const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";

let printed = false;
export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [{ name: "pglite", open: () => openDb({ dataDir: "memory://" }) }];
  if (PG_URL) {
    targets.push({ name: "postgres", open: () => openFreshPostgres() });
  } else if (!printed) {
    printed = true;
    console.warn("[tests] PostgreSQL suites skipped: set TEST_DATABASE_URL or DATABASE_URL to run them");
  }
  return targets;
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
