/**
 * Simulated reasoning models: a trace of a few thinking sentences written before the answer, sent the
 * way real servers send it. "field": a separate message field (`reasoning_content` as vLLM's reasoning
 * parsers and DeepSeek, or `reasoning` as OpenRouter and vLLM >= 0.11), counted in `completion_tokens`
 * and reported as `completion_tokens_details.reasoning_tokens` (OpenAI's usage shape). "inline": a
 * `<think>...</think>` block at the start of the content (a server with no reasoning parser).
 * max_tokens bounds trace and answer together: a trace longer than it is cut, never closed, and no
 * answer follows (vLLM then sends `content: null`). A judge's trace weighs a first impression, a
 * verdict-like line that is not its final verdict, as real reasoning judges do.
 */
import { z } from "zod";
import { pick, randomIntBetween, type Rng } from "../../lib/random.js";
import { estimateTokens, STOPWORDS, words } from "./text.js";

export const reasoningSchema = z.object({
  mode: z.enum(["field", "inline"]),
  field: z.enum(["reasoning_content", "reasoning"]).default("reasoning_content"),
  /** Thinking sentences per trace, drawn uniformly in [min, max]. */
  steps: z.tuple([z.number().int().min(1).max(40), z.number().int().min(1).max(40)]).default([3, 6]),
});
export type SimReasoning = z.output<typeof reasoningSchema>;

const OPENERS = ["Let me think about what is being asked.", "Okay, I need to work through this carefully.", "First, let me restate the problem to myself."];
const STEPS = [
  (w: string) => `The key term here seems to be "${w}", so I should address it directly.`,
  (w: string) => `What would a careful expert say about ${w}?`,
  (w: string) => `I should double-check the part about ${w} before answering.`,
  (w: string) => `Maybe an example involving ${w} would make this clearer.`,
  (w: string) => `Wait, does ${w} change the approach? Let me reconsider.`,
];

/** A trace for `question`; `decoy` (a judge's first impression) goes in the middle. */
export function writeTrace(question: string, spec: SimReasoning, rng: Rng, decoy: string | null): string {
  const content = words(question).filter((w) => !STOPWORDS.has(w) && w.length > 3);
  const [lo, hi] = spec.steps[0] <= spec.steps[1] ? spec.steps : [spec.steps[1], spec.steps[0]];
  const n = randomIntBetween(rng, lo, hi);
  const lines = [pick(rng, OPENERS, OPENERS[0] ?? "")];
  for (let i = 0; i < n; i++) {
    const step = pick(rng, STEPS, STEPS[0] ?? ((w: string) => w));
    lines.push(step(pick(rng, content, "the question")));
    if (decoy !== null && i === Math.floor(n / 2)) lines.push(`My first impression: ${decoy} But I should weigh this again.`);
  }
  return lines.join(" ");
}

/** The opposite pairwise label: what a judge's first impression says before it settles. */
export function mirroredLabel(label: string): string {
  const m: Record<string, string> = { "A>>B": "B>>A", "A>B": "B>A", "A=B": "A>>B", "B>A": "A>B", "B>>A": "A>>B" };
  return m[label] ?? "A>>B";
}

export interface ReasonedChoice {
  /** The content as sent: the answer (field mode) or the <think> block and the answer (inline mode). */
  content: string | null;
  reasoning: string | null;
  finishReason: "stop" | "length";
  completionTokens: number;
  reasoningTokens: number;
}

/** Cut `text` to about `maxTokens` tokens (words / 1.3), keeping whole words. */
export function truncateToTokens(text: string, maxTokens: number): string {
  const keep = Math.max(1, Math.floor(maxTokens / 1.3));
  return (text.match(/\S+\s*/g) ?? []).slice(0, keep).join("").trimEnd();
}

/**
 * Trace and answer under one max_tokens: the trace first; if it fills the limit it is cut and no
 * answer follows; otherwise the answer gets what is left (a structured answer is never cut).
 */
export function withTrace(spec: SimReasoning, trace: string, answer: string, json: boolean, maxTokens: number | undefined): ReasonedChoice {
  const traceTokens = estimateTokens(trace);
  if (maxTokens !== undefined && traceTokens >= maxTokens) {
    const cut = truncateToTokens(trace, maxTokens);
    const t = estimateTokens(cut);
    const content = spec.mode === "inline" ? `<think>\n${cut}` : null;
    return { content, reasoning: spec.mode === "field" ? cut : null, finishReason: "length", completionTokens: t, reasoningTokens: t };
  }
  let text = answer;
  let finishReason: "stop" | "length" = "stop";
  if (!json && maxTokens !== undefined && estimateTokens(answer) > maxTokens - traceTokens) {
    text = truncateToTokens(answer, maxTokens - traceTokens);
    finishReason = "length";
  }
  const content = spec.mode === "inline" ? `<think>\n${trace}\n</think>\n\n${text}` : text;
  return { content, reasoning: spec.mode === "field" ? trace : null, finishReason, completionTokens: traceTokens + estimateTokens(text), reasoningTokens: traceTokens };
}
