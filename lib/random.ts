/**
 * Seeded pseudo-random numbers for every folder: the one `Rng` shape, the two generators in use, and
 * the draws built on them. Own code, not a package: each generator is a few lines on the hot path
 * (the bootstrap draws millions of numbers), and tests pin seeded outputs, so the bits must not move
 * with a dependency's version. Pure: imports only lib/hash.ts.
 * - mulberry32: plans, shards, generation pipelines and the simulator (cheap to seed per request);
 * - xoshiro128** seeded through splitmix32: the rating code (bootstrap, Elo orders), where nearby
 *   seeds must give unrelated streams.
 */
import { fmix32 } from "./hash.js";

/** A uniform generator on [0, 1). */
export type Rng = () => number;

const TWO_POW_32 = 4294967296;

/** mulberry32 (Tommy Ettinger): a 32-bit-state generator; floats in [0, 1) with 32 random bits. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/** xoshiro128** seeded from a 32-bit integer seed through splitmix32; floats in [0, 1) with 32 random bits. */
export function xoshiroRng(seed: number): Rng {
  let sm = seed | 0;
  const state: number[] = [];
  for (let k = 0; k < 4; k++) {
    // splitmix32: a Weyl step, output through the MurmurHash3 finaliser.
    sm = (sm + 0x9e3779b9) | 0;
    state.push(fmix32(sm));
  }
  // An all-zero state would stick at zero; splitmix32 cannot give four zeros, but be explicit.
  if (!state.some((x) => x !== 0)) state[0] = 1;
  const nextU32 = xoshiro128ss(state);
  return () => nextU32() / TWO_POW_32;
}

/** The raw xoshiro128** generator (Blackman & Vigna) on an explicit 4-word state: returns uint32 outputs. */
export function xoshiro128ss(state: readonly number[]): () => number {
  // Plain closure variables (not a typed array): the bootstrap draws millions of numbers.
  let s0 = (state[0] ?? 0) >>> 0;
  let s1 = (state[1] ?? 0) >>> 0;
  let s2 = (state[2] ?? 0) >>> 0;
  let s3 = (state[3] ?? 0) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Uniform integer in [lo, hi] (both inclusive). */
export function randomIntBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Standard normal variate (Box-Muller; consumes two uniforms, the second variate of the pair is discarded). */
export function randomNormal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1], keeps log finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Uniform pick from a list; `fallback` when the list is empty. */
export function pick<T>(rng: Rng, items: readonly T[], fallback: T): T {
  return items[Math.floor(rng() * items.length)] ?? fallback;
}

/** Fisher-Yates shuffle into a new array (the input is not modified). */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
