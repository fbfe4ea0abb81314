/**
 * Length and quality filters for instructions. Each rejection names its reason (`too_short`, `too_long`,
 * `low_quality`) and a detail saying which check fired. Thresholds were set so that none of the 1,892
 * real prompts in shared/data (MT-Bench, Arena-Hard, AlpacaEval, Self-Instruct) is rejected apart from
 * two-word prompts under the default minimum length; they are options, not constants, for other corpora.
 */
import { type PreparedText, prepareText } from "./normalize.js";

export type FilterReason = "too_short" | "too_long" | "low_quality";

export interface FilterResult {
  reason: FilterReason;
  detail: string;
}

export interface FilterOptions {
  minWords?: number;
  maxWords?: number;
  /** Distinct/total word ratio over the first `distinctWindow` (at most 256) words below which text is degenerate. */
  minDistinctRatio?: number;
  distinctWindow?: number;
  /** Letters as a share of non-space characters below which text is mostly symbols or digits. */
  minLetterRatio?: number;
  /** Share of repeated lines (among lines of 10+ characters, when there are 3+) at or above which text is flagged. */
  maxRepeatedLineRatio?: number;
  /** Patterns tested against the normalised text (lowercase, no apostrophes, punctuation as spaces). */
  refusalPatterns?: readonly RegExp[];
}

export const FILTER_DEFAULTS = {
  minWords: 3,
  maxWords: 4000,
  minDistinctRatio: 0.2,
  distinctWindow: 200,
  minLetterRatio: 0.2,
  maxRepeatedLineRatio: 0.5,
} as const;

/** Assistant boilerplate that marks a generated "instruction" as a refusal or a model talking about itself. */
export const REFUSAL_PATTERNS: readonly RegExp[] = [
  /\bas an ai (language )?model\b/,
  /\bas a (large )?language model\b/,
  /\bi(m| am) (sorry|afraid),? but i (cannot|cant|can not|am unable|m unable|wont)\b/,
  /\bi (cannot|cant|can not|am unable to|m unable to) (fulfill|comply with|assist with|help with) (this|that|your) request\b/,
];

const MIN_LINE_CHARS = 10;

/** `too_short` / `too_long` by word count of the normalised text, or null. */
export function checkLength(wordCount: number, opts: FilterOptions = {}): FilterResult | null {
  const min = opts.minWords ?? FILTER_DEFAULTS.minWords;
  const max = opts.maxWords ?? FILTER_DEFAULTS.maxWords;
  if (wordCount < min) return { reason: "too_short", detail: `${wordCount} words < ${min}` };
  if (wordCount > max) return { reason: "too_long", detail: `${wordCount} words > ${max}` };
  return null;
}

// Scratch open-addressing set for distinctRatio, reused across calls: a generation stamp marks the
// live slots, so nothing is cleared or allocated per text. 512 slots for at most 256 words.
const TABLE_BITS = 9;
const MAX_WINDOW = 1 << (TABLE_BITS - 1);
const tableKeys = new Int32Array(1 << TABLE_BITS);
const tableMarks = new Uint32Array(1 << TABLE_BITS);
let tableGeneration = 0;

/** Distinct share of the first `window` (at most 256) words, counted on their 32-bit hashes. */
function distinctRatio(wordHashes: Uint32Array, window: number): number {
  const n = Math.min(wordHashes.length, window, MAX_WINDOW);
  if (n === 0) return 1;
  tableGeneration = (tableGeneration + 1) >>> 0 || 1;
  const mask = (1 << TABLE_BITS) - 1;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const key = (wordHashes[i] ?? 0) | 0;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - TABLE_BITS);
    while (tableMarks[slot] === tableGeneration && tableKeys[slot] !== key) slot = (slot + 1) & mask;
    if (tableMarks[slot] !== tableGeneration) {
      tableMarks[slot] = tableGeneration;
      tableKeys[slot] = key;
      distinct++;
    }
  }
  return distinct / n;
}

const LETTER = /\p{L}/u;
const SPACE = /\s/u;

/** Letters over non-space characters; an ASCII fast path avoids a regex test per character. */
function letterRatio(text: string): number {
  let letters = 0;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c === 32 || (c >= 9 && c <= 13)) continue;
      chars++;
      const lower = c | 32;
      if (lower >= 97 && lower <= 122) letters++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    if (cp > 0xffff) i++; // the low surrogate belongs to this character
    const ch = String.fromCodePoint(cp);
    if (SPACE.test(ch)) continue;
    chars++;
    if (LETTER.test(ch)) letters++;
  }
  return chars === 0 ? 0 : letters / chars;
}

function repeatedLineRatio(text: string): number {
  if (!text.includes("\n")) return 0;
  const lines = text
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l.length >= MIN_LINE_CHARS);
  if (lines.length < 3) return 0;
  return (lines.length - new Set(lines).size) / lines.length;
}

const prepared = (input: string | PreparedText): PreparedText => (typeof input === "string" ? prepareText(input) : input);

/** The first failing quality check as `low_quality` with a detail naming it, or null. */
export function checkQuality(input: string | PreparedText, opts: FilterOptions = {}): FilterResult | null {
  const { text, normalized, words, wordHashes } = prepared(input);
  const distinct = distinctRatio(wordHashes, opts.distinctWindow ?? FILTER_DEFAULTS.distinctWindow);
  if (words.length >= 5 && distinct < (opts.minDistinctRatio ?? FILTER_DEFAULTS.minDistinctRatio)) {
    return { reason: "low_quality", detail: `few_distinct_words: ratio ${distinct.toFixed(2)}` };
  }
  const letters = letterRatio(text);
  if (letters < (opts.minLetterRatio ?? FILTER_DEFAULTS.minLetterRatio)) {
    return { reason: "low_quality", detail: `mostly_non_letters: letter ratio ${letters.toFixed(2)}` };
  }
  const repeated = repeatedLineRatio(text);
  if (repeated >= (opts.maxRepeatedLineRatio ?? FILTER_DEFAULTS.maxRepeatedLineRatio)) {
    return { reason: "low_quality", detail: `repeated_lines: ratio ${repeated.toFixed(2)}` };
  }
  const refusal = (opts.refusalPatterns ?? REFUSAL_PATTERNS).find((p) => p.test(normalized));
  if (refusal) return { reason: "low_quality", detail: `refusal_boilerplate: ${refusal.source}` };
  return null;
}

/** Length first (cheap), then quality. Word counts are of the normalised text. */
export function applyFilters(input: string | PreparedText, opts: FilterOptions = {}): FilterResult | null {
  const p = prepared(input);
  return checkLength(p.words.length, opts) ?? checkQuality(p, opts);
}
