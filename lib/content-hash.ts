/**
 * The content hash of an instruction or seed text: sha256 of its word form (lib/text.ts `foldToWordText`),
 * so texts equal up to case, spacing and punctuation collide. It keys the pool's exact-duplicate check
 * (instructions.content_hash), seed sets and the cleaner's exact-duplicate pass, so services and the
 * generator share it from the pure floor. node:crypto's one-shot sha256 is the only dependency.
 */
import { hash } from "node:crypto";
import { foldToWordText } from "./text.js";

/** sha256 hex of the normalised text: equal hashes mean exact duplicates up to case, spacing and punctuation. */
export function contentHash(text: string): string {
  return hashNormalized(foldToWordText(text));
}

/** sha256 hex of text that is already normalised (saves normalising twice). */
export function hashNormalized(normalized: string): string {
  // One-shot crypto.hash (Node >= 20.12) avoids a Hash object per text.
  return hash("sha256", normalized, "hex");
}
