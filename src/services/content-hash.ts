/**
 * The content hash of an instruction or seed text: sha256 of its normalised form, so texts equal up to
 * case, spacing and punctuation collide. It keys the pool's exact-duplicate check (instructions.content_hash),
 * seed sets and the cleaner's exact-duplicate pass, which is why it sits here and not inside the generator.
 * Normalisation is still imported from generator/clean/normalize.ts until it moves to the pure floor (lib/).
 */
import { hash } from "node:crypto";
import { normalizeText } from "../generator/clean/normalize.js";

/** sha256 hex of the normalised text: equal hashes mean exact duplicates up to case, spacing and punctuation. */
export function contentHash(text: string): string {
  return hashNormalized(normalizeText(text));
}

/** sha256 hex of text that is already normalised (saves normalising twice). */
export function hashNormalized(normalized: string): string {
  // One-shot crypto.hash (Node >= 20.12) avoids a Hash object per text.
  return hash("sha256", normalized, "hex");
}
