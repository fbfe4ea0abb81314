/**
 * Cost of a call from the model's per-million-token prices. A cached call costs nothing; a model
 * with no price set is free (local servers, the simulator).
 */
import type { ModelSpec, Usage } from "./types.js";

/** USD = (promptTokens * inputPricePerMTok + completionTokens * outputPricePerMTok) / 1e6. */
export function callCostUsd(
  model: Pick<ModelSpec, "inputPricePerMTok" | "outputPricePerMTok">,
  usage: Usage,
  cached = false,
): number {
  if (cached) return 0;
  const input = model.inputPricePerMTok ?? 0;
  const output = model.outputPricePerMTok ?? 0;
  return (usage.promptTokens * input + usage.completionTokens * output) / 1_000_000;
}
