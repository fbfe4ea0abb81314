/**
 * Verdict parsing, in the manner of arena-hard-auto's gen_judgment.py: the text is normalised
 * (upper-cased, full-width and math symbols folded), then pattern tiers are tried in order; the
 * first tier with any valid match decides, and within it the LAST match in the text wins (judges
 * often think aloud before concluding). No match is `null`, counted by callers, never guessed.
 * These functions never throw, whatever they are given.
 *
 * Pairwise tiers:
 *   1. double-bracket labels `[[A>>B]]` with tolerant spacing, case, bold (`[[ **a >> b** ]]`),
 *      `≫`/`＞`/`&gt;`, reversed comparisons (`[[B<A]]` = A>B) and `==` for ties;
 *   2. MT-bench pairwise labels `[[A]]`, `[[B]]`, `[[C]]`/`[[TIE]]` (= A>B, B>A, A=B);
 *   3. an unbracketed label on a line that mentions "verdict" (`Final verdict: **B>A**`), the
 *      first label after the word on that line.
 * Prose such as "Assistant A is better" without a label is deliberately NOT parsed.
 */
import { MAX_RATING, MIN_RATING, type PairwiseLabel } from "./labels.js";

const FOLDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/≫/g, ">>"],
  [/≪/g, "<<"],
  [/＞|&gt;/gi, ">"],
  [/＜|&lt;/gi, "<"],
  [/＝/g, "="],
  [/［/g, "["],
  [/］/g, "]"],
  [/：/g, ":"],
  [/[Ａａ]/g, "A"],
  [/[Ｂｂ]/g, "B"],
  [/[Ｃｃ]/g, "C"],
  [/／/g, "/"],
  // Markdown-escaped symbols (`\>`, `\[`) appear when a judge's output went through a renderer.
  [/\\([[\]<>=*])/g, "$1"],
];

/** Folds look-alike characters to ASCII and upper-cases, so patterns stay simple. */
function normalise(text: string): string {
  let out = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  for (const [re, sub] of FOLDS) out = out.replace(re, sub);
  return out.toUpperCase();
}

const OP = "(>>|>|==|=|<<|<)";
const BRACKET_LABEL = new RegExp(`\\[\\[\\s*\\**\\s*([AB])\\s*${OP}\\s*([AB])\\s*\\**\\s*\\]\\]`, "g");
const MT_BENCH_LABEL = /\[\[\s*\**\s*(A|B|C|TIE)\s*\**\s*\]\]/g;
const VERDICT_LINE = new RegExp(`VERDICT\\b[^\\n]{0,200}?(?<![A-Z0-9])([AB])\\s*${OP}\\s*([AB])(?![A-Z0-9])`, "g");

/** `left op right` -> label; null for nonsense such as `A>A`. */
function labelFromParts(left: string, op: string, right: string): PairwiseLabel | null {
  if (left === right || (left !== "A" && left !== "B") || (right !== "A" && right !== "B")) return null;
  if (op === "=" || op === "==") return "A=B";
  const strong = op === ">>" || op === "<<";
  const winner = op.startsWith(">") ? left : right;
  if (winner === "A") return strong ? "A>>B" : "A>B";
  return strong ? "B>>A" : "B>A";
}

function lastComparison(text: string, re: RegExp): PairwiseLabel | null {
  let last: PairwiseLabel | null = null;
  for (const m of text.matchAll(re)) {
    const label = labelFromParts(m[1] ?? "", m[2] ?? "", m[3] ?? "");
    if (label) last = label;
  }
  return last;
}

function lastMtBench(text: string): PairwiseLabel | null {
  let last: PairwiseLabel | null = null;
  for (const m of text.matchAll(MT_BENCH_LABEL)) {
    const tag = m[1];
    last = tag === "A" ? "A>B" : tag === "B" ? "B>A" : "A=B";
  }
  return last;
}

/** The judge's pairwise verdict (relative to the positions it was shown), or null if none is found. */
export function parsePairwiseVerdict(text: string): PairwiseLabel | null {
  if (typeof text !== "string") return null;
  const t = normalise(text);
  return lastComparison(t, BRACKET_LABEL) ?? lastMtBench(t) ?? lastComparison(t, VERDICT_LINE);
}

/** Normalises one label string such as "A >> B", "[[b>a]]" or "A≫B"; null when it is not a label. */
export function normaliseLabel(value: unknown): PairwiseLabel | null {
  if (typeof value !== "string") return null;
  const compact = normalise(value).replace(/[\s*[\]]/g, "");
  const m = /^([AB])(>>|>|==|=|<<|<)([AB])$/.exec(compact);
  return m ? labelFromParts(m[1] ?? "", m[2] ?? "", m[3] ?? "") : null;
}

const NUM = "(\\d+(?:\\.\\d+)?)";
const BRACKET_RATING = new RegExp(`\\[\\[\\s*\\**\\s*${NUM}\\s*(?:/\\s*10(?:\\.0+)?)?\\s*\\**\\s*\\]\\]`, "g");
const RATING_LINE = new RegExp(`(?:RATING|SCORE)\\s*\\**\\s*[:=]?\\s*\\**\\s*${NUM}(?:\\s*/\\s*10(?!\\d))?`, "g");

function lastNumber(text: string, re: RegExp): number | null {
  let last: number | null = null;
  for (const m of text.matchAll(re)) last = Number(m[1]);
  return last;
}

/**
 * A 1-10 rating: `[[8]]`, `[[8.5]]`, `Rating: [[7]]`, `[[7/10]]` first; otherwise `Rating: 7/10`,
 * `Score: 7`. The last match of the first matching tier is taken; outside [1, 10] it is null.
 */
export function parseRating(text: string): number | null {
  if (typeof text !== "string") return null;
  const t = normalise(text);
  const value = lastNumber(t, BRACKET_RATING) ?? lastNumber(t, RATING_LINE);
  if (value === null || !Number.isFinite(value)) return null;
  return value >= MIN_RATING && value <= MAX_RATING ? value : null;
}

export interface JsonVerdict {
  /** The judge's reasoning; "" when the object has none (the verdict is what counts). */
  reasoning: string;
  verdict: PairwiseLabel;
}

/** Fenced blocks tried, from the last; a real answer has one or two. */
const MAX_FENCES = 8;

/** Texts worth trying as JSON, most likely first: the whole text, fenced blocks (last first), the outer braces. */
export function jsonCandidates(text: string): string[] {
  const out = [text.trim()];
  const fences = [...text.matchAll(/```[a-zA-Z]*[ \t]*\r?\n?([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim());
  out.push(...fences.reverse().slice(0, MAX_FENCES));
  const open = text.indexOf("{");
  const close = text.lastIndexOf("}");
  if (open >= 0 && close > open) out.push(text.slice(open, close + 1));
  // Only objects can hold a verdict; skipping the rest avoids costly JSON.parse exceptions.
  return out.filter((c) => c.startsWith("{") && c.endsWith("}"));
}

export function tryParse(candidate: string): unknown {
  try {
    return JSON.parse(candidate);
  } catch {
    return undefined;
  }
}

/**
 * The structured-output verdict `{ reasoning, verdict }`, tolerating ```json fences and prose around
 * the object; the verdict may use any form `normaliseLabel` accepts. Null when no candidate parses
 * to an object with a valid verdict. Callers may fall back to `parsePairwiseVerdict` on the text.
 */
export function parseJsonVerdict(text: string): JsonVerdict | null {
  if (typeof text !== "string") return null;
  for (const candidate of jsonCandidates(text)) {
    const value = tryParse(candidate);
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    const verdict = normaliseLabel(record["verdict"]);
    if (!verdict) continue;
    const reasoning = typeof record["reasoning"] === "string" ? record["reasoning"] : "";
    return { reasoning, verdict };
  }
  return null;
}
