/**
 * Cost of a call from the model's per-million-token prices, and the worst-case estimate a budget
 * reserves before a call. A cached call costs nothing; a model with no price set is free (local
 * servers, the simulator).
 */
import type { ChatMessage, ChatParams, ModelSpec, SpendEstimate, Usage } from "./types.js";

type Prices = Pick<ModelSpec, "inputPricePerMTok" | "outputPricePerMTok">;

/** OpenAI's batch discount: half the price of the same call sent at once. */
export const DEFAULT_BATCH_PRICE_FACTOR = 0.5;

/** The share of its prices a model's calls cost: its batch factor for a batch model, else 1. Pure. */
export function priceFactor(model: Pick<ModelSpec, "batch" | "batchPriceFactor">): number {
  return model.batch === true ? (model.batchPriceFactor ?? DEFAULT_BATCH_PRICE_FACTOR) : 1;
}
type PricedModel = Prices & Pick<ModelSpec, "reasoning" | "batch" | "batchPriceFactor">;

/** USD = (promptTokens * inputPricePerMTok + completionTokens * outputPricePerMTok) / 1e6, times `factor` (a batch price). */
export function callCostUsd(model: Prices, usage: Usage, cached = false, factor = 1): number {
  if (cached) return 0;
  const input = model.inputPricePerMTok ?? 0;
  const output = model.outputPricePerMTok ?? 0;
  return ((usage.promptTokens * input + usage.completionTokens * output) / 1_000_000) * factor;
}

/**
 * Prompt tokens are bounded by the prompt's UTF-8 bytes: byte-level BPE tokenizers (GPT, Llama 3,
 * Qwen) and SentencePiece with byte fallback never emit more tokens than bytes. A characters-a-token
 * rule is tighter for prose but undercounts dense text (one-letter words, digits, CJK), and a budget
 * must not be exceeded by its own estimate.
 */
export const PROMPT_TOKENS_PER_BYTE = 1;
/** Tokens added per message for the chat template's role markers and separators. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
/** Completion tokens reserved for a call that sets no max_tokens (only such a call can overshoot). */
export const DEFAULT_COMPLETION_RESERVE = 1024;
/**
 * Completion tokens reserved on top for a reasoning model's call that sets no max_tokens: its trace
 * is generated before the answer and counted in completion_tokens. With max_tokens set the cap already
 * covers both (OpenAI's and vLLM's max_tokens bound reasoning and answer together).
 */
export const REASONING_COMPLETION_RESERVE = 4096;

/**
 * The worst case a budget reserves for one chat call: its prompt's UTF-8 bytes plus
 * MESSAGE_OVERHEAD_TOKENS a message, and a full completion of max_tokens (when unset,
 * DEFAULT_COMPLETION_RESERVE, plus REASONING_COMPLETION_RESERVE for a reasoning model), priced at the
 * model's prices (its batch price for a batch model). Pure.
 */
export function estimateCallSpend(model: PricedModel, messages: readonly ChatMessage[], params: ChatParams): SpendEstimate {
  let bytes = 0;
  for (const m of messages) bytes += Buffer.byteLength(m.content, "utf8");
  const promptTokens = Math.ceil(bytes * PROMPT_TOKENS_PER_BYTE) + MESSAGE_OVERHEAD_TOKENS * messages.length;
  const unset = DEFAULT_COMPLETION_RESERVE + (model.reasoning ? REASONING_COMPLETION_RESERVE : 0);
  const completionTokens = params.maxTokens ?? unset;
  return { tokens: promptTokens + completionTokens, costUsd: callCostUsd(model, { promptTokens, completionTokens }, false, priceFactor(model)) };
}

/** Tokens added per embedded text for the tokenizer's special tokens (BOS/EOS, CLS/SEP). */
export const EMBED_OVERHEAD_TOKENS = 2;

/**
 * The worst case a budget reserves for embedding `texts`: their UTF-8 bytes plus EMBED_OVERHEAD_TOKENS
 * a text, all prompt tokens (an embedding completes nothing), at the model's input price. Pure.
 */
export function estimateEmbedSpend(model: Prices, texts: readonly string[]): SpendEstimate {
  let promptTokens = 0;
  for (const t of texts) promptTokens += Math.ceil(Buffer.byteLength(t, "utf8") * PROMPT_TOKENS_PER_BYTE) + EMBED_OVERHEAD_TOKENS;
  return { tokens: promptTokens, costUsd: callCostUsd(model, { promptTokens, completionTokens: 0 }) };
}
