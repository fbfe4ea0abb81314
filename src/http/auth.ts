/**
 * Bearer-key authentication for /v1 and /metrics. Reads need `read`, writes need `write`, /v1/keys needs
 * `admin`; the review queue (GET/POST /v1/rounds/{id}/review) needs `review`, importing or exporting
 * human labels (which name reviewers) needs `admin`, and /metrics needs `metrics` (or admin).
 * In local mode (no active key anywhere, see AuthState in services/keys.ts) requests pass; the server is
 * bound to loopback then.
 */
import type { MiddlewareHandler } from "hono";
import type { Db } from "../../db/client.js";
import { type AuthState, type Scope, scopeAllows, verifyKey } from "../services/keys.js";
import type { AppEnv } from "./env.js";
import { errorResponse } from "./errors.js";

const REVIEW_PATH = /^\/v1\/rounds\/[^/]+\/review\/?$/;
const REVIEW_LABELS_PATH = /^\/v1\/rounds\/[^/]+\/review\/(import|export)\/?$/;

export function neededScope(method: string, path: string): Scope {
  if (path === "/metrics") return "metrics";
  if (path.startsWith("/v1/keys")) return "admin";
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
