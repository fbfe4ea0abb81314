/**
 * The single mapping from errors to HTTP: `AppError` codes -> status + envelope, Hono's own
 * HTTPExceptions (malformed JSON, 415, 413) -> the same envelope, zod failures -> 400 naming the field,
 * transient database conflicts (deadlock, serialization failure, lock timeout) -> 503 with Retry-After.
 * Only 5xx are logged as errors.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { AppError, type ErrorCode, STATUS_BY_CODE } from "../errors.js";
import type { AppEnv } from "./env.js";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  503: "unavailable",
};

export function errorResponse(
  c: Context<AppEnv>,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): Response {
  const body: ErrorBody = {
    error: { code, message, ...(details === undefined ? {} : { details }), requestId: c.get("requestId") ?? "" },
  };
  return c.json(body, status as ContentfulStatusCode);
}

/** Turns zod issues into one readable message naming each field, plus structured details. */
export function describeZodError(err: ZodError, target: string): { message: string; details: unknown } {
  const issues = err.issues.map((i) => {
    const keys = i.code === "unrecognized_keys" ? (i as { keys?: string[] }).keys ?? [] : [];
    const base = i.path.map(String).join(".");
    const field = keys.length > 0 ? keys.map((k) => (base ? `${base}.${k}` : k)).join(", ") : base || target;
    return { field, message: i.code === "unrecognized_keys" ? "unknown field" : i.message };
  });
  const message = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  return { message: `invalid ${target}: ${message}`, details: { target, issues } };
}

/**
 * SQLSTATEs that say "try again": the transaction lost a race, not that the request was bad. Both
 * drivers put the SQLSTATE in `code`; drizzle wraps driver errors, so the cause chain is searched.
 */
const TRANSIENT_SQLSTATE: Record<string, string> = {
  "40P01": "deadlock detected",
  "40001": "serialization failure",
  "55P03": "lock not available",
  "53300": "too many connections",
};

/**
 * The database is unreachable or restarting: PostgreSQL's shutdown and connection SQLSTATEs, the
 * socket errors Node reports, and postgres.js's own connection codes. The request may succeed once it
 * is back, so these are a 503 too.
 */
const UNREACHABLE: Record<string, string> = {
  "57P01": "server shutting down",
  "57P02": "server crash",
  "57P03": "server starting up",
  "08000": "connection exception",
  "08001": "connection refused",
  "08003": "connection does not exist",
  "08006": "connection failure",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  CONNECTION_CLOSED: "connection closed",
  CONNECTION_ENDED: "connection ended",
  CONNECTION_DESTROYED: "connection destroyed",
  CONNECT_TIMEOUT: "connection timed out",
};

export type TransientDb = { kind: "conflict" | "unreachable"; what: string };

/** The driver error's transient kind (searching drizzle's cause chain), or null when it is not one. */
export function transientDbFault(err: unknown): TransientDb | null {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    const conflict = TRANSIENT_SQLSTATE[code];
    if (conflict) return { kind: "conflict", what: conflict };
    const down = UNREACHABLE[code];
    if (down) return { kind: "unreachable", what: down };
  }
  return null;
}


export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    const status = STATUS_BY_CODE[err.code];
    if (status >= 500) c.get("logger")?.error({ err, requestId: c.get("requestId") }, "request failed");
    return errorResponse(c, status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? "internal" : "bad_request");
    const message =
      status === 413 ? "request body too large" : status === 415 ? "unsupported media type: send application/json" : err.message;
    return errorResponse(c, status, code, message);
  }
  const transient = transientDbFault(err);
  if (transient?.kind === "conflict") {
    c.get("logger")?.warn({ err, requestId: c.get("requestId") }, "transient database conflict");
    c.header("Retry-After", "1");
    return errorResponse(c, 503, "unavailable", `the database reported a ${transient.what} while answering this request (a concurrent update won the race and this one was rolled back): retry the request`);
  }
  if (transient?.kind === "unreachable") {
    // Path only, no stack: a database that is down makes every request fail the same way.
    c.get("logger")?.warn({ requestId: c.get("requestId"), path: c.req.path, reason: transient.what }, "database unreachable");
    c.header("Retry-After", "5");
    return errorResponse(c, 503, "unavailable", `the database is unreachable (${transient.what}): retry the request shortly`);
  }
  c.get("logger")?.error({ err, requestId: c.get("requestId") }, "unhandled error");
  return errorResponse(c, 500, "internal", "internal server error");
}
