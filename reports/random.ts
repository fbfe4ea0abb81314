/**
 * Seeded pseudo-random numbers for the rating code (bootstrap resampling, Elo battle orders, benchmarks).
 * Pure modules take an `Rng` argument instead of calling Math.random, so every interval is reproducible.
 * Generator: xoshiro128** (Blackman & Vigna), seeded through splitmix32 so nearby seeds give unrelated streams.
 */

/** A uniform generator on [0, 1). */
export type Rng = () => number;

const TWO_POW_32 = 4294967296;

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** xoshiro128** seeded from a 32-bit integer seed; returns floats in [0, 1) with 32 random bits. */
export function createRng(seed: number): Rng {
  let sm = seed | 0;
  const state: number[] = [];
  for (let k = 0; k < 4; k++) {
    const [next, out] = splitmix32(sm);
    sm = next;
    state.push(out);
  }
  // An all-zero state would stick at zero; splitmix32 cannot give four zeros, but be explicit.
  if (!state.some((x) => x !== 0)) state[0] = 1;
  const nextU32 = xoshiro128ss(state);
  return () => nextU32() / TWO_POW_32;
}

/** The raw xoshiro128** generator on an explicit 4-word state: returns uint32 outputs. */
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

/** Standard normal variate (Box-Muller; one of the pair is discarded for simplicity). */
export function randomNormal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1], keeps log finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
