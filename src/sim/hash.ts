/**
 * Hashing and seeded randomness for the simulator. Every "random" choice the simulator makes about text
 * derives from a hash of (seed, model, request), so the same request gives the same answer whatever the
 * order or concurrency of requests; only fault and latency draws use a sequential seeded stream.
 */

/** A random generator returning floats in [0, 1). */
export type Rng = () => number;

/** 32-bit FNV-1a-style string hash mixed with `seed` (murmur3 finaliser for avalanche). */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hash several parts; separators keep ("ab","c") distinct from ("a","bc"). */
export function hashParts(parts: readonly string[], seed = 0): number {
  let h = fmix32(seed >>> 0);
  for (const part of parts) {
    h = hashString(part, h ^ 0x9e3779b9);
  }
  return h;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32, the project's one seeded PRNG (battles/pairing.ts). */
export { seededRandom as mulberry32 } from "../../battles/pairing.js";

/** Standard normal draw (Box-Muller); consumes two uniforms. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log stays finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Uniform integer in [lo, hi] (inclusive). */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Uniform pick from a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[], fallback: T): T {
  return items[Math.floor(rng() * items.length)] ?? fallback;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
