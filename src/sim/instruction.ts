/**
 * Reading an instruction: its category (preset keywords, fallback category) and its "key points", the
 * things a good answer must mention. Key points are derived from the text alone, so answer models and
 * judges (even on another simulator instance) agree on them:
 * - up to MAX_WORD_POINTS distinct content words (> 3 letters, not stopwords, not template vocabulary),
 *   chosen by a seed-free hash and listed in order of appearance;
 * - the result of each simple arithmetic expression such as `12 * 7` (up to MAX_ARITHMETIC).
 */
import { STOPWORDS, words } from "./text.js";
import { templateVocabulary } from "./templates.js";
import { hashString32 } from "../../lib/hash.js";

export const MAX_WORD_POINTS = 8;
export const MAX_ARITHMETIC = 3;
const MIN_POINT_LENGTH = 4;
const CACHE_LIMIT = 5000;

const EXCLUDED: ReadonlySet<string> = new Set([...STOPWORDS, ...templateVocabulary()]);

// `*`, `×`, `+` and `÷` may touch their operands; `-`, `/` and `x` need spaces (dates, paths, hex).
const ARITH_RE = /(\d+(?:\.\d+)?)(?:\s*([*×+÷])\s*|\s+([-/x])\s+)(\d+(?:\.\d+)?)/g;

export interface Arithmetic {
  /** The expression as the answer writes it, e.g. "12 * 7". */
  expression: string;
  /** The signed result, formatted. */
  result: string;
  /** The result as a key point: unsigned, since number tokens are read without sign. */
  point: string;
}

export interface InstructionAnalysis {
  category: string;
  /** Content-word key points, in order of appearance. */
  words: string[];
  arithmetic: Arithmetic[];
  /** Distinct content words in order (key points first), used to fill structured output. */
  vocabulary: string[];
}

export interface CategoryKeywords {
  name: string;
  keywords: readonly string[];
}

/** Format a number the way answers write it: integers plainly, otherwise up to 2 decimals. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

function evaluate(a: number, op: string, b: number): number | null {
  switch (op) {
    case "*":
    case "×":
    case "x":
      return a * b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    default:
      return b === 0 ? null : a / b;
  }
}

/** The simple arithmetic expressions in `text` with their results. */
export function findArithmetic(text: string): Arithmetic[] {
  const out: Arithmetic[] = [];
  for (const m of text.matchAll(ARITH_RE)) {
    const op = m[2] ?? m[3] ?? "+";
    const r = evaluate(Number(m[1]), op, Number(m[4]));
    if (r === null || !Number.isFinite(r) || Math.abs(r) > 1e15) continue;
    out.push({ expression: `${m[1]} ${op} ${m[4]}`, result: formatNumber(r), point: formatNumber(Math.abs(r)) });
    if (out.length >= MAX_ARITHMETIC) break;
  }
  return out;
}

/** Distinct content words of `text` (or of its word tokens) in order of first appearance. */
export function contentWords(text: string | readonly string[]): string[] {
  const seen = new Set<string>();
  for (const w of typeof text === "string" ? words(text) : text) {
    if (w.length >= MIN_POINT_LENGTH && !EXCLUDED.has(w)) seen.add(w);
  }
  return [...seen];
}

/** Up to MAX_WORD_POINTS content words chosen by hash, returned in order of appearance. */
export function keyPointWords(text: string): string[] {
  return choosePoints(contentWords(text));
}

function choosePoints(all: string[]): string[] {
  if (all.length <= MAX_WORD_POINTS) return all;
  const chosen = new Set(
    all
      .map((w) => ({ w, h: hashString32(w) }))
      .sort((x, y) => x.h - y.h)
      .slice(0, MAX_WORD_POINTS)
      .map((x) => x.w),
  );
  return all.filter((w) => chosen.has(w));
}

/** Classifies instruction texts by keyword votes and caches full analyses (instructions repeat a lot). */
export class InstructionAnalyzer {
  private readonly exact = new Map<string, number>();
  private readonly prefixes = new Map<string, number>();
  private readonly cache = new Map<string, InstructionAnalysis>();

  constructor(
    private readonly categories: readonly CategoryKeywords[],
    private readonly fallback: string,
  ) {
    categories.forEach((c, i) => {
      for (const kw of c.keywords) {
        const k = kw.toLowerCase();
        // Keywords of 4+ letters also match as prefixes ("math" -> "mathematics"); the first category wins.
        if (!this.exact.has(k)) this.exact.set(k, i);
        if (k.length >= 4 && !this.prefixes.has(k)) this.prefixes.set(k, i);
      }
    });
  }

  /** The category with most keyword hits; ties go to the earlier category; none -> fallback. */
  classify(text: string | readonly string[]): string {
    const votes = new Array<number>(this.categories.length).fill(0);
    for (const w of typeof text === "string" ? words(text) : text) {
      const hit = this.exact.get(w) ?? this.prefixHit(w);
      if (hit !== undefined) votes[hit] = (votes[hit] ?? 0) + 1;
    }
    let best = -1;
    let bestVotes = 0;
    votes.forEach((v, i) => {
      if (v > bestVotes) [best, bestVotes] = [i, v];
    });
    return this.categories[best]?.name ?? this.fallback;
  }

  private prefixHit(w: string): number | undefined {
    for (let len = 4; len < w.length; len++) {
      const hit = this.prefixes.get(w.slice(0, len));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** Category, key points and vocabulary of an instruction (cached by text). */
  analyze(text: string): InstructionAnalysis {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const tokens = words(text);
    const content = contentWords(tokens);
    const points = choosePoints(content);
    const rest = content.filter((w) => !points.includes(w));
    const analysis: InstructionAnalysis = {
      category: this.classify(tokens),
      words: points,
      arithmetic: findArithmetic(text),
      vocabulary: [...points, ...rest],
    };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(text, analysis);
    return analysis;
  }
}
