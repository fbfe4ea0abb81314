/**
 * Database targets for the contract suites: PGlite (in memory) always, and a real PostgreSQL when
 * TEST_DATABASE_URL or DATABASE_URL is set. Each PostgreSQL suite gets a fresh database of its own
 * (created next to the given one and dropped afterwards), so parallel test files never share rows.
 * Suites that ask for it (`{ embedded: true }`: the database contract) also run on the embedded
 * PostgreSQL (db/embedded-pg.ts), a server of its own in a fresh data folder per suite.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { describe } from "vitest";
import { type DbHandle, openDb } from "../../db/client.js";
import { embeddedUnavailable } from "../../db/embedded-pg.js";

export interface DbTarget {
  name: "pglite" | "embedded" | "postgres";
  /** False when the driver cannot run here (PostgreSQL without TEST_DATABASE_URL / DATABASE_URL). */
  available: boolean;
  open(): Promise<DbHandle & { databaseUrl?: string }>;
}

export const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";

/** Why the embedded PostgreSQL cannot run here (checked once), or null. */
export const EMBEDDED_UNAVAILABLE = embeddedUnavailable(tmpdir());

export interface TargetOptions {
  /** Add the embedded PostgreSQL (a server start per suite, so only where the driver itself is tested). */
  embedded?: boolean;
}

/** The drivers, each saying whether it can run here (PostgreSQL only with a URL). */
export function dbTargets(o: TargetOptions = {}): DbTarget[] {
  return [
    { name: "pglite", available: true, open: () => openDb({ dataDir: "memory://" }) },
    ...(o.embedded ? [{ name: "embedded" as const, available: EMBEDDED_UNAVAILABLE === null, open: () => openFreshEmbedded() }] : []),
    { name: "postgres", available: PG_URL !== "", open: () => openFreshPostgres() },
  ];
}

/** An embedded PostgreSQL in a new temporary data folder; close stops it and removes the folder. */
export async function openFreshEmbedded(): Promise<DbHandle & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "ma-embedded-"));
  const handle = await openDb({ dataDir, embedded: "embedded", maxConnections: 5 });
  return {
    ...handle,
    dataDir,
    close: async () => {
      try {
        await handle.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One suite per driver, `$name` in the title replaced by the driver's name. A driver that cannot run
 * here is registered as skipped (vitest counts its tests), never silently left out, so a CI run
 * without PostgreSQL shows skips instead of a green run that tested half as much.
 */
export function describeEachDb(title: string, body: (target: DbTarget) => void, o: TargetOptions = {}): void {
  for (const target of dbTargets(o)) describe.skipIf(!target.available)(title.replaceAll("$name", target.name), () => body(target));
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
