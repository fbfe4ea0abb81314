/**
 * Multi-turn instructions (pure): the messages each turn is asked with, and the whole conversation a
 * candidate had. `prefix` is the instruction's `messages` (any system messages, then the first user
 * turn); `turns` its user turns, the first of which is already the prefix's last message. Turn k's
 * request carries the candidate's own final answers (no reasoning trace) to turns 1..k-1, as
 * MT-bench asks its second question after the model's first answer.
 */
import type { LlmMessage } from "./llm.js";

/** The messages of turn `k` (0-based) given the final answers to the turns before it. */
export function turnRequest(prefix: readonly LlmMessage[], turns: readonly string[], answers: readonly string[], k: number): LlmMessage[] {
  if (k < 0 || k >= turns.length) throw new RangeError(`turn ${k} out of 0..${turns.length - 1}`);
  if (answers.length < k) throw new RangeError(`turn ${k} needs ${k} earlier answers, got ${answers.length}`);
  const out: LlmMessage[] = [...prefix];
  for (let i = 1; i <= k; i++) {
    out.push({ role: "assistant", content: answers[i - 1] ?? "" }, { role: "user", content: turns[i] ?? "" });
  }
  return out;
}

/** The whole conversation: the prefix, then each answer after its user turn (as many as were given). */
export function conversationOf(prefix: readonly LlmMessage[], turns: readonly string[], answers: readonly string[]): LlmMessage[] {
  const out: LlmMessage[] = [...prefix];
  answers.forEach((a, i) => {
    if (i > 0) out.push({ role: "user", content: turns[i] ?? "" });
    out.push({ role: "assistant", content: a });
  });
  return out;
}
