/**
 * Turning a validated chat request into simulated completions. The text depends only on
 * hash(seed, model, messages, params): a judge prompt (judge.ts markers) gets a verdict, anything else an
 * answer (answer.ts) to the last user message; structured-output requests get JSON filling the schema.
 */
import { writeAnswer } from "./answer.js";
import { FOLLOW_UP_PLAIN, FOLLOW_UP_TEMPLATE } from "./templates.js";
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
import { mirroredLabel, type ReasonedChoice, truncateToTokens, withTrace, writeTrace } from "./reasoning.js";
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
  /** The content; null only when a reasoning model's trace used up max_tokens (field mode). */
  text: string | null;
  finishReason: "stop" | "length";
  /** A reasoning model's trace in a separate field, and that field's name; null otherwise. */
  reasoning: string | null;
  reasoningField: "reasoning_content" | "reasoning";
}

export interface SimChatReply {
  choices: SimChoice[];
  promptTokens: number;
  completionTokens: number;
  /** Reported as completion_tokens_details.reasoning_tokens; null when the model sends no such count. */
  reasoningTokens: number | null;
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

/**
 * A follow-up turn's opening, referring to the first turn by one of its key points that the current
 * question does not have (so it earns no credit here); null unless the request carries an earlier
 * answer. Made of template words only (templates.ts), so it adds no key point to any question.
 */
export function followUpSentence(req: Pick<SimChatRequest, "messages">, currentPoints: readonly string[], analyzer: InstructionAnalyzer): string | null {
  const lastUser = req.messages.map((m) => m.role).lastIndexOf("user");
  if (!req.messages.slice(0, lastUser).some((m) => m.role === "assistant")) return null;
  const first = req.messages.find((m) => m.role === "user");
  const earlier = first ? analyzer.analyze(first.content).words.filter((w) => !currentPoints.includes(w)) : [];
  const k = earlier[0];
  return k === undefined ? FOLLOW_UP_PLAIN : FOLLOW_UP_TEMPLATE.replace("{k}", k);
}

function composeJudgement(text: string, judge: JudgeParams & { invalidRate: number }, rng: Rng, faults: ContentFaults, system = ""): Judgement | null {
  const prompt = parseJudgePrompt(text, system);
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

interface Composed {
  text: string;
  json: boolean;
  /** A judge's first impression, for its trace: a verdict it does not give in the end. */
  decoy: string | null;
}

function decoyOf(j: Judgement | null): string | null {
  if (j === null) return null;
  return j.label !== null ? `[[${mirroredLabel(j.label)}]]` : `Rating: [[${11 - (j.rating ?? 5)}]]`;
}

/** Which user turn the request asks (1 for the first), counted over its user messages. */
export function turnNumber(req: Pick<SimChatRequest, "messages">): number {
  let n = 0;
  for (const m of req.messages) if (m.role === "user") n++;
  return Math.max(n, 1);
}

/** The system messages' text: a judge reads its instructions there (multi-turn focus, judge.ts). */
function systemText(req: SimChatRequest): string {
  return req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
}

function composeChoice(model: ChatModel, req: SimChatRequest, ctx: ChatContext, rng: Rng, styleRng: Rng, faults: ContentFaults): Composed {
  const question = lastUserText(req);
  const verdict = composeJudgement(question, model.judge ?? DEFAULT_JUDGE, rng, faults, systemText(req));
  const decoy = decoyOf(verdict);
  const format = req.responseFormat ?? { type: "text" };
  if (verdict && format.type === "text") return { text: verdict.text, json: false, decoy };
  const analysis = ctx.analyzer.analyze(question);
  // A later turn of a conversation: a forgetful model answers it with less skill, and every answer to
  // a turn after an answer refers back to the first turn.
  const skill = (model.skills[analysis.category] ?? 0) - model.turnDecay * (turnNumber(req) - 1);
  const answer = writeAnswer(analysis, skill, model.style, ctx.answerNoise, rng, styleRng);
  const follow = followUpSentence(req, analysis.words, ctx.analyzer);
  if (follow !== null) answer.text = `${follow}\n\n${answer.text}`;
  if (format.type === "text") return { text: answer.text, json: false, decoy };
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
  return { text: faults.invalidJson ? breakJson(value) : JSON.stringify(value), json: true, decoy };
}

/** One choice's content, trace and tokens under the request's max_tokens. */
function finishChoice(model: ChatModel, req: SimChatRequest, composed: Composed, traceRng: Rng): ReasonedChoice {
  const { text, json } = composed;
  if (model.reasoning === null) {
    if (!json && req.maxTokens !== undefined && estimateTokens(text) > req.maxTokens) {
      const cut = truncateToTokens(text, req.maxTokens);
      return { content: cut, reasoning: null, finishReason: "length", completionTokens: estimateTokens(cut), reasoningTokens: 0 };
    }
    return { content: text, reasoning: null, finishReason: "stop", completionTokens: estimateTokens(text), reasoningTokens: 0 };
  }
  const trace = writeTrace(lastUserText(req), model.reasoning, traceRng, composed.decoy);
  return withTrace(model.reasoning, trace, text, json, req.maxTokens);
}

const STYLE_STREAM = 0x5bd1e995;
/** A third stream for reasoning traces, so adding a trace never shifts an answer or a verdict. */
const TRACE_STREAM = 0x27d4eb2f;

/** Simulated completions for a validated request to a chat model. */
export function respondChat(model: ChatModel, req: SimChatRequest, ctx: ChatContext, faults: ContentFaults): SimChatReply {
  const base = requestHash(req, ctx.seed);
  const choices: SimChoice[] = [];
  let completionTokens = 0;
  let reasoningTokens = 0;
  for (let i = 0; i < (req.n ?? 1); i++) {
    const rng = mulberry32(base + i * 0x9e3779b1);
    // A second stream for the answer's style, so style draws never shift the coverage draws.
    const styleRng = mulberry32((base ^ STYLE_STREAM) + i * 0x9e3779b1);
    const traceRng = mulberry32((base ^ TRACE_STREAM) + i * 0x9e3779b1);
    const c = finishChoice(model, req, composeChoice(model, req, ctx, rng, styleRng, faults), traceRng);
    completionTokens += c.completionTokens;
    reasoningTokens += c.reasoningTokens;
    choices.push({ text: c.content, finishReason: c.finishReason, reasoning: c.reasoning, reasoningField: model.reasoning?.field ?? "reasoning_content" });
  }
  let promptWords = 0;
  for (const m of req.messages) promptWords += wordCount(m.content);
  // Like OpenAI, a model that returns its trace apart reports its count; an inline trace is just content.
  const reported = model.reasoning?.mode === "field" ? reasoningTokens : null;
  return { choices, promptTokens: Math.ceil(promptWords * 1.3), completionTokens, reasoningTokens: reported };
}
