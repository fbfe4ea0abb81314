/**
 * Adapter for Hugging Face Inference Providers / Endpoints through `@huggingface/inference`.
 * `retry_on_error: false` stops the library's own unbounded, no-backoff 503 retry loop (the gateway
 * retries). The library does not expose response headers on errors, so a wrapping `fetch` keeps the
 * last response's headers for Retry-After. Structured output is asked for in the system prompt, and
 * also as `response_format` (which TGI and most Inference Providers enforce by constrained decoding);
 * a provider that rejects `response_format` (400/422) is asked again with the prompt alone.
 * Embeddings use feature extraction (token-level outputs are mean-pooled).
 */
import {
  chatCompletion,
  featureExtraction,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  textClassification,
} from "@huggingface/inference";
import type { AdapterChatCall, AdapterChatOk, AttemptContext, ProviderAdapter } from "./adapter.js";
import { attemptFailure, redact, statusFailure, transportFailure, type AttemptFailure } from "./failures.js";
import { reasoningField } from "./reasoning.js";
import { parseRetryAfterMs } from "./retry-policy.js";
import type { ChatMessage, JsonSchemaSpec } from "./types.js";

export interface HfAdapterOptions {
  fetch?: typeof fetch;
}

/** Per-attempt fetch that records the response headers the library would otherwise drop. */
function recordingFetch(base: typeof fetch): { fetch: typeof fetch; headers: () => Headers | null } {
  let seen: Headers | null = null;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    seen = res.headers;
    return res;
  };
  return { fetch: wrapped as typeof fetch, headers: () => seen };
}

export function createHfAdapter(opts: HfAdapterOptions = {}): ProviderAdapter {
  const baseFetch = opts.fetch ?? fetch;
  return {
    name: "huggingface",
    async chat(ctx, call) {
      const first = await chatOnce(baseFetch, ctx, call, true);
      const rejected = !first.ok && call.jsonSchema !== undefined && (first.status === 400 || first.status === 422);
      return rejected ? chatOnce(baseFetch, ctx, call, false) : first;
    },
    async score(ctx, text) {
      const rec = recordingFetch(baseFetch);
      try {
        const out = await textClassification(
          {
            ...(ctx.apiKey ? { accessToken: ctx.apiKey } : {}),
            model: ctx.model.model,
            // Without an endpoint the library picks a provider itself; saying "auto" keeps it from logging that.
            ...(ctx.baseUrl ? { endpointUrl: ctx.baseUrl } : { provider: "auto" as const }),
            inputs: text,
          },
          { retry_on_error: false, signal: ctx.signal, fetch: rec.fetch },
        );
        // The service sorts labels by score; a reward model's single (or top) label is its score.
        const top = out[0];
        if (top === undefined) return attemptFailure("server", "classification output is empty", true);
        return { ok: true, score: top.score };
      } catch (err) {
        return mapHfError(err, ctx, rec.headers());
      }
    },
    async embed(ctx, texts) {
      const rec = recordingFetch(baseFetch);
      try {
        const out = await featureExtraction(
          {
            ...(ctx.apiKey ? { accessToken: ctx.apiKey } : {}),
            model: ctx.model.model,
            ...(ctx.baseUrl ? { endpointUrl: ctx.baseUrl } : { provider: "auto" as const }),
            inputs: [...texts],
          },
          { retry_on_error: false, signal: ctx.signal, fetch: rec.fetch },
        );
        // One input may come back as a bare vector rather than a list of one.
        const rows = texts.length === 1 && typeof out[0] === "number" ? [out as number[]] : out;
        return { ok: true, vectors: rows.map(pooled), usage: { promptTokens: 0, completionTokens: 0 } };
      } catch (err) {
        return mapHfError(err, ctx, rec.headers());
      }
    },
  };
}

/** Mean over tokens when a feature-extraction model returns one vector per token. */
function pooled(row: number | number[] | number[][]): number[] {
  if (typeof row === "number") return [row];
  if (row.length === 0 || typeof row[0] === "number") return row as number[];
  const tokens = row as number[][];
  const dims = tokens[0]?.length ?? 0;
  const out = new Array<number>(dims).fill(0);
  for (const t of tokens) for (let i = 0; i < dims; i++) out[i] = (out[i] ?? 0) + (t[i] ?? 0) / tokens.length;
  return out;
}

async function chatOnce(
  baseFetch: typeof fetch,
  ctx: AttemptContext,
  call: AdapterChatCall,
  withResponseFormat: boolean,
): Promise<AdapterChatOk | AttemptFailure> {
  const rec = recordingFetch(baseFetch);
  try {
    const out = await chatCompletion(chatArgs(ctx, call, withResponseFormat), {
      retry_on_error: false,
      signal: ctx.signal,
      fetch: rec.fetch,
    });
    const choice = out.choices?.[0];
    if (choice === undefined) return attemptFailure("server", "response has no choices", true);
    // Inference Providers answer in the OpenAI shape: a separate reasoning field and reasoning_tokens pass through.
    const details = (out.usage as { completion_tokens_details?: { reasoning_tokens?: unknown } } | undefined)?.completion_tokens_details;
    const reported = details?.reasoning_tokens;
    return {
      ok: true,
      text: choice.message?.content ?? "",
      reasoning: reasoningField(choice.message),
      finishReason: choice.finish_reason ?? null,
      usage: {
        promptTokens: out.usage?.prompt_tokens ?? 0,
        completionTokens: out.usage?.completion_tokens ?? 0,
        ...(typeof reported === "number" ? { reasoningTokens: reported } : {}),
      },
    };
  } catch (err) {
    return mapHfError(err, ctx, rec.headers());
  }
}

function chatArgs(
  ctx: AttemptContext,
  call: AdapterChatCall,
  withResponseFormat: boolean,
): Parameters<typeof chatCompletion>[0] {
  const p = call.params;
  const schema = call.jsonSchema;
  const messages = call.jsonSchema ? withSchemaInstructions(call.messages, call.jsonSchema) : call.messages;
  return {
    ...(ctx.apiKey ? { accessToken: ctx.apiKey } : {}),
    model: ctx.model.model,
    ...(ctx.baseUrl ? { endpointUrl: ctx.baseUrl } : {}),
    // Plain objects: the library's message type has an index signature our interface lacks.
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.maxTokens !== undefined ? { max_tokens: p.maxTokens } : {}),
    ...(p.topP !== undefined ? { top_p: p.topP } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
    ...(p.stop !== undefined && p.stop.length > 0 ? { stop: p.stop } : {}),
    ...(schema && withResponseFormat
      ? { response_format: { type: "json_schema" as const, json_schema: { name: schema.name, schema: schema.schema } } }
      : {}),
  };
}

/** The schema as an instruction appended to the system prompt (or as a new system message). */
export function withSchemaInstructions(messages: ChatMessage[], spec: JsonSchemaSpec): ChatMessage[] {
  const instruction =
    `Respond with a single JSON value and nothing else (no prose, no code fences). ` +
    `It must validate against this JSON Schema named "${spec.name}":\n${JSON.stringify(spec.schema)}`;
  const first = messages[0];
  if (first !== undefined && first.role === "system") {
    return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...messages.slice(1)];
  }
  return [{ role: "system", content: instruction }, ...messages];
}

/** Library error -> failure value; `headers` are those of the failed response, if one arrived. */
export function mapHfError(err: unknown, ctx: AttemptContext, headers: Headers | null): AttemptFailure {
  if (err instanceof InferenceClientProviderApiError) {
    const retryAfter = parseRetryAfterMs(headers, ctx.now());
    return statusFailure(err.httpResponse.status, hfDetail(err), ctx.apiKey, retryAfter);
  }
  if (err instanceof InferenceClientProviderOutputError) {
    return attemptFailure("server", `malformed response: ${redact(err.message, ctx.apiKey)}`, true);
  }
  if (err instanceof InferenceClientInputError) {
    return attemptFailure("config", redact(err.message, ctx.apiKey), false);
  }
  return transportFailure(err, ctx.timedOut(), ctx.timeoutMs, ctx.apiKey);
}

/** The library's message, or the OpenAI-style `{ error: { message } }` body it could not read. */
function hfDetail(err: InferenceClientProviderApiError): string {
  const body = err.httpResponse.body;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const inner = (body as { error?: unknown }).error;
    if (typeof inner === "object" && inner !== null && typeof (inner as { message?: unknown }).message === "string") {
      return (inner as { message: string }).message;
    }
  }
  return err.message;
}
