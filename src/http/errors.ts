/**
 * The single mapping from errors to HTTP: `AppError` codes -> status + envelope, Hono's own
 * HTTPExceptions (malformed JSON, 415, 413) -> the same envelope, zod failures -> 400 naming the field.
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
  c.get("logger")?.error({ err, requestId: c.get("requestId") }, "unhandled error");
  return errorResponse(c, 500, "internal", "internal server error");
}
