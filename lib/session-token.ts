/**
 * Short-lived session tokens for the dashboard's event streams (EventSource cannot send an
 * Authorization header). A token is `v1.<keyId>.<expiresAtSeconds>.<mac>`, where mac is
 * HMAC-SHA256 (base64url) over `v1.<keyId>.<expiresAtSeconds>` keyed by a secret the caller derives
 * from the API key's stored hash: the token carries no key material, dies with its expiry, and dies
 * at once when the key is revoked (the key row, and so the secret, is looked up on every use).
 * Pure: the caller passes the secret and the time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const VERSION = "v1";
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const EXP_RE = /^[1-9][0-9]{0,11}$/;
const MAC_RE = /^[A-Za-z0-9_-]{43}$/;

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64url");
}

/** The token for key `keyId` valid until `expiresAt` (seconds since the epoch, whole). */
export function signSessionToken(secret: string, keyId: string, expiresAt: number): string {
  if (!ID_RE.test(keyId)) throw new Error("session token: key id must be 1-64 characters of [A-Za-z0-9_-]");
  if (!Number.isInteger(expiresAt) || expiresAt <= 0) throw new Error("session token: expiry must be a positive whole number of seconds");
  const body = `${VERSION}.${keyId}.${expiresAt}`;
  return `${body}.${mac(secret, body)}`;
}

/** The key id and expiry a token names, or null when it is not shaped like a token (no secret needed). */
export function readSessionToken(token: string): { keyId: string; expiresAt: number } | null {
  if (token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const [version, keyId, exp, m] = parts as [string, string, string, string];
  if (version !== VERSION || !ID_RE.test(keyId) || !EXP_RE.test(exp) || !MAC_RE.test(m)) return null;
  return { keyId, expiresAt: Number(exp) };
}

/** True when `token` was signed with `secret` and has not expired at `nowSeconds`. */
export function checkSessionToken(secret: string, token: string, nowSeconds: number): boolean {
  const read = readSessionToken(token);
  if (!read || read.expiresAt <= nowSeconds) return false;
  const want = Buffer.from(mac(secret, `${VERSION}.${read.keyId}.${read.expiresAt}`), "utf8");
  const got = Buffer.from(token.slice(token.lastIndexOf(".") + 1), "utf8");
  return want.length === got.length && timingSafeEqual(want, got);
}
