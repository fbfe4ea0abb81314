/**
 * Non-cryptographic hashes for every folder: FNV-1a (32-bit), the MurmurHash3 finaliser and block
 * step, the string -> seed hashes built on them, and cyrb53 (53-bit) for compact dedup keys. Own code,
 * not a package: each is a few lines of `Math.imul` and shifts on hot paths (MinHash shingles, row
 * dedup, every simulator request), and stored seeds, plans and pinned test values depend on the exact
 * bits, which must not change with a dependency or between database drivers. Pure; imports nothing.
 */

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/**
 * FNV-1a over UTF-16 code units, no finaliser. `seed` is XORed into the offset basis (0 gives the
 * published FNV-1a: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968).
 */
export function fnv1a32(text: string, seed = 0): number {
  let h = FNV32_OFFSET ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV32_PRIME);
  }
  return h >>> 0;
}

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

/** FNV-1a (seeded as `fnv1a32`) finalised with fmix32, so nearby strings spread over all 32 bits. */
export function hashString32(text: string, seed = 0): number {
  return fmix32(fnv1a32(text, seed));
}

/** A stable 32-bit seed from parts: plain FNV-1a of the parts joined by U+0001 (the generator's task seeds). */
export function fnv1a32Parts(...parts: (string | number)[]): number {
  return fnv1a32(parts.map(String).join("\u0001"));
}

/**
 * A 32-bit seed from parts: hashString32 chained over the parts, each seeded by the previous hash (the
 * simulator's per-request seeds). The chaining keeps ("ab","c") distinct from ("a","bc").
 */
export function hashString32Parts(parts: readonly string[], seed = 0): number {
  let h = fmix32(seed >>> 0);
  for (const part of parts) h = hashString32(part, h ^ 0x9e3779b9);
  return h;
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

/**
 * cyrb53 (bryc, public domain): a fast 53-bit string hash, so a Set of a million keys costs numbers,
 * not strings. Reference values from the author's README: cyrb53("a") = 7929297801672961,
 * cyrb53("revenge") = 4051478007546757.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
