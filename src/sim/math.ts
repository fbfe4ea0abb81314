/**
 * Small numeric helpers for the simulator's models and judges (logistic link, clamping). Its hashing
 * and seeded draws live in lib/hash.ts and lib/random.ts: every "random" choice the simulator makes about
 * text derives from a hash of (seed, model, request), so the same request gives the same answer whatever
 * the order or concurrency of requests; only fault and latency draws use a sequential seeded stream.
 */

/** Logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
