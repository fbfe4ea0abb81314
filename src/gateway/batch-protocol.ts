/**
 * OpenAI's batch file formats, pure: the input line `{custom_id, method, url, body}` and what an
 * output or error line `{id, custom_id, response: {status_code, body}, error}` says about its request.
 * vLLM's `run_batch` and other OpenAI-compatible servers write the same lines.
 */
import type { BatchResult } from "../../db/schema/batch.js";
import { reasoningField } from "./reasoning.js";

export const BATCH_ENDPOINT = "/v1/chat/completions";
/** The only window OpenAI accepts. */
export const COMPLETION_WINDOW = "24h";
/** Statuses after which a batch changes no more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["completed", "failed", "expired", "cancelled"]);

export type LineOutcome =
  | { customId: string; ok: true; result: BatchResult }
  | { customId: string; ok: false; retryable: boolean; message: string };

/** One line of a batch input file. */
export function batchInputLine(customId: string, body: Record<string, unknown>): string {
  return JSON.stringify({ custom_id: customId, method: "POST", url: BATCH_ENDPOINT, body });
}

/** Error codes of lines that a later submission may well answer: the batch ran out of time or was stopped, or the server failed. */
const RETRYABLE_CODES = new Set(["batch_expired", "batch_cancelled", "server_error", "rate_limit_exceeded", "timeout"]);

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const num = (x: unknown): number => (typeof x === "number" && Number.isFinite(x) ? x : 0);

/** A chat completion body as the response cache keeps it, or null when it has no choice. */
export function completionResult(body: unknown): BatchResult | null {
  if (!isObj(body) || !Array.isArray(body.choices)) return null;
  const choice: unknown = body.choices[0];
  if (!isObj(choice)) return null;
  const message = isObj(choice.message) ? choice.message : {};
  const usage = isObj(body.usage) ? body.usage : {};
  const details = isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const reported = details.reasoning_tokens;
  return {
    text: typeof message.content === "string" ? message.content : "",
    reasoning: reasoningField(message),
    finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
    usage: { promptTokens: num(usage.prompt_tokens), completionTokens: num(usage.completion_tokens), ...(typeof reported === "number" ? { reasoningTokens: reported } : {}) },
  };
}

/** What one output or error line says; null for a line that names no request (it is skipped). */
export function parseResultLine(line: string): LineOutcome | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObj(v) || typeof v.custom_id !== "string") return null;
  const customId = v.custom_id;
  const response = isObj(v.response) ? v.response : null;
  if (response && response.status_code === 200) {
    const result = completionResult(response.body);
    return result ? { customId, ok: true, result } : { customId, ok: false, retryable: true, message: "batch answer has no choices" };
  }
  if (response) {
    const status = num(response.status_code);
    const err = isObj(response.body) && isObj(response.body.error) ? response.body.error : {};
    const message = `batch request failed with HTTP ${status}: ${typeof err.message === "string" ? err.message : "no message"}`;
    return { customId, ok: false, retryable: status >= 500 || status === 429 || status === 408, message };
  }
  const err = isObj(v.error) ? v.error : {};
  const code = typeof err.code === "string" ? err.code : "unknown";
  return { customId, ok: false, retryable: RETRYABLE_CODES.has(code), message: `batch request failed (${code}): ${typeof err.message === "string" ? err.message : "no message"}` };
}

/** Every request outcome in an output or error file's text. */
export function parseResultFile(text: string): LineOutcome[] {
  const out: LineOutcome[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const o = parseResultLine(line);
    if (o) out.push(o);
  }
  return out;
}
