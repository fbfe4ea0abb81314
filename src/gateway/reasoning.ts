/**
 * Reasoning traces at the gateway: the separate field a provider may send (read by both adapters),
 * and the final answer a call returns: the provider's content and field split by lib/reasoning-trace.ts
 * with the model's tags, on fresh and cached completions alike.
 */
import { reasoningTokenCount, splitTrace, type TraceStatus } from "../../lib/reasoning-trace.js";
import type { CachedCompletion, ModelSpec, Usage } from "./types.js";

/**
 * A separate reasoning field the SDKs' types do not name: `reasoning_content` (vLLM's reasoning
 * parsers, DeepSeek) or `reasoning` (OpenRouter, vLLM from 0.11). Hugging Face Inference Providers
 * answer in the same OpenAI shape.
 */
export function reasoningField(message: unknown): string | null {
  if (typeof message !== "object" || message === null) return null;
  const m = message as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof m.reasoning_content === "string" && m.reasoning_content !== "") return m.reasoning_content;
  if (typeof m.reasoning === "string" && m.reasoning !== "") return m.reasoning;
  return null;
}

export interface FinalAnswer {
  text: string;
  trace: string | null;
  traceStatus: TraceStatus;
  usage: Required<Usage>;
}

/** The final answer, trace and reasoning token count of a completion from `model`. */
export function finalAnswer(model: Pick<ModelSpec, "reasoning">, value: CachedCompletion): FinalAnswer {
  const split = splitTrace({
    content: value.text,
    field: value.reasoning ?? null,
    tags: model.reasoning?.tags ?? null,
    truncated: value.finishReason === "length",
  });
  const { promptTokens, completionTokens } = value.usage;
  const reasoningTokens = reasoningTokenCount(value.usage.reasoningTokens, completionTokens, split);
  return { text: split.answer, trace: split.trace, traceStatus: split.status, usage: { promptTokens, completionTokens, reasoningTokens } };
}
