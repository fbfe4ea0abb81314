/**
 * Types shared by the versioned judge prompt templates. A rendered prompt carries its template
 * `version`, which is stored with every judgment so results stay comparable when prompts change.
 */
import type { JudgeMessage } from "../labels.js";

/**
 * The question a candidate answered: plain text, or a conversation whose final user turn the
 * answers respond to (rendered by `renderQuestion`).
 */
export type QuestionInput = string | readonly JudgeMessage[];

/** Same shape as the gateway's `JsonSchemaSpec`, so a rendered prompt can be passed straight through. */
export interface JudgeJsonSchema {
  name: string;
  schema: Record<string, unknown>;
}

export interface RenderedPrompt {
  version: string;
  messages: JudgeMessage[];
  /** Present for structured-output templates: ask the provider for this schema. */
  jsonSchema?: JudgeJsonSchema;
}

export interface PairwiseInput {
  question: QuestionInput;
  /** The answer shown in position A (for the swapped game, pass model B's answer here). */
  answerA: string;
  answerB: string;
  /**
   * A multi-turn instruction: each candidate's whole conversation (its system messages, user turns and
   * its own answers, ending with its last answer), in the same positions as the answers. Multi-turn
   * templates render these; single-turn ones ignore them.
   */
  conversationA?: readonly JudgeMessage[];
  conversationB?: readonly JudgeMessage[];
  /** Reference answer for reference-guided grading (math, code); omitted or empty means none. */
  reference?: string | null;
}

export interface SingleInput {
  question: QuestionInput;
  answer: string;
  /** A multi-turn instruction: the candidate's whole conversation (see PairwiseInput). */
  conversation?: readonly JudgeMessage[];
  reference?: string | null;
}

export interface PairwiseTemplate {
  kind: "pairwise";
  version: string;
  /** "label": parse with `parsePairwiseVerdict`; "json": parse with `parseJsonVerdict`. */
  output: "label" | "json";
  /** A user template's JSON field that holds the verdict (judges/template-verdict.ts reads it). */
  verdictField?: string;
  render(input: PairwiseInput): RenderedPrompt;
}

export interface SingleTemplate {
  kind: "single";
  version: string;
  /** "rating" (the default): `Rating: [[N]]` in the text; "json": the number in `verdictField`. */
  output?: "rating" | "json";
  verdictField?: string;
  render(input: SingleInput): RenderedPrompt;
}

export type PromptTemplate = PairwiseTemplate | SingleTemplate;
