/**
 * 32-bit hashing primitives for MinHash: string hashing (FNV-1a), an order-sensitive combiner for word
 * hashes (MurmurHash3's block step), the MurmurHash3 finaliser, and a seeded PRNG (mulberry32) for
 * drawing permutation seeds. All arithmetic is `Math.imul` and shifts, so results are exact 32-bit values.
 */

/** MurmurHash3 fmix32: a bijection on 32-bit values with full avalanche (distinct inputs, distinct outputs). */
export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised with fmix32 so nearby strings spread over all 32 bits. */
export function hashString32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** hashString32 of each word. */
export function hashWords(words: readonly string[]): Uint32Array {
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = hashString32(words[i] ?? "");
  return out;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3_x86_32 over `count` consecutive 32-bit words of `words` starting at `start`: hashes a
 * word n-gram from its word hashes, order-sensitively, without building the n-gram string.
 */
export function hashWordRun(words: Uint32Array, start: number, count: number): number {
  let h = 0x9747b28c;
  for (let i = start; i < start + count; i++) {
    let k = Math.imul(words[i] ?? 0, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (count * 4));
}

/** mulberry32, the project's one seeded PRNG (battles/pairing.ts). */
export { seededRandom as mulberry32 } from "../../../battles/pairing.js";
