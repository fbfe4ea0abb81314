/**
 * Multi-turn judge prompts in the MT-bench style (FastChat's "pair-v2-multi-turn" and
 * "single-v1-multi-turn", in our own words): the judge is shown each candidate's whole conversation,
 * user turns and that candidate's own answers, between
 *
 *   <|The Start of Assistant A's Conversation with User|> ... <|The End of Assistant A's Conversation with User|>
 *
 * markers (single grading: "Assistant's Conversation"), each message as a `### User:` or
 * `### Assistant A:` block. Two ways to decide, each its own version:
 * - "conversation" (`...@1`): every answer of the conversation counts (how well the assistant followed
 *   the whole exchange);
 * - "last" (`...-last@1`): MT-bench's own focus, the answer to the final user question, the earlier turns
 *   shown as context.
 * Pairwise verdicts use the five labels of the arena-hard prompt (`[[A>>B]]` ... `[[B>>A]]`) rather than
 * MT-bench's `[[A]]`/`[[B]]`/`[[C]]`, so the swap combination and parsers are the same as for every
 * other pairwise template; single grading ends with `Rating: [[N]]` as MT-bench's does.
 */
import type { JudgeMessage } from "../labels.js";
import { LABEL_LIST } from "./pairwise.js";
import { hasReference, renderedVersion } from "./question.js";
import type { PairwiseInput, PairwiseTemplate, QuestionInput, RenderedPrompt, SingleInput, SingleTemplate } from "./types.js";

export type JudgeTurns = "conversation" | "last";

export const MULTI_TURN_PAIRWISE_VERSION = "mt-bench-pair-multi-turn@1";
export const MULTI_TURN_PAIRWISE_LAST_VERSION = "mt-bench-pair-multi-turn-last@1";
export const MULTI_TURN_SINGLE_VERSION = "mt-bench-single-multi-turn@1";
export const MULTI_TURN_SINGLE_LAST_VERSION = "mt-bench-single-multi-turn-last@1";

/** The sentence that says what to judge; the simulator's judges read it too (src/sim/judge.ts). */
export const FOCUS: Record<JudgeTurns, string> = {
  conversation: "Judge the whole conversation: every answer the assistant gave counts, including how well the later answers build on the earlier turns.",
  last: "Focus on the answers to the final user question; the earlier turns are shown as context only.",
};

function pairwiseSystem(turns: JudgeTurns): string {
  return [
    "You are an impartial judge. Two AI assistants, A and B, each had a conversation with a user who asked several questions in turn; both were asked the same questions. Decide which assistant followed the user's instructions and answered the user's questions better.",
    FOCUS[turns],
    "Consider helpfulness, relevance, accuracy, depth, creativity and level of detail. If a reference answer is provided, treat it as correct: compare the assistants' answers with it and point out and correct their mistakes.",
    "Begin by comparing the two conversations and give a short explanation. Do not let the order in which the conversations are shown, their length or the assistants' names influence you; be as objective as possible.",
    `After your explanation, give your final verdict as exactly one of these labels:\n\n${LABEL_LIST}`,
  ].join("\n\n");
}

function singleSystem(turns: JudgeTurns): string {
  return [
    "You are an impartial judge. Evaluate the conversation an AI assistant had with a user who asked several questions in turn.",
    FOCUS[turns],
    "Consider helpfulness, relevance, accuracy, depth, creativity and level of detail. If a reference answer is provided, treat it as correct: compare the assistant's answers with it and identify and correct any mistakes.",
    "Do not let the length of the answers influence you. Begin with a short explanation and be as objective as possible.",
    'After your explanation, rate the assistant on a scale of 1 to 10 in exactly this format: "Rating: [[5]]".',
  ].join("\n\n");
}

/** A question without candidate answers, as a conversation (a plain string is one user message). */
function asMessages(question: QuestionInput): readonly JudgeMessage[] {
  return typeof question === "string" ? [{ role: "user", content: question }] : question;
}

/** One conversation between its start and end markers; `who` is "Assistant A", "Assistant B" or "Assistant". */
export function renderConversation(who: string, messages: readonly JudgeMessage[]): string {
  const blocks = messages.map((m) => `### ${m.role === "user" ? "User" : m.role === "system" ? "System" : who}:\n${m.content}`);
  return `<|The Start of ${who}'s Conversation with User|>\n\n${blocks.join("\n\n")}\n\n<|The End of ${who}'s Conversation with User|>`;
}

/** A conversation ending in `answer` when the caller gave none (a single-turn instruction judged with this template). */
function conversationOr(conversation: readonly JudgeMessage[] | undefined, question: QuestionInput, answer: string): readonly JudgeMessage[] {
  return conversation ?? [...asMessages(question), { role: "assistant", content: answer }];
}

function referenceBlock(reference: string | null | undefined): string {
  return hasReference(reference) ? `<|The Start of Reference Answer|>\n${reference}\n<|The End of Reference Answer|>\n\n\n` : "";
}

export function multiTurnPairwiseUserMessage(input: PairwiseInput): string {
  const a = conversationOr(input.conversationA, input.question, input.answerA);
  const b = conversationOr(input.conversationB, input.question, input.answerB);
  return `${referenceBlock(input.reference)}${renderConversation("Assistant A", a)}\n\n\n${renderConversation("Assistant B", b)}`;
}

export function multiTurnSingleUserMessage(input: SingleInput): string {
  return `${referenceBlock(input.reference)}${renderConversation("Assistant", conversationOr(input.conversation, input.question, input.answer))}`;
}

function pairwise(version: string, turns: JudgeTurns): PairwiseTemplate {
  const system = pairwiseSystem(turns);
  return {
    kind: "pairwise",
    version,
    output: "label",
    render: (input): RenderedPrompt => ({
      version: renderedVersion(version, input.reference),
      messages: [
        { role: "system", content: system },
        { role: "user", content: multiTurnPairwiseUserMessage(input) },
      ],
    }),
  };
}

function single(version: string, turns: JudgeTurns): SingleTemplate {
  const system = singleSystem(turns);
  return {
    kind: "single",
    version,
    render: (input): RenderedPrompt => ({
      version: renderedVersion(version, input.reference),
      messages: [
        { role: "system", content: system },
        { role: "user", content: multiTurnSingleUserMessage(input) },
      ],
    }),
  };
}

export const multiTurnPairwiseTemplate = pairwise(MULTI_TURN_PAIRWISE_VERSION, "conversation");
export const multiTurnPairwiseLastTemplate = pairwise(MULTI_TURN_PAIRWISE_LAST_VERSION, "last");
export const multiTurnSingleTemplate = single(MULTI_TURN_SINGLE_VERSION, "conversation");
export const multiTurnSingleLastTemplate = single(MULTI_TURN_SINGLE_LAST_VERSION, "last");

/** The built-in a multi-turn instruction is judged with, by the round's mode and `judgeTurns`. */
export function multiTurnTemplate(mode: "pairwise", turns: JudgeTurns): PairwiseTemplate;
export function multiTurnTemplate(mode: "single", turns: JudgeTurns): SingleTemplate;
export function multiTurnTemplate(mode: "pairwise" | "single", turns: JudgeTurns): PairwiseTemplate | SingleTemplate {
  if (mode === "pairwise") return turns === "last" ? multiTurnPairwiseLastTemplate : multiTurnPairwiseTemplate;
  return turns === "last" ? multiTurnSingleLastTemplate : multiTurnSingleTemplate;
}
