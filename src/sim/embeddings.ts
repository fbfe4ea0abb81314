/**
 * Deterministic embeddings: a signed hashed bag of words (the "hashing trick"). Each word adds +/-1 to
 * one of `dims` buckets chosen by its hash; the vector is L2-normalised. Texts that share words get a
 * high cosine similarity, unrelated texts one near zero; no model, no randomness.
 */
import { STOPWORDS, words } from "./text.js";
import { hashString32 } from "../../lib/hash.js";

/** Stopwords get a small weight so that "the cat" and "a cat" stay close but not identical. */
const STOPWORD_WEIGHT = 0.2;

export function embedText(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (const w of words(text)) {
    const h = hashString32(w, 0x5eed);
    const sign = h & 1 ? 1 : -1;
    const i = (h >>> 1) % dims;
    v[i] = (v[i] ?? 0) + sign * (STOPWORDS.has(w) ? STOPWORD_WEIGHT : 1);
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += (v[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

/** The OpenAI `encoding_format: "base64"` rendering: little-endian float32 bytes, base64. */
export function toBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
}
