/**
 * API keys: scopes read < write < admin (each implies the ones before it), plus two beside them that only
 * admin implies and that grant nothing but themselves: `review` (the human review queue) and `metrics`
 * (only `GET /metrics`, so a Prometheus scraper holds no data access). Stored as sha256 hashes. The plain key is shown once, at
 * creation. Auth is on as soon as any key exists (the bootstrap key from MATRIX_ARENA_API_KEY, or
 * one created through /v1/keys); with none the server is in local mode (AuthState remembers which).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema/index.js";
import { checkSessionToken, readSessionToken, signSessionToken } from "../../lib/session-token.js";
import { notFound } from "../errors.js";

export const SCOPES = ["read", "write", "admin", "review", "metrics"] as const;
export type Scope = (typeof SCOPES)[number];

/** The data-access ladder; scopes off it (`review`, `metrics`) are granted only by themselves or by admin. */
const RANK: Partial<Record<Scope, number>> = { read: 0, write: 1, admin: 2 };

/**
 * True when a key holding `held` may use a route that needs `needed`: admin implies every scope, write
 * implies read; an off-ladder scope is granted by itself or admin only, and grants nothing but itself.
 */
export function scopeAllows(held: readonly Scope[], needed: Scope): boolean {
  const need = RANK[needed];
  return held.some((s) => s === needed || s === "admin" || (need !== undefined && (RANK[s] ?? -1) >= need));
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateKey(): string {
  return "ma_" + randomBytes(24).toString("base64url");
}

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Id of the admin key that created this one (null for the bootstrap key and in local mode). */
  createdBy: string | null;
}

function view(row: typeof apiKeys.$inferSelect): KeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Scope[],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
  };
}

export async function createKey(
  db: Db,
  input: { name: string; scopes: Scope[]; createdBy?: string | null },
  plain: string = generateKey(),
): Promise<KeyView & { key: string }> {
  const [row] = await db
    .insert(apiKeys)
    .values({ id: randomUUID(), name: input.name, prefix: plain.slice(0, 10), hash: hashKey(plain), scopes: input.scopes, createdBy: input.createdBy ?? null })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return { ...view(row), key: plain };
}

/** Stores the bootstrap admin key (idempotent: the same key is stored once). */
export async function ensureBootstrapKey(db: Db, plain: string): Promise<void> {
  await db
    .insert(apiKeys)
    .values({ id: randomUUID(), name: "bootstrap (MATRIX_ARENA_API_KEY)", prefix: plain.slice(0, 4), hash: hashKey(plain), scopes: ["admin"] })
    .onConflictDoUpdate({ target: apiKeys.hash, set: { revokedAt: null } });
}

export async function listKeys(db: Db): Promise<KeyView[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(view);
}

export async function revokeKey(db: Db, id: string, now: Date): Promise<KeyView> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) return view(row);
  const [existing] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!existing) throw notFound("key", id);
  return view(existing);
}

export async function countActiveKeys(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(isNull(apiKeys.revokedAt));
  return row?.n ?? 0;
}

/** Finds an active key by its plain value; touches last_used_at at most once a minute. */
export async function verifyKey(
  db: Db,
  plain: string,
  now: Date,
): Promise<{ keyId: string; name: string; scopes: Scope[] } | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.hash, hashKey(plain)));
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { keyId: row.id, name: row.name, scopes: row.scopes as Scope[] };
}

/** Whether auth is enforced; refreshed when keys are created or revoked. */
export class AuthState {
  private active = false;
  constructor(private readonly db: Db) {}
  async refresh(): Promise<void> {
    this.active = (await countActiveKeys(this.db)) > 0;
  }
  get enforced(): boolean {
    return this.active;
  }
}

/** How long a dashboard session token (lib/session-token.ts) lives: long enough to follow a round, short enough to go stale. */
export const SESSION_TTL_SECONDS = 15 * 60;

/**
 * The session secret of a key: derived from its stored hash (never the key itself), so a token
 * names no secret, needs no server-side state, and stops working when the key row is revoked.
 */
const sessionSecret = (keyHash: string) => createHash("sha256").update("matrix-arena session v1\0" + keyHash, "utf8").digest("hex");

/** A signed session token for the authenticated key, valid for SESSION_TTL_SECONDS from `now`. */
export async function issueSession(db: Db, keyId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const [row] = await db.select({ hash: apiKeys.hash, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, keyId));
  if (!row || row.revokedAt) throw notFound("api key", keyId);
  const expiresAt = Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS;
  return { token: signSessionToken(sessionSecret(row.hash), keyId, expiresAt), expiresAt: new Date(expiresAt * 1000) };
}

/** The principal behind a session token: the key's current name and scopes, or null (bad, expired, revoked). */
export async function verifySession(db: Db, token: string, now: Date): Promise<{ keyId: string; name: string; scopes: Scope[] } | null> {
  const read = readSessionToken(token);
  if (!read) return null;
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, read.keyId));
  if (!row || row.revokedAt) return null;
  if (!checkSessionToken(sessionSecret(row.hash), token, Math.floor(now.getTime() / 1000))) return null;
  return { keyId: row.id, name: row.name, scopes: row.scopes as Scope[] };
}
