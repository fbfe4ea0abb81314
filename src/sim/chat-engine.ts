/**
 * Turning a validated chat request into simulated completions. The text depends only on
 * hash(seed, model, messages, params): a judge prompt (judge.ts markers) gets a verdict, anything else an
 * answer (answer.ts) to the last user message; structured-output requests get JSON filling the schema.
 */
import { writeAnswer } from "./answer.js";
import type { InstructionAnalyzer } from "./instruction.js";
import {
  judgePairwise,
  judgeSingle,
  parseJudgePrompt,
  writePairwiseVerdict,
  writeSingleVerdict,
  type JudgeParams,
  type PairwiseLabel,
} from "./judge.js";
import type { ChatModel } from "./registry.js";
import { judgeOverride } from "./judge-json.js";
import { breakJson, fillSchema } from "./structured.js";
import { estimateTokens, tokenSet, wordCount } from "./text.js";
import { hashString32Parts } from "../../lib/hash.js";
import { mulberry32, type Rng } from "../../lib/random.js";

/** How an answer model judges when asked to: a fair but imperfect judge. */
export const DEFAULT_JUDGE: JudgeParams & { invalidRate: number } = {
  noise: 0.3,
  positionBias: 0.05,
  verbosityBias: 0.05,
  invalidRate: 0.02,
};

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown> };

export interface SimChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  n?: number;
  responseFormat?: ResponseFormat;
}

export interface ContentFaults {
  invalidVerdict: boolean;
  invalidJson: boolean;
}

export interface SimChoice {
  text: string;
  finishReason: "stop" | "length";
}

export interface SimChatReply {
  choices: SimChoice[];
  promptTokens: number;
  completionTokens: number;
}

export interface ChatContext {
  seed: number;
  analyzer: InstructionAnalyzer;
  answerNoise: number;
}

/** The request's identity for determinism: model, every message, and every parameter that shapes text. */
function requestHash(req: SimChatRequest, seed: number): number {
  const parts = [req.model];
  for (const m of req.messages) parts.push(m.role, m.content);
  parts.push(`${req.temperature}|${req.topP}|${req.maxTokens}|${req.seed}`, JSON.stringify(req.responseFormat ?? null));
  return hashString32Parts(parts, seed);
}

function lastUserText(req: SimChatRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i];
    if (m && m.role === "user") return m.content;
  }
  return req.messages[req.messages.length - 1]?.content ?? "";
}

/**
 * A judge's decision: the reply text, and the fields structured output is filled from. An invalid
 * verdict only affects the text: under a JSON schema the label is always given, as constrained
 * decoding would force it (broken JSON is the `invalidJson` fault's business).
 */
interface Judgement {
  text: string;
  rationale: string;
  /** Null for single grading. */
  label: PairwiseLabel | null;
  /** Null for pairwise. */
  rating: number | null;
}

function composeJudgement(text: string, judge: JudgeParams & { invalidRate: number }, rng: Rng, faults: ContentFaults): Judgement | null {
  const prompt = parseJudgePrompt(text);
  if (!prompt) return null;
  const invalid = rng() < judge.invalidRate || faults.invalidVerdict;
  if (prompt.kind === "pairwise") {
    const d = judgePairwise(prompt, judge, rng);
    const reply = writePairwiseVerdict(d, invalid);
    return { text: reply, rationale: reply.split("\n")[0] ?? reply, label: d.label, rating: null };
  }
  const d = judgeSingle(prompt, judge, rng);
  const reply = writeSingleVerdict(d, invalid);
  return { text: reply, rationale: reply.split("\n")[0] ?? reply, label: null, rating: d.rating };
}

function judgementJson(j: Judgement): unknown {
  return j.rating !== null ? { rationale: j.rationale, rating: j.rating } : { rationale: j.rationale, verdict: j.label };
}

function composeChoice(model: ChatModel, req: SimChatRequest, ctx: ChatContext, rng: Rng, styleRng: Rng, faults: ContentFaults): { text: string; json: boolean } {
  const question = lastUserText(req);
  const verdict = composeJudgement(question, model.judge ?? DEFAULT_JUDGE, rng, faults);
  const format = req.responseFormat ?? { type: "text" };
  if (verdict && format.type === "text") return { text: verdict.text, json: false };
  const analysis = ctx.analyzer.analyze(question);
  const answer = writeAnswer(analysis, model.skills[analysis.category] ?? 0, model.style, ctx.answerNoise, rng, styleRng);
  if (format.type === "text") return { text: answer.text, json: false };
  let value: unknown;
  if (format.type === "json_object") {
    value = verdict ? judgementJson(verdict) : { answer: answer.text };
  } else {
    // Covered key points (as written in the answer) lead the word pool, so structured text tracks skill.
    const written = tokenSet(answer.text);
    const words = [...analysis.words.filter((w) => written.has(w)), ...analysis.vocabulary.slice(analysis.words.length)];
    const override = verdict ? judgeOverride(verdict.label, verdict.rating, verdict.rationale) : undefined;
    value = fillSchema(format.schema, { rng, words, override });
  }
  return { text: faults.invalidJson ? breakJson(value) : JSON.stringify(value), json: true };
}

/** Cut `text` to about `maxTokens` tokens (words / 1.3), keeping whole words. */
function truncateToTokens(text: string, maxTokens: number): string {
  const keep = Math.max(1, Math.floor(maxTokens / 1.3));
  return (text.match(/\S+\s*/g) ?? []).slice(0, keep).join("").trimEnd();
}

const STYLE_STREAM = 0x5bd1e995;

/** Simulated completions for a validated request to a chat model. */
export function respondChat(model: ChatModel, req: SimChatRequest, ctx: ChatContext, faults: ContentFaults): SimChatReply {
  const base = requestHash(req, ctx.seed);
  const choices: SimChoice[] = [];
  let completionTokens = 0;
  for (let i = 0; i < (req.n ?? 1); i++) {
    const rng = mulberry32(base + i * 0x9e3779b1);
    // A second stream for the answer's style, so style draws never shift the coverage draws.
    const styleRng = mulberry32((base ^ STYLE_STREAM) + i * 0x9e3779b1);
    const { text, json } = composeChoice(model, req, ctx, rng, styleRng, faults);
    let choice: SimChoice = { text, finishReason: "stop" };
    if (!json && req.maxTokens !== undefined && estimateTokens(text) > req.maxTokens) {
      choice = { text: truncateToTokens(text, req.maxTokens), finishReason: "length" };
    }
    completionTokens += estimateTokens(choice.text);
    choices.push(choice);
  }
  let promptWords = 0;
  for (const m of req.messages) promptWords += wordCount(m.content);
  return { choices, promptTokens: Math.ceil(promptWords * 1.3), completionTokens };
}
