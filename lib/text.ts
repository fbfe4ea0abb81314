/**
 * Text normalisers used as comparison keys (the stored text is never changed). Two on purpose, with
 * different strength:
 * - `foldCaseAndSpace` keeps punctuation: training-row dedup keys (src/exports/select-key.ts);
 * - `foldToWords` / `foldToWordText` keep only words: instruction content hashes, MinHash shingles,
 *   benchmark decontamination and held-out matching in exports.
 * Own code, not a package: the keys are hashed and stored (content hashes, held-out sets), so the exact
 * output must stay stable across versions, and the word form runs on every instruction (an ASCII fast
 * path). Pure; imports nothing.
 */

/** NFKC, lower-case, each run of whitespace to one space, trimmed; punctuation and symbols are kept. */
export function foldCaseAndSpace(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * Dropped outright: format characters (zero-width space/joiner, BOM, soft hyphen) that make equal texts
 * look different, and apostrophes, so "don't" and "dont" match.
 */
const DROPPED = /[\p{Cf}'\u2019\u02bc`]/gu;
/** Every other punctuation mark or symbol splits words, like whitespace. */
const SEPARATORS = /[\p{P}\p{S}\s]+/gu;

/**
 * The words of a text: Unicode NFKC (full-width letters, ligatures and compatibility forms fold to their
 * plain equivalents), lower-case, drop format characters and apostrophes, and split on each run of
 * punctuation, symbols and whitespace. Empty array for text with no letters, digits or marks.
 */
export function foldToWords(text: string): string[] {
  const words = asciiWords(text);
  if (words) return words;
  const norm = generalFold(text);
  return norm === "" ? [] : norm.split(" ");
}

/** `foldToWords` joined by single spaces: the key for exact matching up to case, spacing and punctuation. */
export function foldToWordText(text: string): string {
  const words = asciiWords(text);
  return words ? words.join(" ") : generalFold(text);
}

function generalFold(text: string): string {
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
