/**
 * The one internal interface every provider adapter implements. An adapter makes exactly one
 * attempt (the gateway owns retries, limits, caching and accounting) and never throws: every
 * outcome, including a transport error, comes back as a value.
 */
import type { AttemptFailure } from "./failures.js";
import type { ChatMessage, ChatParams, JsonSchemaSpec, ModelSpec, Usage } from "./types.js";

export interface AttemptContext {
  model: ModelSpec;
  /** Resolved endpoint (null = the provider's public default). */
  baseUrl: string | null;
  /** Resolved secret, if the model names one. Adapters must never echo it. */
  apiKey: string | undefined;
  /** Aborted when the per-attempt timeout fires. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Whether the abort came from our timeout (read after the call settles). */
  timedOut: () => boolean;
  now: () => number;
}

export interface AdapterChatCall {
  messages: ChatMessage[];
  params: ChatParams;
  jsonSchema?: JsonSchemaSpec;
}

export interface AdapterChatOk {
  ok: true;
  /** The message content as sent (an inline trace still in it). */
  text: string;
  usage: Usage;
  /** A separate reasoning field, when the provider sent one. */
  reasoning?: string | null;
  finishReason?: string | null;
}

export interface AdapterScoreOk {
  ok: true;
  score: number;
}

export interface AdapterEmbedOk {
  ok: true;
  /** One vector per input text, in input order. */
  vectors: number[][];
  usage: Usage;
}

export interface ProviderAdapter {
  readonly name: string;
  chat(ctx: AttemptContext, call: AdapterChatCall): Promise<AdapterChatOk | AttemptFailure>;
  score(ctx: AttemptContext, text: string): Promise<AdapterScoreOk | AttemptFailure>;
  embed(ctx: AttemptContext, texts: readonly string[]): Promise<AdapterEmbedOk | AttemptFailure>;
}

/** Rough token estimate (4 characters a token) used only to reserve tpm budget before a call. */
export function estimateTokens(messages: ChatMessage[], params: ChatParams): number {
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  return Math.ceil(chars / 4) + (params.maxTokens ?? 256);
}
