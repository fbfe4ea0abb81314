/**
 * Structured output: `chatJson` sends a zod schema as JSON Schema (response_format for
 * OpenAI-compatible models, prompt instructions for Hugging Face), parses and validates the reply,
 * and asks again, bypassing the cache, when the reply is not valid.
 */
import { z } from "zod";
import type { ChatFailure, ChatRequest, Gateway, JsonSchemaSpec, ModelSpec, Usage } from "./types.js";

export interface ChatJsonOptions {
  /** Extra calls after an invalid reply (default 2). */
  maxInvalidRetries?: number;
  /** Name sent with the schema (default "response"). */
  schemaName?: string;
}

export interface ChatJsonSuccess<T> {
  ok: true;
  value: T;
  text: string;
  /** Summed over every call made, including invalid replies. */
  usage: Usage;
  costUsd: number;
  cached: boolean;
  latencyMs: number;
  /** Provider attempts summed over every call made. */
  attempts: number;
  /** Gateway calls made (1 + invalid replies retried). */
  calls: number;
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** JSON Schema of a zod schema, without the `$schema` marker some providers reject. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let out = schemaCache.get(schema);
  if (out === undefined) {
    const full = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
    const { $schema: _ignored, ...rest } = full;
    out = rest;
    schemaCache.set(schema, out);
  }
  return out;
}

/**
 * The JSON value in a model's reply: the whole text, else the first fenced block, else the span
 * from the first `{`/`[` to the last `}`/`]`. Null when none of these parses.
 */
export function extractJson(text: string): { value: unknown } | null {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  const start = text.search(/[{[]/);
  const end = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  for (const c of candidates) {
    try {
      return { value: JSON.parse(c) as unknown };
    } catch {
      // try the next candidate
    }
  }
  return null;
}

/** Parse and validate a reply; the error names what was wrong. */
export function parseStructured<T>(
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; error: string } {
  const found = extractJson(text);
  if (found === null) return { ok: false, error: "reply is not JSON" };
  const parsed = schema.safeParse(found.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return { ok: false, error: `reply does not match the schema: ${issues.join("; ")}` };
}

/**
 * Chat for a value of type `T`. Returns the validated value, a transport `ChatFailure` as the
 * gateway gave it, or `kind: "invalid_output"` after `maxInvalidRetries` further invalid replies.
 */
export async function chatJson<T>(
  gateway: Gateway,
  model: ModelSpec,
  req: ChatRequest,
  schema: z.ZodType<T>,
  opts: ChatJsonOptions = {},
): Promise<ChatJsonSuccess<T> | ChatFailure> {
  const spec: JsonSchemaSpec = { name: opts.schemaName ?? "response", schema: jsonSchemaOf(schema) };
  const maxCalls = 1 + Math.max(0, opts.maxInvalidRetries ?? 2);
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let costUsd = 0;
  let latencyMs = 0;
  let attempts = 0;
  let lastError = "";
  for (let call = 1; call <= maxCalls; call++) {
    // After an invalid reply, skip the cache (which may hold that very reply) and overwrite it.
    const bypassCache = req.bypassCache === true || call > 1;
    const res = await gateway.chat(model, { ...req, jsonSchema: spec, bypassCache });
    latencyMs += res.latencyMs;
    attempts += res.attempts;
    if (!res.ok) return { ...res, latencyMs, attempts };
    usage.promptTokens += res.usage.promptTokens;
    usage.completionTokens += res.usage.completionTokens;
    costUsd += res.costUsd;
    const parsed = parseStructured(res.text, schema);
    if (parsed.ok) {
      const { text, cached } = res;
      return { ok: true, value: parsed.value, text, usage, costUsd, cached, latencyMs, attempts, calls: call };
    }
    lastError = parsed.error;
  }
  const message = `${lastError} (after ${maxCalls} calls)`;
  return { ok: false, kind: "invalid_output", message, retryable: false, attempts, latencyMs };
}
