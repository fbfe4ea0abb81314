/**
 * Prompt conversions shared by the export formats. Role/content formats (TRL, OpenAI, Axolotl)
 * take the prompt as it is; LLaMA-Factory's sharegpt and alpaca formats need strictly alternating
 * human/gpt turns starting with human (data/README.md: "human and observation should appear in
 * odd positions, while gpt and function should appear in even positions"), so `toAlternating`
 * lifts leading system turns out, merges consecutive turns of one role and, if the first turn is
 * the assistant's, opens with an empty user turn rather than dropping text.
 */

import { memoLast } from "./memo-last.js";
import type { PromptMessage } from "./select-types.js";

export interface AlternatingPrompt {
  /** Leading system turns joined by a blank line, or null. */
  system: string | null;
  /** user, assistant, user, ... (ends with user for a valid prompt). */
  turns: { role: "user" | "assistant"; content: string }[];
}

const JOIN = "\n\n";

/**
 * Copies role and content only, so no stray field reaches a file. The copy of the most recent
 * prompt is kept and shared (frozen): an instruction's rows come one after another, and its DPO
 * pairs all repeat the same prompt.
 */
export const plainMessages: (messages: readonly PromptMessage[]) => PromptMessage[] = memoLast((messages: readonly PromptMessage[]) =>
  messages.map((m) => ({ role: m.role, content: m.content })),
);

export function toAlternating(messages: readonly PromptMessage[]): AlternatingPrompt {
  const system: string[] = [];
  let i = 0;
  for (let m = messages[i]; m !== undefined && m.role === "system"; m = messages[++i]) system.push(m.content);
  const turns: AlternatingPrompt["turns"] = [];
  for (const m of messages.slice(i)) {
    // A system turn in mid-conversation has no slot in these formats; it is kept as user text.
    const role = m.role === "assistant" ? "assistant" : "user";
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.content = `${last.content}${JOIN}${m.content}`;
    else turns.push({ role, content: m.content });
  }
  if (turns[0]?.role === "assistant") turns.unshift({ role: "user", content: "" });
  return { system: system.length > 0 ? system.join(JOIN) : null, turns };
}

export interface ShareGptTurn {
  from: "system" | "human" | "gpt";
  value: string;
}

/** The prompt as LLaMA-Factory sharegpt turns, a system prompt first when there is one. */
export function toShareGpt(messages: readonly PromptMessage[]): ShareGptTurn[] {
  const { system, turns } = toAlternating(messages);
  const out: ShareGptTurn[] = system === null ? [] : [{ from: "system", value: system }];
  for (const t of turns) out.push({ from: t.role === "user" ? "human" : "gpt", value: t.content });
  return out;
}

/** A multi-turn answer as the formats need it: its earlier answers and its last one. */
export interface TurnAnswer {
  text: string;
  earlier?: readonly { text: string; trace?: string | null }[];
}

/**
 * A multi-turn candidate's side of the conversation after the shared prefix (which ends with the first
 * user turn): its earlier answers, each followed by the next user turn, then its last answer.
 * `content` writes an answer (with or without its trace).
 */
export function continuationMessages(turns: readonly string[], answer: TurnAnswer, content: (a: { text: string; trace?: string | null }) => string, last: string): PromptMessage[] {
  const out: PromptMessage[] = [];
  (answer.earlier ?? []).forEach((e, i) => {
    out.push({ role: "assistant", content: content(e) }, { role: "user", content: turns[i + 1] ?? "" });
  });
  out.push({ role: "assistant", content: last });
  return out;
}

/** The candidate's own conversation up to (and with) the last user turn: the prompt its last answer answered. */
export function ownPrompt(prefix: readonly PromptMessage[], turns: readonly string[], answer: TurnAnswer, content: (a: { text: string; trace?: string | null }) => string): PromptMessage[] {
  const cont = continuationMessages(turns, answer, content, "");
  return [...plainMessages(prefix), ...cont.slice(0, -1)];
}
