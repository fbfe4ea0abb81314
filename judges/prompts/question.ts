/**
 * Renders a question for a judge prompt. A plain string, or a conversation that is exactly one
 * user message, renders as the bare text so single-turn prompts look exactly like arena-hard's.
 * Any other conversation renders as a transcript, one block per message:
 *
 *   [System]\n...            (system messages, unnumbered)
 *   [Assistant]\n...         (an assistant message before the first user turn, unnumbered)
 *   [Turn 1 - User]\n...
 *   [Turn 1 - Assistant]\n...
 *   [Turn 2 - User]\n...
 *
 * blocks separated by a blank line; turns are numbered by user messages. The judge system prompts
 * say that the answers respond to the final user turn.
 */
import type { JudgeMessage } from "../labels.js";
import type { QuestionInput } from "./types.js";

export function renderQuestion(question: QuestionInput): string {
  if (typeof question === "string") return question;
  const only = question[0];
  if (question.length === 1 && only && only.role === "user") return only.content;
  return renderTranscript(question);
}

/** Every message as a numbered block (the transcript form described above), whatever its length. */
export function renderTranscript(messages: readonly JudgeMessage[]): string {
  let turn = 0;
  const blocks: string[] = [];
  for (const m of messages) {
    if (m.role === "system") {
      blocks.push(`[System]\n${m.content}`);
      continue;
    }
    if (m.role === "user") turn += 1;
    if (turn === 0) {
      blocks.push(`[Assistant]\n${m.content}`);
      continue;
    }
    const who = m.role === "user" ? "User" : "Assistant";
    blocks.push(`[Turn ${turn} - ${who}]\n${m.content}`);
  }
  return blocks.join("\n\n");
}

/** True when the reference is worth showing (absent, null and blank references are left out). */
export function hasReference(reference: string | null | undefined): reference is string {
  return typeof reference === "string" && reference.trim().length > 0;
}

/**
 * The version a rendered prompt records: a reference-guided prompt is a different template text (the
 * reference block and the instruction to trust it), so its judgments get `<base>+reference` and stay
 * apart from the ones graded without a reference.
 */
export function renderedVersion(base: string, reference: string | null | undefined): string {
  return hasReference(reference) ? `${base}+reference` : base;
}
