/**
 * Small node:http helpers for the simulator (no framework: per-request overhead must stay tiny).
 * Every response carries `x-simulator: matrix-arena` so nobody mistakes it for a real provider.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const SIM_HEADER = { "x-simulator": "matrix-arena" } as const;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Read the whole request body as UTF-8 (rejects above MAX_BODY_BYTES). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(chunks.length === 1 ? (chunks[0]?.toString("utf8") ?? "") : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Read the whole request body as bytes (rejects above `maxBytes`, MAX_BODY_BYTES by default); uploads are binary. */
export async function readRawBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes) {
      req.destroy();
      throw new BodyTooLargeError("request body too large");
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SIM_HEADER,
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export type ErrorType = "invalid_request_error" | "not_found_error" | "rate_limit_error" | "server_error";

/** OpenAI-style error body: `{ error: { message, type, param, code } }`. */
export function sendError(
  res: ServerResponse,
  status: number,
  type: ErrorType,
  message: string,
  code: string | null = null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}

/** Send the headers and the first half of a JSON body, then cut the connection (the `truncate` fault). */
export function sendTruncated(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SIM_HEADER, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
}
