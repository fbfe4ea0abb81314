/**
 * The simulated reward model: scores a conversation rendered as text by the last answer's key-point
 * coverage of the question before it (quality.ts), plus an optional length bias and seeded noise,
 * squashed to (0, 1). Recognised renderings, last assistant turn wins:
 * - `User: ...\nAssistant: ...` (also `Human:`/`### Instruction:` ... `### Response:`),
 * - `<|user|> ... <|assistant|> ...` chat-template markers,
 * - the MT-bench single-grading markers `[Question] ... [The Start of Assistant's Answer] ...`,
 * - a JSON array of `{ role, content }` messages.
 * Anything else is scored as an answer to an empty question (neutral coverage).
 */
import { parseJudgePrompt } from "./judge.js";
import type { RewardModelSpec } from "./preset-schema.js";
import { assessAnswer } from "./quality.js";
import { randomNormal, type Rng } from "../../lib/random.js";
import { clamp, sigmoid } from "./math.js";

/** Logit scale of the reward: coverage 0 -> sigmoid(-2), 1 -> sigmoid(2). */
const REWARD_SCALE = 4;
const ASSISTANT_RE = /(?:^|\n)\s*(?:assistant|gpt|bot|### response)\s*:|<\|assistant\|>|<\|im_start\|>assistant/gi;
const USER_RE = /(?:^|\n)\s*(?:user|human|### instruction)\s*:|<\|user\|>|<\|im_start\|>user/gi;

/** Split a rendered conversation into its last question and last answer. */
export function splitConversation(text: string): { question: string; answer: string } {
  const judged = parseJudgePrompt(text);
  if (judged?.kind === "single") return { question: judged.question, answer: judged.answer };
  const fromJson = splitJson(text);
  if (fromJson) return fromJson;
  const a = lastMatch(text, ASSISTANT_RE);
  if (!a) return { question: "", answer: text };
  const u = lastMatch(text.slice(0, a.index), USER_RE);
  const question = u ? text.slice(u.index + u.length, a.index) : text.slice(0, a.index);
  return { question: stripTurnEnd(question), answer: stripTurnEnd(text.slice(a.index + a.length)) };
}

function lastMatch(text: string, re: RegExp): { index: number; length: number } | null {
  let last: { index: number; length: number } | null = null;
  for (const m of text.matchAll(re)) last = { index: m.index, length: m[0].length };
  return last;
}

function stripTurnEnd(s: string): string {
  return s.replace(/<\|(?:im_end|end|eot_id)\|>/g, "").trim();
}

function splitJson(text: string): { question: string; answer: string } | null {
  if (!text.trimStart().startsWith("[")) return null;
  try {
    const msgs: unknown = JSON.parse(text);
    if (!Array.isArray(msgs)) return null;
    const turns = msgs.filter(
      (m): m is { role: string; content: string } =>
        typeof m === "object" && m !== null && typeof m.role === "string" && typeof m.content === "string",
    );
    const ai = turns.map((m) => m.role).lastIndexOf("assistant");
    if (ai < 0) return null;
    const user = turns.slice(0, ai).reverse().find((m) => m.role === "user");
    return { question: user?.content ?? "", answer: turns[ai]?.content ?? "" };
  } catch {
    return null;
  }
}

/** Reward in (0, 1) for a rendered conversation. */
export function scoreConversation(text: string, model: RewardModelSpec, rng: Rng): number {
  const { question, answer } = splitConversation(text);
  const q = assessAnswer(question, answer);
  const length = clamp(Math.log2(Math.max(q.words, 1) / 120), -1, 1);
  const logit = REWARD_SCALE * (q.coverage - 0.5) + model.verbosityBias * length + model.noise * randomNormal(rng);
  return sigmoid(logit);
}
