/**
 * Adapter for OpenAI-compatible endpoints (OpenAI, vLLM, Ollama, Together, ... and the simulator)
 * through the `openai` SDK. The SDK's own retries are off (`maxRetries: 0`): the gateway retries.
 * One client per (base URL, API key) pair keeps connections alive across calls.
 */
import OpenAI, { APIError } from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import type { AdapterChatCall, AdapterChatOk, AttemptContext, ProviderAdapter } from "./adapter.js";
import { attemptFailure, statusFailure, transportFailure, type AttemptFailure } from "./failures.js";
import { reasoningField } from "./reasoning.js";
import { parseRetryAfterMs } from "./retry-policy.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** Sent when a model names no key (local servers, the simulator); the SDK refuses an empty key. */
const NO_KEY = "no-key";

export interface OpenAiAdapterOptions {
  fetch?: typeof fetch;
}

export function createOpenAiAdapter(opts: OpenAiAdapterOptions = {}): ProviderAdapter {
  const clients = new Map<string, OpenAI>();

  const clientFor = (baseUrl: string, apiKey: string | undefined): OpenAI => {
    const id = `${baseUrl}\u0000${apiKey ?? ""}`;
    let client = clients.get(id);
    if (client === undefined) {
      client = new OpenAI({
        baseURL: baseUrl,
        apiKey: apiKey ?? NO_KEY,
        maxRetries: 0,
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      });
      clients.set(id, client);
    }
    return client;
  };

  return {
    name: "openai",
    async chat(ctx, call) {
      const client = clientFor(ctx.baseUrl ?? OPENAI_DEFAULT_BASE_URL, ctx.apiKey);
      try {
        const completion = await client.chat.completions.create(requestBody(ctx, call), {
          signal: ctx.signal,
          timeout: ctx.timeoutMs,
          maxRetries: 0,
        });
        return toChatOk(completion);
      } catch (err) {
        return mapOpenAiError(err, ctx);
      }
    },
    async score() {
      return attemptFailure("config", "scoring needs a huggingface text-classification model", false);
    },
    async embed(ctx, texts) {
      const client = clientFor(ctx.baseUrl ?? OPENAI_DEFAULT_BASE_URL, ctx.apiKey);
      try {
        const res = await client.embeddings.create(
          { model: ctx.model.model, input: [...texts], encoding_format: "float" },
          { signal: ctx.signal, timeout: ctx.timeoutMs, maxRetries: 0 },
        );
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        return { ok: true, vectors, usage: { promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: 0 } };
      } catch (err) {
        return mapOpenAiError(err, ctx);
      }
    },
  };
}

function requestBody(ctx: AttemptContext, call: AdapterChatCall): ChatCompletionCreateParamsNonStreaming {
  return chatRequestBody(ctx.model.model, call);
}

/** The chat-completions body of a call (also a batch line's `body`, src/gateway/batch-protocol.ts). */
export function chatRequestBody(modelId: string, call: AdapterChatCall): ChatCompletionCreateParamsNonStreaming {
  const p = call.params;
  const body: ChatCompletionCreateParamsNonStreaming = { model: modelId, messages: call.messages };
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
  if (p.topP !== undefined) body.top_p = p.topP;
  if (p.seed !== undefined) body.seed = p.seed;
  if (p.stop !== undefined && p.stop.length > 0) body.stop = p.stop;
  if (call.jsonSchema) {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: call.jsonSchema.name, schema: call.jsonSchema.schema, strict: false },
    };
  }
  return body;
}

function toChatOk(completion: OpenAI.Chat.Completions.ChatCompletion): AdapterChatOk | AttemptFailure {
  const choice = completion.choices?.[0];
  if (choice === undefined) return attemptFailure("server", "response has no choices", true);
  const reported = completion.usage?.completion_tokens_details?.reasoning_tokens;
  return {
    ok: true,
    text: choice.message?.content ?? "",
    reasoning: reasoningField(choice.message),
    finishReason: choice.finish_reason ?? null,
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      ...(typeof reported === "number" ? { reasoningTokens: reported } : {}),
    },
  };
}

/** SDK error -> failure value. Statused errors carry their headers (for Retry-After); the rest are transport. */
export function mapOpenAiError(err: unknown, ctx: AttemptContext): AttemptFailure {
  if (err instanceof APIError && typeof err.status === "number") {
    const retryAfter = parseRetryAfterMs(err.headers ?? null, ctx.now());
    // The SDK prefixes the status to its message; statusFailure adds its own.
    const prefix = `${err.status} `;
    const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return statusFailure(err.status, detail, ctx.apiKey, retryAfter);
  }
  const timedOut = ctx.timedOut() || err instanceof OpenAI.APIConnectionTimeoutError;
  return transportFailure(err, timedOut, ctx.timeoutMs, ctx.apiKey);
}
