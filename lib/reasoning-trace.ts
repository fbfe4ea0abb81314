/**
 * Splitting a model's reasoning trace from its final answer (pure). A trace arrives either in a
 * separate field (vLLM's reasoning parsers and DeepSeek: `reasoning_content`; OpenRouter and newer
 * vLLM: `reasoning`) or inline, as a tag pair at the start of the content (`<think>...</think>` by
 * default, or the pairs a model is configured with). The rules follow vLLM's `deepseek_r1` parser:
 * a leading open tag starts the trace and its matching close tag ends it; a close tag with no open tag
 * before it ends a trace whose open tag was in the chat template. A trace that never closes (output
 * cut at max_tokens while thinking) leaves the answer empty and says so, so nothing judges half a thought.
 */

/** An inline trace's open and close tags, e.g. ["<think>", "</think>"]. */
export type TagPair = readonly [string, string];

export const DEFAULT_TRACE_TAGS: readonly TagPair[] = [["<think>", "</think>"]];

/** "none": no trace; "closed": a complete trace; "unclosed": the output ended inside the trace. */
export type TraceStatus = "none" | "closed" | "unclosed";

export interface SplitAnswer {
  /** The final answer, the only text judges, style features and default exports see. */
  answer: string;
  /** The trace, trimmed; null when there is none (or it is empty). */
  trace: string | null;
  status: TraceStatus;
}

export interface SplitInput {
  /** The message content as the provider returned it. */
  content: string;
  /** A separate reasoning field, when the provider sent one. */
  field?: string | null;
  /** Inline tag pairs to recognise; DEFAULT_TRACE_TAGS when absent. An empty list turns inline parsing off. */
  tags?: readonly TagPair[] | null;
  /** The provider stopped at max_tokens (finish_reason "length"). */
  truncated?: boolean;
}

interface Inline {
  answer: string;
  trace: string | null;
  closed: boolean;
}

/** End index of the trace opened at `from` (depth-counted, so a nested pair stays inside), or -1. */
function matchingClose(text: string, from: number, [open, close]: TagPair): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const c = text.indexOf(close, i);
    if (c < 0) return -1;
    const o = text.indexOf(open, i);
    if (o >= 0 && o < c) {
      depth++;
      i = o + open.length;
      continue;
    }
    depth--;
    if (depth === 0) return c;
    i = c + close.length;
  }
  return -1;
}

function splitInline(content: string, tags: readonly TagPair[]): Inline {
  const usable = tags.filter(([open, close]) => open !== "" && close !== "");
  const lead = content.length - content.trimStart().length;
  for (const pair of usable) {
    if (!content.startsWith(pair[0], lead)) continue;
    const start = lead + pair[0].length;
    const end = matchingClose(content, start, pair);
    if (end < 0) return { answer: "", trace: content.slice(start), closed: false };
    return { answer: content.slice(end + pair[1].length), trace: content.slice(start, end), closed: true };
  }
  // The open tag was in the prompt (DeepSeek-R1's template): a close tag with no open tag before it.
  for (const [open, close] of usable) {
    const c = content.indexOf(close);
    if (c >= 0 && !content.slice(0, c).includes(open)) {
      return { answer: content.slice(c + close.length), trace: content.slice(0, c), closed: true };
    }
  }
  return { answer: content, trace: null, closed: true };
}

const nonEmpty = (s: string | null | undefined): string | null => {
  const t = s?.trim() ?? "";
  return t === "" ? null : t;
};

/** The final answer and the trace of one completion. */
export function splitTrace(input: SplitInput): SplitAnswer {
  const inline = splitInline(input.content, input.tags ?? DEFAULT_TRACE_TAGS);
  const parts = [nonEmpty(input.field), nonEmpty(inline.trace)].filter((p): p is string => p !== null);
  const trace = parts.length > 0 ? parts.join("\n\n") : null;
  const answer = inline.closed ? inline.answer.trim() : "";
  if (trace === null) return { answer, trace: null, status: inline.closed ? "none" : "unclosed" };
  // A separate field cut at max_tokens before any answer came is a trace that never closed, too.
  const unclosed = !inline.closed || (input.truncated === true && answer === "");
  return { answer: unclosed ? "" : answer, trace, status: unclosed ? "unclosed" : "closed" };
}

/**
 * Reasoning tokens of a completion: the provider's count when it sent one
 * (`completion_tokens_details.reasoning_tokens`), otherwise the trace's share of the completion's
 * tokens by characters (an estimate: trace and answer come from one tokenizer, so their token counts
 * stand roughly in the ratio of their lengths), never more than the completion's tokens.
 */
export function reasoningTokenCount(reported: number | null | undefined, completionTokens: number, split: Pick<SplitAnswer, "answer" | "trace">): number {
  if (typeof reported === "number" && Number.isFinite(reported) && reported >= 0) return Math.round(reported);
  if (split.trace === null) return 0;
  const total = split.trace.length + split.answer.length;
  return total === 0 ? 0 : Math.min(completionTokens, Math.round((completionTokens * split.trace.length) / total));
}

/** The trace as the `<think>` block TRL and most chat templates expect at the start of the assistant content. */
export function withThinkBlock(answer: string, trace: string | null): string {
  return trace === null ? answer : `<think>\n${trace}\n</think>\n\n${answer}`;
}
