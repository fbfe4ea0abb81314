/**
 * Text normalisation for duplicate matching. The normalised form is used only to compare texts (hashes,
 * shingles, n-gram overlap); stored instructions keep their original text. The content hash of a
 * normalised text is services/content-hash.ts.
 */
import { hashWords } from "./hash32.js";

/**
 * Dropped outright: format characters (zero-width space/joiner, BOM, soft hyphen) that make equal texts
 * look different, and apostrophes, so "don't" and "dont" match.
 */
const DROPPED = /[\p{Cf}'\u2019\u02bc`]/gu;
/** Every other punctuation mark or symbol splits words, like whitespace. */
const SEPARATORS = /[\p{P}\p{S}\s]+/gu;

/**
 * Normalise text for matching: Unicode NFKC (full-width letters, ligatures and compatibility forms fold
 * to their plain equivalents), lowercase, drop format characters and apostrophes, turn each run of
 * punctuation, symbols and whitespace into one space, and trim.
 */
export function normalizeText(text: string): string {
  const words = asciiWords(text);
  return words ? words.join(" ") : generalNormalize(text);
}

/** The words of the normalised text (empty array for text with no letters, digits or marks). */
export function normalizedWords(text: string): string[] {
  const words = asciiWords(text);
  if (words) return words;
  const norm = generalNormalize(text);
  return norm === "" ? [] : norm.split(" ");
}

function generalNormalize(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(DROPPED, "").replace(SEPARATORS, " ").trim();
}

/**
 * Fast path, same result as the general one for plain ASCII text (NFKC leaves ASCII unchanged and every
 * ASCII character other than letters, digits and controls is punctuation, a symbol or a space): one
 * scan, no regular expressions. Apostrophes and backticks are dropped, joining the letters around them.
 * Returns null, deferring to the general path, on any non-ASCII or control character.
 */
function asciiWords(text: string): string[] | null {
  const lower = text.toLowerCase();
  const words: string[] = [];
  let start = -1;
  // The part of the current word before a dropped apostrophe ("don" of "don't").
  let pending = "";
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (c >= 127 || (c < 32 && (c < 9 || c > 13))) return null;
    if (start >= 0) pending += lower.slice(start, i);
    start = -1;
    if (c === 39 || c === 96) continue;
    if (pending !== "") words.push(pending);
    pending = "";
  }
  if (start >= 0) pending += lower.slice(start);
  if (pending !== "") words.push(pending);
  return words;
}

/** A text with its normalised form, words and 32-bit word hashes, computed once for every check. */
export interface PreparedText {
  text: string;
  normalized: string;
  words: readonly string[];
  /** hashString32 of each word: shingles and n-grams are hashed from these. */
  wordHashes: Uint32Array;
}

export function prepareText(text: string): PreparedText {
  const words = normalizedWords(text);
  return { text, normalized: words.join(" "), words, wordHashes: hashWords(words) };
}
