/**
 * Bearer-key authentication for /v1 and /metrics. Reads need `read`, writes need `write`, /v1/keys needs
 * `admin`; the review queue (GET/POST /v1/rounds/{id}/review) needs `review`, importing or exporting
 * human labels (which name reviewers) needs `admin`, and /metrics needs `metrics` (or admin).
 * POST/DELETE /v1/session (any data scope: `read`) makes or drops the dashboard's session cookie;
 * that cookie (a short-lived signed token, lib/session-token.ts, never the key) is accepted instead of the
 * header on GET of an `/events` stream only, since EventSource cannot send a header, and carries the
 * key's own scopes, read again on every use.
 * In local mode (no active key anywhere, see AuthState in services/keys.ts) requests pass; the server is
 * bound to loopback then.
 */
import type { MiddlewareHandler } from "hono";
import type { Db } from "../../db/client.js";
import { getCookie } from "hono/cookie";
import { type AuthState, type Scope, scopeAllows, verifyKey, verifySession } from "../services/keys.js";
import type { AppEnv } from "./env.js";
import { errorResponse } from "./errors.js";

const REVIEW_PATH = /^\/v1\/rounds\/[^/]+\/review\/?$/;
/** The one kind of route a session cookie opens: a server-sent event stream, read with GET. */
const EVENTS_PATH = /^\/v1\/[^?#]+\/events\/?$/;
/** Name of the dashboard's session cookie (HttpOnly, SameSite=Strict, Path=/v1; see routes/session.ts). */
export const SESSION_COOKIE = "ma_session";
const REVIEW_LABELS_PATH = /^\/v1\/rounds\/[^/]+\/review\/(import|export)\/?$/;

export function neededScope(method: string, path: string): Scope {
  if (path === "/metrics") return "metrics";
  if (path.startsWith("/v1/keys")) return "admin";
  if (path === "/v1/session") return "read";
  if (REVIEW_LABELS_PATH.test(path)) return "admin";
  if (REVIEW_PATH.test(path)) return "review";
  return method === "GET" || method === "HEAD" || method === "OPTIONS" ? "read" : "write";
}

export function authMiddleware(db: Db, state: AuthState, now: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("principal", null);
    if (!state.enforced) return next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const session = header === "" && c.req.method === "GET" && EVENTS_PATH.test(c.req.path) ? getCookie(c, SESSION_COOKIE) : undefined;
    if (session !== undefined) {
      const principal = await verifySession(db, session, now());
      if (!principal) return errorResponse(c, 401, "unauthorized", "the dashboard session expired or its key was revoked: make a new one with POST /v1/session");
      const needed = neededScope(c.req.method, c.req.path);
      if (!scopeAllows(principal.scopes, needed)) {
        return errorResponse(c, 403, "forbidden", `this route needs the '${needed}' scope; the key has: ${principal.scopes.join(", ")}`);
      }
      c.set("principal", principal);
      return next();
    }
    if (!match?.[1]) {
      c.header("WWW-Authenticate", 'Bearer realm="matrix-arena"');
      return errorResponse(c, 401, "unauthorized", "missing API key: send Authorization: Bearer <key>");
    }
    const principal = await verifyKey(db, match[1], now());
    if (!principal) {
      c.header("WWW-Authenticate", 'Bearer realm="matrix-arena", error="invalid_token"');
      return errorResponse(c, 401, "unauthorized", "unknown or revoked API key");
    }
    const needed = neededScope(c.req.method, c.req.path);
    if (!scopeAllows(principal.scopes, needed)) {
      return errorResponse(c, 403, "forbidden", `this route needs the '${needed}' scope; the key has: ${principal.scopes.join(", ")}`);
    }
    c.set("principal", principal);
    return next();
  };
}
