/**
 * Simulated judges. They read the arena-hard pairwise or MT-bench single-grading prompt, recover the
 * question and answers from the markers, and score each answer from its text alone (key-point coverage,
 * see quality.ts). A pairwise decision is
 *   d = (qA - qB) + positionBias + verbosityBias * clamp(log2(wordsA / wordsB), -2, 2) / 2 + noise * z
 * with z ~ N(0, 1) seeded by the prompt; |d| <= TIE_MARGIN is a tie, > STRONG_MARGIN a strong preference.
 * A single grade is round(1 + 9 * (q + verbosityBias * clamp(log2(words / REFERENCE_WORDS), -1, 1) + noise * z)).
 * Besides the built-in markers they read prompts users lay out with XML-style tags (`<question>` or
 * `<conversation>`, `<reference>`, `<answer_a>` + `<answer_b>` or `<answer>`), as judge templates
 * users write often do (see TAGS below).
 */
import type { JudgeSpec } from "./preset-schema.js";
import { assessAnswer, type Quality } from "./quality.js";
import { randomNormal, type Rng } from "../../lib/random.js";
import { clamp } from "./math.js";

export const TIE_MARGIN = 0.1;
export const STRONG_MARGIN = 0.35;
/** Answer length (words) at which the single-grading verbosity term is zero. */
export const REFERENCE_WORDS = 120;
/** A reference answer makes a judge steadier: its noise is scaled by this factor. */
export const REFERENCE_NOISE_FACTOR = 0.7;

export type PairwiseLabel = "A>>B" | "A>B" | "A=B" | "B>A" | "B>>A";
export type JudgeParams = Pick<JudgeSpec, "noise" | "positionBias" | "verbosityBias">;

/** One answered turn of a conversation shown to a judge. */
export interface JudgedTurn {
  question: string;
  answer: string;
}

/**
 * `turnsA`/`turnsB`/`turns`: a multi-turn prompt judged on the whole conversation, each answer against
 * its own user turn; `a`/`b`/`answer` and `question` are then the last turn's.
 */
export type JudgePrompt =
  | { kind: "pairwise"; question: string; a: string; b: string; reference: string | null; turnsA?: JudgedTurn[]; turnsB?: JudgedTurn[] }
  | { kind: "single"; question: string; answer: string; reference: string | null; turns?: JudgedTurn[] };

const P = {
  user: "<|User Prompt|>",
  refStart: "<|The Start of Reference Answer|>",
  refEnd: "<|The End of Reference Answer|>",
  aStart: "<|The Start of Assistant A's Answer|>",
  aEnd: "<|The End of Assistant A's Answer|>",
  bStart: "<|The Start of Assistant B's Answer|>",
  bEnd: "<|The End of Assistant B's Answer|>",
};
const S = {
  question: "[Question]",
  refStart: "[The Start of Reference Answer]",
  refEnd: "[The End of Reference Answer]",
  start: "[The Start of Assistant's Answer]",
  end: "[The End of Assistant's Answer]",
};

/** Text between `start` and the next `end` marker (trimmed), or null when either is missing. */
function between(text: string, start: string, end: string, from = 0): string | null {
  const i = text.indexOf(start, from);
  if (i < 0) return null;
  const j = text.indexOf(end, i + start.length);
  return j < 0 ? null : text.slice(i + start.length, j).trim();
}

const TURN_RE = /\[Turn \d+ - User\]\n/g;

/**
 * The question a judged answer responds to. A multi-turn question rendered as a transcript
 * (`[Turn 1 - User]`, `[Turn 1 - Assistant]`, ... as judges/prompts/question.ts writes it) is judged on
 * its final user turn, which is what the candidates answered.
 */
export function finalUserTurn(question: string): string {
  let last: RegExpExecArray | null = null;
  for (const m of question.matchAll(TURN_RE)) last = m;
  if (!last) return question;
  const start = last.index + last[0].length;
  const end = question.indexOf("\n\n[Turn ", start);
  return question.slice(start, end < 0 ? undefined : end).trim();
}

/** Tag names a user-written judge template may wrap each part in, first found wins. */
const TAGS = {
  question: ["question", "conversation", "prompt"],
  reference: ["reference", "reference_answer"],
  a: ["answer_a", "response_a", "assistant_a"],
  b: ["answer_b", "response_b", "assistant_b"],
  one: ["answer", "response"],
};

function tagged(text: string, names: readonly string[]): string | null {
  for (const n of names) {
    const v = between(text, `<${n}>`, `</${n}>`);
    if (v !== null) return v;
  }
  return null;
}

/** A prompt laid out with tags; null unless it has a question and the answers of a judge prompt. */
function parseTaggedPrompt(text: string): JudgePrompt | null {
  const q = tagged(text, TAGS.question);
  if (q === null) return null;
  const question = finalUserTurn(q);
  const reference = tagged(text, TAGS.reference) || null;
  const a = tagged(text, TAGS.a);
  const b = tagged(text, TAGS.b);
  if (a !== null && b !== null) return { kind: "pairwise", question, a, b, reference };
  const answer = tagged(text, TAGS.one);
  return answer === null ? null : { kind: "single", question, answer, reference };
}

/** The sentence of a multi-turn judge's instructions that asks for the final turn only (judges/prompts/multi-turn.ts). */
const LAST_TURN_FOCUS = "focus on the answers to the final user question";

/**
 * The turns of one conversation between `<|The Start of {who}'s Conversation with User|>` markers:
 * `### User:` blocks, each followed by the `### {who}:` block that answered it. Null when absent.
 */
export function conversationTurns(text: string, who: string): JudgedTurn[] | null {
  const body = between(text, `<|The Start of ${who}'s Conversation with User|>`, `<|The End of ${who}'s Conversation with User|>`);
  if (body === null) return null;
  const turns: JudgedTurn[] = [];
  const re = new RegExp(`^### (User|System|${who.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}):\n`, "gm");
  const heads = [...body.matchAll(re)];
  let question: string | null = null;
  heads.forEach((h, i) => {
    const start = h.index + h[0].length;
    const end = heads[i + 1]?.index ?? body.length;
    const content = body.slice(start, end).trim();
    if (h[1] === "User") question = content;
    else if (h[1] !== "System" && question !== null) {
      turns.push({ question, answer: content });
      question = null;
    }
  });
  return turns.length > 0 ? turns : null;
}

/** A multi-turn conversation prompt (MT-bench style markers); null when the text is not one. */
function parseConversationPrompt(text: string, system: string): JudgePrompt | null {
  const lastOnly = system.toLowerCase().includes(LAST_TURN_FOCUS);
  const reference = between(text, P.refStart, P.refEnd);
  const a = conversationTurns(text, "Assistant A");
  const b = conversationTurns(text, "Assistant B");
  if (a && b) {
    const la = a[a.length - 1]!;
    const lb = b[b.length - 1]!;
    const base = { kind: "pairwise" as const, question: la.question, a: la.answer, b: lb.answer, reference };
    return lastOnly ? base : { ...base, turnsA: a, turnsB: b };
  }
  const one = conversationTurns(text, "Assistant");
  if (!one) return null;
  const last = one[one.length - 1]!;
  const base = { kind: "single" as const, question: last.question, answer: last.answer, reference };
  return lastOnly ? base : { ...base, turns: one };
}

/**
 * Recover a judge prompt from a message; null when the text is not one. `system` is the request's
 * system text: a multi-turn judge asked to focus on the final turn judges that turn only.
 */
export function parseJudgePrompt(text: string, system = ""): JudgePrompt | null {
  if (text.includes("'s Conversation with User|>")) return parseConversationPrompt(text, system);
  if (text.includes(P.aStart)) {
    const a = between(text, P.aStart, P.aEnd);
    const b = between(text, P.bStart, P.bEnd);
    const question = between(text, P.user, "<|The Start of");
    if (a === null || b === null || question === null) return null;
    return { kind: "pairwise", question: finalUserTurn(question), a, b, reference: between(text, P.refStart, P.refEnd) };
  }
  if (text.includes(S.start)) {
    const answer = between(text, S.start, S.end);
    const qi = text.indexOf(S.question);
    if (answer === null || qi < 0) return null;
    const qEnd = text.indexOf("[The Start of", qi);
    const question = finalUserTurn(text.slice(qi + S.question.length, qEnd < 0 ? undefined : qEnd).trim());
    return { kind: "single", question, answer, reference: between(text, S.refStart, S.refEnd) };
  }
  return parseTaggedPrompt(text);
}

/**
 * A whole conversation's quality: each answer against its own user turn, the coverage the mean over
 * turns (every turn weighs the same), points and words summed.
 */
export function assessConversation(turns: readonly JudgedTurn[]): Quality {
  const qs = turns.map((t) => assessAnswer(t.question, t.answer));
  const sum = (f: (q: Quality) => number) => qs.reduce((s, q) => s + f(q), 0);
  return {
    covered: sum((q) => q.covered),
    total: sum((q) => q.total),
    coverage: qs.length === 0 ? 0 : sum((q) => q.coverage) / qs.length,
    arithmeticRight: sum((q) => q.arithmeticRight),
    arithmeticTotal: sum((q) => q.arithmeticTotal),
    words: qs.length === 0 ? 0 : Math.round(sum((q) => q.words) / qs.length),
  };
}

export interface PairwiseDecision {
  label: PairwiseLabel;
  /** The biased, noisy score difference in favour of A. */
  diff: number;
  qa: Quality;
  qb: Quality;
}

export function labelFor(diff: number): PairwiseLabel {
  if (diff > STRONG_MARGIN) return "A>>B";
  if (diff > TIE_MARGIN) return "A>B";
  if (diff >= -TIE_MARGIN) return "A=B";
  return diff >= -STRONG_MARGIN ? "B>A" : "B>>A";
}

function lengthTerm(wordsA: number, wordsB: number): number {
  return clamp(Math.log2(Math.max(wordsA, 1) / Math.max(wordsB, 1)), -2, 2) / 2;
}

/** Decide a pairwise comparison; `rng` supplies the judge's noise. */
export function judgePairwise(
  p: Extract<JudgePrompt, { kind: "pairwise" }>,
  judge: JudgeParams,
  rng: Rng,
): PairwiseDecision {
  const qa = p.turnsA ? assessConversation(p.turnsA) : assessAnswer(p.question, p.a);
  const qb = p.turnsB ? assessConversation(p.turnsB) : assessAnswer(p.question, p.b);
  const noise = judge.noise * (p.reference === null ? 1 : REFERENCE_NOISE_FACTOR);
  const diff =
    qa.coverage - qb.coverage +
    judge.positionBias +
    judge.verbosityBias * lengthTerm(qa.words, qb.words) +
    noise * randomNormal(rng);
  return { label: labelFor(diff), diff, qa, qb };
}

export interface SingleDecision {
  rating: number;
  q: Quality;
}

/** Grade one answer on 1-10; `rng` supplies the judge's noise. */
export function judgeSingle(p: Extract<JudgePrompt, { kind: "single" }>, judge: JudgeParams, rng: Rng): SingleDecision {
  const q = p.turns ? assessConversation(p.turns) : assessAnswer(p.question, p.answer);
  const noise = judge.noise * (p.reference === null ? 1 : REFERENCE_NOISE_FACTOR);
  const lengthBonus = judge.verbosityBias * clamp(Math.log2(Math.max(q.words, 1) / REFERENCE_WORDS), -1, 1);
  const s = q.coverage + lengthBonus + noise * randomNormal(rng);
  return { rating: clamp(Math.round(1 + 9 * s), 1, 10), q };
}

function describe(q: Quality): string {
  const arith = q.arithmeticTotal > 0 ? `, with ${q.arithmeticRight} of ${q.arithmeticTotal} calculations right` : "";
  return `addresses ${q.covered} of ${q.total} key points${arith} in ${q.words} words`;
}

/** The judge's reply: a short rationale ending in `My final verdict is: [[label]]`, or no label if invalid. */
export function writePairwiseVerdict(d: PairwiseDecision, invalid: boolean): string {
  const rationale = `Assistant A ${describe(d.qa)}. Assistant B ${describe(d.qb)}.`;
  if (invalid) return `${rationale} Both answers have merits and weaknesses, so the comparison is difficult to settle.`;
  return `${rationale}\n\nMy final verdict is: [[${d.label}]]`;
}

/** The judge's reply for single grading: a rationale ending in `Rating: [[n]]`, or no rating if invalid. */
export function writeSingleVerdict(d: SingleDecision, invalid: boolean): string {
  const rationale = `The answer ${describe(d.q)}.`;
  if (invalid) return `${rationale} It has some strengths and some weaknesses.`;
  return `${rationale}\n\nRating: [[${d.rating}]]`;
}
