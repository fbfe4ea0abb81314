/**
 * Prepared texts for duplicate matching: a text with its word form (lib/text.ts `foldToWords`) and word
 * hashes computed once. The normalised form is used only to compare texts; stored instructions keep their
 * original text. The pool's content hash of a text is lib/content-hash.ts.
 */
import { hashWords } from "../../../lib/hash.js";
import { foldToWords } from "../../../lib/text.js";

/** A text with its normalised form, words and 32-bit word hashes, computed once for every check. */
export interface PreparedText {
  text: string;
  normalized: string;
  words: readonly string[];
  /** hashString32 of each word: shingles and n-grams are hashed from these. */
  wordHashes: Uint32Array;
}

export function prepareText(text: string): PreparedText {
  const words = foldToWords(text);
  return { text, normalized: words.join(" "), words, wordHashes: hashWords(words) };
}

