/**
 * Structured-output variant of the pairwise prompt, for judges that support JSON schemas: the same
 * instructions and user message, answered as `{ reasoning, verdict }` with the verdict one of the
 * five arena-hard labels. Reasoning comes first so the model argues before it decides.
 */
import { PAIRWISE_LABELS } from "../labels.js";
import { PAIRWISE_INSTRUCTIONS, pairwiseUserMessage } from "./pairwise.js";
import { renderedVersion } from "./question.js";
import type { JudgeJsonSchema, PairwiseInput, PairwiseTemplate, RenderedPrompt } from "./types.js";

export const PAIRWISE_JSON_VERSION = "arena-hard-v2-json@1";

export const PAIRWISE_VERDICT_SCHEMA: JudgeJsonSchema = {
  name: "pairwise_verdict",
  schema: {
    type: "object",
    properties: {
      reasoning: { type: "string", description: "Your own answer and the comparison of both assistants." },
      verdict: {
        type: "string",
        enum: [...PAIRWISE_LABELS],
        description: "A>>B: A significantly better; A>B: A slightly better; A=B: tie; B>A: B slightly better; B>>A: B significantly better.",
      },
    },
    required: ["reasoning", "verdict"],
    additionalProperties: false,
  },
};

const JSON_OUTPUT =
  'Answer with a JSON object only: {"reasoning": "<your analysis>", "verdict": "<label>"}, where the label is one of ' +
  '"A>>B" (A significantly better), "A>B" (A slightly better), "A=B" (tie), "B>A" (B slightly better), "B>>A" (B significantly better).';

export const PAIRWISE_JSON_SYSTEM_PROMPT = `${PAIRWISE_INSTRUCTIONS}\n\n${JSON_OUTPUT}`;

export function renderPairwiseJsonPrompt(input: PairwiseInput): RenderedPrompt {
  return {
    version: renderedVersion(PAIRWISE_JSON_VERSION, input.reference),
    messages: [
      { role: "system", content: PAIRWISE_JSON_SYSTEM_PROMPT },
      { role: "user", content: pairwiseUserMessage(input) },
    ],
    jsonSchema: PAIRWISE_VERDICT_SCHEMA,
  };
}

export const pairwiseJsonTemplate: PairwiseTemplate = {
  kind: "pairwise",
  version: PAIRWISE_JSON_VERSION,
  output: "json",
  render: renderPairwiseJsonPrompt,
};
