/**
 * The one error vocabulary. Domain code throws these (no HTTP knowledge); `src/http/errors.ts`
 * maps each code to a status and the envelope `{ error: { code, message, details?, requestId } }`.
 */

export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "provider_error"
  | "unavailable"
  | "internal";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError("bad_request", message, details);
export const notFound = (what: string, id: string) =>
  new AppError("not_found", `${what} '${id}' not found`);
export const conflict = (message: string, details?: unknown) =>
  new AppError("conflict", message, details);

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  provider_error: 502,
  unavailable: 503,
  internal: 500,
};

/** A server that cannot start as configured (e.g. a public HOST without an API key); the CLI prints it and exits 1. */
export class StartupError extends Error {
  override name = "StartupError";
}
