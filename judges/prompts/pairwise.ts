/**
 * Pairwise judge prompt in the arena-hard-auto style: the judge answers the prompt itself, compares
 * both assistants against its own answer (or the reference answer when one is given), and ends with
 * one of the five labels `[[A>>B]]` ... `[[B>>A]]`. The user-message markers are fixed: the simulator
 * and external tooling parse them.
 */
import { hasReference, renderedVersion, renderQuestion } from "./question.js";
import type { PairwiseInput, PairwiseTemplate, RenderedPrompt } from "./types.js";

export const PAIRWISE_VERSION = "arena-hard-v2@1";

/** The five verdict labels as every label-output pairwise template lists them. */
export const LABEL_LIST = [
  "1. Assistant A is significantly better: [[A>>B]]",
  "2. Assistant A is slightly better: [[A>B]]",
  "3. Tie, relatively the same: [[A=B]]",
  "4. Assistant B is slightly better: [[B>A]]",
  "5. Assistant B is significantly better: [[B>>A]]",
].join("\n");

/** Instructions shared by the label and JSON variants; they differ only in the output format. */
export const PAIRWISE_INSTRUCTIONS = [
  "You are an impartial judge. Compare the answers that two AI assistants, A and B, gave to the user prompt below, and decide which answer is better.",
  "If the user prompt is a conversation, both answers respond to its final user turn.",
  "First write your own answer to the prompt. Then evaluate each assistant against it: point out and correct any mistakes or inaccurate information.",
  "If a reference answer is provided, treat it as correct and judge correctness against it instead of your own answer.",
  "Judge whether each answer is helpful (it follows the instructions and addresses the prompt; when the prompt is ambiguous, asking for clarification beats guessing), relevant (every part fits the request) and concise (no needless verbosity). Consider creativity and novelty where they matter, and note important information that an answer leaves out.",
  "Do not let the order of the answers, their length or the assistants' names influence you.",
].join("\n\n");

const LABEL_OUTPUT = `After your explanation, give your final verdict as exactly one of these labels:\n\n${LABEL_LIST}\n\nExample output: "My final verdict is tie: [[A=B]]".`;

export const PAIRWISE_SYSTEM_PROMPT = `${PAIRWISE_INSTRUCTIONS}\n\n${LABEL_OUTPUT}`;

/**
 * The arena-hard user message. With a reference answer, its block sits between the user prompt and
 * Assistant A's answer.
 */
export function pairwiseUserMessage(input: PairwiseInput): string {
  const reference = hasReference(input.reference)
    ? `<|The Start of Reference Answer|>\n${input.reference}\n<|The End of Reference Answer|>\n\n`
    : "";
  return (
    `<|User Prompt|>\n${renderQuestion(input.question)}\n\n` +
    reference +
    `<|The Start of Assistant A's Answer|>\n${input.answerA}\n<|The End of Assistant A's Answer|>\n\n` +
    `<|The Start of Assistant B's Answer|>\n${input.answerB}\n<|The End of Assistant B's Answer|>`
  );
}

export function renderPairwisePrompt(input: PairwiseInput): RenderedPrompt {
  return {
    version: renderedVersion(PAIRWISE_VERSION, input.reference),
    messages: [
      { role: "system", content: PAIRWISE_SYSTEM_PROMPT },
      { role: "user", content: pairwiseUserMessage(input) },
    ],
  };
}

export const pairwiseTemplate: PairwiseTemplate = {
  kind: "pairwise",
  version: PAIRWISE_VERSION,
  output: "label",
  render: renderPairwisePrompt,
};
