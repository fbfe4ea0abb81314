/**
 * Prepared texts for duplicate matching: a text with its word form (lib/text.ts `foldToWords`) and word
 * hashes computed once, and the instruction pool's content hash (sha256 of the word form). The
 * normalised form is used only to compare texts; stored instructions keep their original text.
 */
import { hash } from "node:crypto";
import { hashWords } from "../../../lib/hash.js";
import { foldToWords, foldToWordText } from "../../../lib/text.js";

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

/** sha256 hex of the normalised text: equal hashes mean exact duplicates up to case, spacing and punctuation. */
export function contentHash(text: string): string {
  return hashNormalized(foldToWordText(text));
}

/** sha256 hex of text that is already normalised (saves normalising twice). */
export function hashNormalized(normalized: string): string {
  // One-shot crypto.hash (Node >= 20.12) avoids a Hash object per text.
  return hash("sha256", normalized, "hex");
}
