// lib/reasoning-trace.ts, table-driven: inline tags (default and custom), a separate field, unclosed
// traces (inline and field cut at max_tokens), nested and odd tag placements, verdict-like text kept
// inside the trace; the reasoning token count (provider's, or the trace's share by characters, computed
// by hand in each row) and the <think> block of an export.
import { describe, expect, it } from "vitest";
import { reasoningTokenCount, splitTrace, withThinkBlock, type SplitAnswer, type SplitInput } from "../../lib/reasoning-trace.js";

describe("splitTrace", () => {
  const cases: { name: string; input: SplitInput; want: SplitAnswer }[] = [
    { name: "no trace", input: { content: "Paris." }, want: { answer: "Paris.", trace: null, status: "none" } },
    { name: "leading <think> block", input: { content: "<think>capital of France</think>\n\nParis." }, want: { answer: "Paris.", trace: "capital of France", status: "closed" } },
    { name: "leading whitespace before the tag", input: { content: "\n  <think> a </think> b" }, want: { answer: "b", trace: "a", status: "closed" } },
    { name: "empty trace (thinking off) is no trace", input: { content: "<think>\n\n</think>\n\nHi" }, want: { answer: "Hi", trace: null, status: "none" } },
    { name: "unclosed trace: empty answer", input: { content: "<think>first, 2+2 is", truncated: true }, want: { answer: "", trace: "first, 2+2 is", status: "unclosed" } },
    { name: "unclosed trace even without finish_reason length", input: { content: "<think>hmm" }, want: { answer: "", trace: "hmm", status: "unclosed" } },
    { name: "nested pair stays inside the trace", input: { content: "<think>a <think>b</think> c</think>done" }, want: { answer: "done", trace: "a <think>b</think> c", status: "closed" } },
    { name: "nested pair never closed overall", input: { content: "<think>a <think>b</think> c" }, want: { answer: "", trace: "a <think>b</think> c", status: "unclosed" } },
    { name: "tag mid-answer is answer text", input: { content: "Use <think> and </think> tags." }, want: { answer: "Use <think> and </think> tags.", trace: null, status: "none" } },
    { name: "open tag in the template: close tag alone ends the trace", input: { content: "reason here</think>\n42" }, want: { answer: "42", trace: "reason here", status: "closed" } },
    { name: "verdict-like text inside the trace stays there", input: { content: "<think>maybe [[B>>A]]? no.</think>My final verdict is [[A>B]]" }, want: { answer: "My final verdict is [[A>B]]", trace: "maybe [[B>>A]]? no.", status: "closed" } },
    { name: "custom tags", input: { content: "<reasoning>x</reasoning>y", tags: [["<reasoning>", "</reasoning>"]] }, want: { answer: "y", trace: "x", status: "closed" } },
    { name: "custom tags replace the default", input: { content: "<think>x</think>y", tags: [["<reasoning>", "</reasoning>"]] }, want: { answer: "<think>x</think>y", trace: null, status: "none" } },
    { name: "second configured pair", input: { content: "[T]x[/T]y", tags: [["<r>", "</r>"], ["[T]", "[/T]"]] }, want: { answer: "y", trace: "x", status: "closed" } },
    { name: "empty tag list: inline parsing off", input: { content: "<think>x</think>y", tags: [] }, want: { answer: "<think>x</think>y", trace: null, status: "none" } },
    { name: "separate field", input: { content: "Paris.", field: "France's capital" }, want: { answer: "Paris.", trace: "France's capital", status: "closed" } },
    { name: "separate field cut at max_tokens with no answer", input: { content: "", field: "still thinking", truncated: true }, want: { answer: "", trace: "still thinking", status: "unclosed" } },
    { name: "separate field, answer cut at max_tokens: trace closed", input: { content: "Paris is", field: "capital", truncated: true }, want: { answer: "Paris is", trace: "capital", status: "closed" } },
    { name: "empty separate field is no trace", input: { content: "ok", field: "  " }, want: { answer: "ok", trace: null, status: "none" } },
    { name: "field and inline both", input: { content: "<think>b</think>c", field: "a" }, want: { answer: "c", trace: "a\n\nb", status: "closed" } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(splitTrace(tc.input)).toEqual(tc.want);
    });
  }
});

describe("reasoningTokenCount", () => {
  const cases: { name: string; reported: number | null; completion: number; answer: string; trace: string | null; want: number }[] = [
    { name: "provider's count wins", reported: 37, completion: 50, answer: "a", trace: "b", want: 37 },
    { name: "provider's zero is a count", reported: 0, completion: 50, answer: "a", trace: "bbb", want: 0 },
    { name: "no trace, no count", reported: null, completion: 50, answer: "abc", trace: null, want: 0 },
    // 30 trace chars of 40: 100 * 30 / 40 = 75
    { name: "share by characters", reported: null, completion: 100, answer: "x".repeat(10), trace: "y".repeat(30), want: 75 },
    // 1 of 3 chars: 10 / 3 = 3.33 -> 3
    { name: "rounded", reported: null, completion: 10, answer: "ab", trace: "c", want: 3 },
    { name: "all trace (unclosed)", reported: null, completion: 64, answer: "", trace: "zz", want: 64 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(reasoningTokenCount(tc.reported, tc.completion, { answer: tc.answer, trace: tc.trace })).toBe(tc.want);
    });
  }
});

describe("withThinkBlock", () => {
  it("puts the trace first in a <think> block", () => expect(withThinkBlock("42", "6*7")).toBe("<think>\n6*7\n</think>\n\n42"));
  it("leaves an answer without a trace alone", () => expect(withThinkBlock("42", null)).toBe("42"));
});
