/**
 * Single-answer grading in the MT-bench style: the judge rates one answer from 1 to 10 and ends
 * with `Rating: [[N]]`. With a reference answer (math, code) the reference block precedes the
 * assistant's answer, as in MT-bench's reference-guided grading.
 */
import { hasReference, renderedVersion, renderQuestion } from "./question.js";
import type { RenderedPrompt, SingleInput, SingleTemplate } from "./types.js";

export const SINGLE_VERSION = "mt-bench-single@1";

export const SINGLE_SYSTEM_PROMPT = [
  "You are an impartial judge. Evaluate the quality of the answer an AI assistant gave to the question below.",
  "If the question is a conversation, the answer responds to its final user turn.",
  "Consider helpfulness, relevance, accuracy, depth, creativity and level of detail. If a reference answer is provided, treat it as correct: compare the assistant's answer with it and identify and correct any mistakes.",
  "Do not let the length of the answer influence you. Begin with a short explanation and be as objective as possible.",
  'After your explanation, rate the answer on a scale of 1 to 10 in exactly this format: "Rating: [[5]]".',
].join("\n\n");

export function singleUserMessage(input: SingleInput): string {
  const reference = hasReference(input.reference)
    ? `[The Start of Reference Answer]\n${input.reference}\n[The End of Reference Answer]\n\n`
    : "";
  return (
    `[Question]\n${renderQuestion(input.question)}\n\n` +
    reference +
    `[The Start of Assistant's Answer]\n${input.answer}\n[The End of Assistant's Answer]`
  );
}

export function renderSinglePrompt(input: SingleInput): RenderedPrompt {
  return {
    version: renderedVersion(SINGLE_VERSION, input.reference),
    messages: [
      { role: "system", content: SINGLE_SYSTEM_PROMPT },
      { role: "user", content: singleUserMessage(input) },
    ],
  };
}

export const singleTemplate: SingleTemplate = {
  kind: "single",
  version: SINGLE_VERSION,
  render: renderSinglePrompt,
};
