/**
 * Answer quality as a judge or reward model sees it: the share of the question's key points that the
 * answer's text mentions (content words as whole words, arithmetic results as number tokens). It reads
 * text only; nothing here knows which model wrote the answer.
 */
import { findArithmetic, keyPointWords } from "./instruction.js";
import { tokenSet, wordCount } from "./text.js";

/** Coverage assumed when a question has no key points at all (e.g. "Hi!"). */
export const NEUTRAL_COVERAGE = 0.5;

export interface Quality {
  covered: number;
  total: number;
  /** covered / total in [0, 1], or NEUTRAL_COVERAGE when total is 0. */
  coverage: number;
  /** Arithmetic results stated correctly / arithmetic expressions in the question. */
  arithmeticRight: number;
  arithmeticTotal: number;
  /** Whitespace-separated words of the answer (the length judges are biased by). */
  words: number;
}

const CACHE_LIMIT = 5000;
const pointsCache = new Map<string, QuestionPoints>();

export interface QuestionPoints {
  words: string[];
  numbers: string[];
}

/** Key points of `question` (content words plus arithmetic results), seed-free and cached. */
export function questionPoints(question: string): QuestionPoints {
  const hit = pointsCache.get(question);
  if (hit) return hit;
  const points = { words: keyPointWords(question), numbers: findArithmetic(question).map((a) => a.point) };
  // Judges see each question many times (every pair, both orders); the cache is a pure memo.
  if (pointsCache.size >= CACHE_LIMIT) pointsCache.clear();
  pointsCache.set(question, points);
  return points;
}

/** How well `answer` covers the key points of `question`. */
export function assessAnswer(question: string, answer: string): Quality {
  const points = questionPoints(question);
  const tokens = tokenSet(answer);
  let covered = 0;
  for (const w of points.words) if (tokens.has(w)) covered++;
  let right = 0;
  for (const n of points.numbers) if (tokens.has(n)) right++;
  const total = points.words.length + points.numbers.length;
  return {
    covered: covered + right,
    total,
    coverage: total === 0 ? NEUTRAL_COVERAGE : (covered + right) / total,
    arithmeticRight: right,
    arithmeticTotal: points.numbers.length,
    words: wordCount(answer),
  };
}
