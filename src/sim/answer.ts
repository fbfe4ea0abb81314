/**
 * Writing a simulated answer. A model with skill s in the instruction's category draws one performance
 * offset e ~ N(0, answerNoise) per answer, then covers each key point with probability sigmoid(s + e):
 * covered points get a sentence that names them, uncovered ones get vague filler. Arithmetic is stated
 * correctly with the same probability (a nearby wrong number otherwise). The style sets length and
 * markdown only, so a verbose model is long without being better; each answer draws its own layout and
 * detail around the model's habit (style.ts) from a separate random stream.
 */
import type { InstructionAnalysis } from "./instruction.js";
import { formatNumber } from "./instruction.js";
import type { AnswerStyle } from "./preset-schema.js";
import { drawStyle, type DrawnStyle } from "./style.js";
import {
  ARITHMETIC_TEMPLATE,
  CLOSERS,
  COVER_TEMPLATES,
  DETAIL_TEMPLATES,
  FILLER_TEMPLATES,
  OPENERS,
} from "./templates.js";
import { pick, randomIntBetween, randomNormal, type Rng } from "../../lib/random.js";
import { sigmoid } from "./math.js";

export interface WrittenAnswer {
  text: string;
  /** Key points (words and arithmetic) the text covers correctly, and how many there were. */
  covered: number;
  total: number;
}

/** A point-by-point draft before layout: `covered` sentences name a key point. */
interface Draft {
  points: { sentences: string[]; covered: boolean }[];
  padding: string[];
  covered: number;
}

function cycle(list: readonly string[], i: number): string {
  return list[i % list.length] ?? "";
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function coverSentence(k: string, rng: Rng): string {
  return pick(rng, COVER_TEMPLATES, "{k}").replace("{k}", k).replace("{K}", capitalise(k));
}

/** A wrong result whose absolute value differs from the right one (number tokens are unsigned). */
function wrongResult(result: string, rng: Rng): string {
  const r = Number(result);
  const off = randomIntBetween(rng, 1, 9);
  return formatNumber(r >= 0 ? r + off : r - off);
}

function draft(a: InstructionAnalysis, p: number, style: AnswerStyle, drawn: DrawnStyle, rng: Rng): Draft {
  const points: Draft["points"] = [];
  let covered = 0;
  for (const k of a.words) {
    if (rng() < p) {
      const sentences = [coverSentence(k, rng)];
      const start = randomIntBetween(rng, 0, DETAIL_TEMPLATES.length - 1);
      for (let i = 1; i < drawn.detail; i++) sentences.push(cycle(DETAIL_TEMPLATES, start + i));
      points.push({ sentences, covered: true });
      covered++;
    } else {
      // A missed point is as long as a covered one (vague sentences instead of detail), so within a
      // model length tracks the style drawn, not the answer's quality. No extra rng draws: the coverage
      // draws of later points stay the same.
      const sentences = [pick(rng, FILLER_TEMPLATES, "")];
      for (let i = 1; i < drawn.detail; i++) sentences.push(cycle(FILLER_TEMPLATES, points.length + i));
      points.push({ sentences, covered: false });
    }
  }
  for (const ar of a.arithmetic) {
    const right = rng() < p;
    if (right) covered++;
    const r = right ? ar.result : wrongResult(ar.result, rng);
    points.push({ sentences: [ARITHMETIC_TEMPLATE.replace("{e}", ar.expression).replace("{r}", r)], covered: right });
  }
  const padding: string[] = [];
  const n = randomIntBetween(rng, style.padding[0], style.padding[1]);
  // Walk the filler list from a random start so padding sentences rarely repeat.
  const start = randomIntBetween(rng, 0, FILLER_TEMPLATES.length - 1);
  for (let i = 0; i < n; i++) padding.push(cycle(FILLER_TEMPLATES, start + i));
  return { points, padding, covered };
}

function layoutPlain(d: Draft, opener: string, closer: string): string {
  const body = d.points.map((pt) => pt.sentences.join(" "));
  const paragraphs = [opener + (body.length > 0 ? ` ${body.slice(0, 3).join(" ")}` : "")];
  for (let i = 3; i < body.length; i += 3) paragraphs.push(body.slice(i, i + 3).join(" "));
  if (d.padding.length > 0) paragraphs.push(d.padding.join(" "));
  paragraphs.push(closer);
  return paragraphs.join("\n\n");
}

const label = (i: number, bold: boolean): string => (bold ? `**Point ${i + 1}:**` : `Point ${i + 1}:`);

function layoutLight(d: Draft, s: DrawnStyle, opener: string, closer: string): string {
  const items = d.points.map((pt, i) => `${i + 1}. ${s.bold ? `${label(i, true)} ` : ""}${pt.sentences.join(" ")}`);
  const parts = [opener];
  if (items.length > 0) parts.push(items.join("\n"));
  if (d.padding.length > 0) parts.push(d.padding.join(" "));
  parts.push(closer);
  return parts.join("\n\n");
}

/** Headers, bullet lists and (usually) bold; `s.sections` of the four sections get a header. */
function layoutHeavy(d: Draft, s: DrawnStyle, opener: string, closer: string): string {
  const items = d.points.map((pt, i) => `- ${label(i, s.bold)} ${pt.sentences.join(" ")}`);
  const extra = d.padding.map((p) => `- ${p}`);
  const summary = s.bold ? `**In summary**, ${closer.charAt(0).toLowerCase()}${closer.slice(1)}` : closer;
  return [
    ...(s.sections >= 4 ? ["## Overview"] : []),
    opener,
    "### Key Points",
    items.join("\n") || `- ${label(0, s.bold)} There are several aspects to keep in mind.`,
    ...(s.sections >= 3 ? ["### Additional Considerations"] : []),
    extra.join("\n") || "- Every case is unique, so results may vary.",
    ...(s.sections >= 2 ? ["### Summary"] : []),
    summary,
  ].join("\n\n");
}

/**
 * Write an answer to an analysed instruction for a model of `skill` and `style`. `styleRng` draws this
 * answer's layout and detail; it must be a separate stream from `rng`, so that style is independent of
 * quality and the coverage draws are the same whatever the style.
 */
export function writeAnswer(
  a: InstructionAnalysis,
  skill: number,
  style: AnswerStyle,
  answerNoise: number,
  rng: Rng,
  styleRng: Rng,
): WrittenAnswer {
  const drawn = drawStyle(style, styleRng);
  const p = sigmoid(skill + answerNoise * randomNormal(rng));
  const d = draft(a, p, style, drawn, rng);
  const opener = pick(rng, OPENERS, "");
  const closer = pick(rng, CLOSERS, "");
  const text =
    drawn.markdown === "heavy" ? layoutHeavy(d, drawn, opener, closer) : drawn.markdown === "light" ? layoutLight(d, drawn, opener, closer) : layoutPlain(d, opener, closer);
  return { text, covered: d.covered, total: a.words.length + a.arithmetic.length };
}
