/**
 * Cost of a call from the model's per-million-token prices, and the worst-case estimate a budget
 * reserves before a call. A cached call costs nothing; a model with no price set is free (local
 * servers, the simulator).
 */
import type { ChatMessage, ChatParams, ModelSpec, SpendEstimate, Usage } from "./types.js";

type Prices = Pick<ModelSpec, "inputPricePerMTok" | "outputPricePerMTok">;

/** USD = (promptTokens * inputPricePerMTok + completionTokens * outputPricePerMTok) / 1e6. */
export function callCostUsd(model: Prices, usage: Usage, cached = false): number {
  if (cached) return 0;
  const input = model.inputPricePerMTok ?? 0;
  const output = model.outputPricePerMTok ?? 0;
  return (usage.promptTokens * input + usage.completionTokens * output) / 1_000_000;
}

/**
 * Characters a prompt token is assumed to cover when estimating. English prose runs about 4 to a
 * token in GPT and Llama tokenizers; 3 leaves room for code, numbers and most other languages.
 */
export const CHARS_PER_TOKEN_ESTIMATE = 3;
/** Tokens added per message for the chat template's role markers and separators. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
/** Completion tokens reserved for a call that sets no max_tokens. */
export const DEFAULT_COMPLETION_RESERVE = 1024;

/**
 * The worst case a budget reserves for one chat call: its prompt at CHARS_PER_TOKEN_ESTIMATE
 * characters a token plus MESSAGE_OVERHEAD_TOKENS a message, and a full completion of max_tokens
 * (DEFAULT_COMPLETION_RESERVE when unset), priced at the model's prices. Pure.
 */
export function estimateCallSpend(model: Prices, messages: readonly ChatMessage[], params: ChatParams): SpendEstimate {
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  const promptTokens = Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE) + MESSAGE_OVERHEAD_TOKENS * messages.length;
  const completionTokens = params.maxTokens ?? DEFAULT_COMPLETION_RESERVE;
  return { tokens: promptTokens + completionTokens, costUsd: callCostUsd(model, { promptTokens, completionTokens }) };
}
