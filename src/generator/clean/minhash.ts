/**
 * MinHash signatures over word n-gram shingles (default 5-grams, 128 permutations).
 *
 * Shingles: the normalised text's words are hashed to 32 bits, and each run of `ngram` consecutive word
 * hashes is combined (MurmurHash3) into one 32-bit shingle hash. A text with fewer than `ngram` words
 * (but at least one) becomes a single shingle made of all its words, so short texts still match only
 * their exact normalised equal. A text with no words has no shingles.
 *
 * Permutations: permutation i maps a shingle hash x to (a_i * x + b_i) mod 2^32, the classic seeded
 * universal multiply-add family, with a_i odd so that each map is a bijection on 32-bit values: within
 * one permutation distinct shingle hashes never tie. Low bits of a_i * x depend only on low bits of x,
 * but minima are decided by the high bits, which depend on all of x, and x is already a MurmurHash3
 * output; the tests check that the estimate's bias and variance match J(1-J)/k. The only collisions are
 * between distinct shingles whose 32-bit hashes coincide (probability about 2^-32 per pair: ~5e-7 for two
 * 50-shingle texts). A collision can only merge two shingles, so it raises a Jaccard value slightly and
 * never hides a true duplicate.
 */
import { hashWordRun, hashWords } from "../../../lib/hash.js";
import { mulberry32 } from "../../../lib/random.js";
import { foldToWords } from "../../../lib/text.js";

export const DEFAULT_NUM_PERM = 128;
export const DEFAULT_NGRAM = 5;
/** Fixed default so signatures stored in one run stay comparable with those computed in the next. */
export const DEFAULT_MINHASH_SEED = 0x6d617478;

export interface MinHashOptions {
  numPerm?: number;
  ngram?: number;
  seed?: number;
}

export interface MinHasher {
  readonly numPerm: number;
  readonly ngram: number;
  readonly seed: number;
  /** Sorted, de-duplicated shingle hashes of a text (normalised first). */
  shingles(text: string): Uint32Array;
  /** The signature (length numPerm) of a sorted or unsorted shingle-hash set. */
  signature(shingles: Uint32Array): Uint32Array;
}

/** Permutation i maps a shingle hash x to (a[i] * x + b[i]) mod 2^32; every a[i] is odd. */
export interface Permutations {
  readonly a: Int32Array;
  readonly b: Int32Array;
}

/** `numPerm` multiply-add permutations with parameters drawn from mulberry32(seed). */
export function permutations(numPerm: number, seed: number): Permutations {
  const rng = mulberry32(seed);
  const a = new Int32Array(numPerm);
  const b = new Int32Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    a[i] = Math.floor(rng() * 4294967296) | 1;
    b[i] = Math.floor(rng() * 4294967296) | 0;
  }
  return { a, b };
}

/**
 * Sorted unique 32-bit hashes of the word n-grams of `words`. Fewer than `n` words (but at least one):
 * one shingle of all the words. No words: an empty array.
 */
export function shingleHashes(words: readonly string[], n: number): Uint32Array {
  return shingleHashesOf(hashWords(words), n);
}

/** `shingleHashes` from the words' 32-bit hashes (as in `PreparedText.wordHashes`). */
export function shingleHashesOf(wordHashes: Uint32Array, n: number): Uint32Array {
  if (wordHashes.length === 0) return new Uint32Array(0);
  const width = Math.min(n, wordHashes.length);
  const out = new Uint32Array(wordHashes.length - width + 1);
  for (let i = 0; i < out.length; i++) out[i] = hashWordRun(wordHashes, i, width);
  return sortedUnique(out);
}

function sortedUnique(values: Uint32Array): Uint32Array {
  values.sort();
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (i === 0 || v !== values[w - 1]) values[w++] = v;
  }
  return values.subarray(0, w);
}

/** Flipping the sign bit maps unsigned order onto signed order, so the hot loop stays in int32. */
const SIGN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * MinHash signature: for each permutation i, the minimum over the shingles x of (a_i * x + b_i) mod 2^32
 * (0xffffffff everywhere for an empty set). Four permutations share each pass over the shingles.
 */
export function minhashSignature(shingles: Uint32Array, perms: Permutations): Uint32Array {
  const xs = new Int32Array(shingles.buffer, shingles.byteOffset, shingles.length);
  const { a, b } = perms;
  const k = a.length;
  const sig = new Int32Array(k);
  let p = 0;
  for (; p + 4 <= k; p += 4) minOfFour(xs, a, b, p, sig);
  for (; p < k; p++) {
    const ap = a[p] ?? 1;
    const bp = b[p] ?? 0;
    let min = INT32_MAX;
    for (let j = 0; j < xs.length; j++) min = Math.min(min, (Math.imul(xs[j] ?? 0, ap) + bp) ^ SIGN);
    sig[p] = min;
  }
  for (let i = 0; i < k; i++) sig[i] = (sig[i] ?? 0) ^ SIGN;
  return new Uint32Array(sig.buffer);
}

/** Sign-flipped minima of permutations p..p+3 into out[p..p+3] (four independent chains for the CPU). */
function minOfFour(xs: Int32Array, a: Int32Array, b: Int32Array, p: number, out: Int32Array): void {
  const a0 = a[p] ?? 1, a1 = a[p + 1] ?? 1, a2 = a[p + 2] ?? 1, a3 = a[p + 3] ?? 1;
  const b0 = (b[p] ?? 0) ^ SIGN, b1 = (b[p + 1] ?? 0) ^ SIGN, b2 = (b[p + 2] ?? 0) ^ SIGN, b3 = (b[p + 3] ?? 0) ^ SIGN;
  let m0 = INT32_MAX, m1 = INT32_MAX, m2 = INT32_MAX, m3 = INT32_MAX;
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j] ?? 0;
    // (a*x + b) ^ SIGN == a*x + (b ^ SIGN) modulo 2^32, so the flip is folded into the offset.
    const h0 = (Math.imul(x, a0) + b0) | 0;
    const h1 = (Math.imul(x, a1) + b1) | 0;
    const h2 = (Math.imul(x, a2) + b2) | 0;
    const h3 = (Math.imul(x, a3) + b3) | 0;
    if (h0 < m0) m0 = h0;
    if (h1 < m1) m1 = h1;
    if (h2 < m2) m2 = h2;
    if (h3 < m3) m3 = h3;
  }
  out[p] = m0;
  out[p + 1] = m1;
  out[p + 2] = m2;
  out[p + 3] = m3;
}

/** A MinHasher with fixed permutations; texts hashed by the same options give comparable signatures. */
export function createMinHasher(opts: MinHashOptions = {}): MinHasher {
  const numPerm = opts.numPerm ?? DEFAULT_NUM_PERM;
  const ngram = opts.ngram ?? DEFAULT_NGRAM;
  const seed = opts.seed ?? DEFAULT_MINHASH_SEED;
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError(`numPerm must be a positive integer, got ${numPerm}`);
  if (!Number.isInteger(ngram) || ngram < 1) throw new RangeError(`ngram must be a positive integer, got ${ngram}`);
  const perms = permutations(numPerm, seed);
  return {
    numPerm,
    ngram,
    seed,
    shingles: (text) => shingleHashes(foldToWords(text), ngram),
    signature: (shingles) => minhashSignature(shingles, perms),
  };
}

/** Estimated Jaccard similarity: the share of permutations whose minima agree (standard error sqrt(J(1-J)/k)). */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signature lengths differ: ${a.length} vs ${b.length}`);
  if (a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/** Exact Jaccard of two sorted unique hash sets (as from `shingleHashes`); two empty sets count as identical. */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}
