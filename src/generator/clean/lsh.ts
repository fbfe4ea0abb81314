/**
 * LSH banding over MinHash signatures. A signature of b*r minima is cut into b bands of r rows; two texts
 * become candidates when any band agrees in all r rows, which happens with probability 1-(1-s^r)^b for
 * Jaccard similarity s (an S-curve). Parameters are chosen as datasketch does: minimise the weighted
 * false-positive area (under the curve below the threshold) plus false-negative area (above it).
 */
import { hashWordRun } from "../../../lib/hash.js";

export interface LshParams {
  bands: number;
  rows: number;
}

export interface LshWeights {
  falsePositive: number;
  falseNegative: number;
}

/** datasketch's default weights. */
export const DEFAULT_LSH_WEIGHTS: LshWeights = { falsePositive: 0.5, falseNegative: 0.5 };
const SIMPSON_INTERVALS = 256;

/** Probability that two texts of Jaccard similarity s share at least one band: 1-(1-s^r)^b. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

function simpson(f: (x: number) => number, a: number, b: number): number {
  if (b <= a) return 0;
  const h = (b - a) / SIMPSON_INTERVALS;
  let sum = f(a) + f(b);
  for (let i = 1; i < SIMPSON_INTERVALS; i++) sum += f(a + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

/** Area under the S-curve on [0, threshold]: how much dissimilar pairs still become candidates. */
export function falsePositiveArea(threshold: number, bands: number, rows: number): number {
  return simpson((s) => candidateProbability(s, bands, rows), 0, threshold);
}

/** Area above the S-curve on [threshold, 1]: how much similar pairs are missed. */
export function falseNegativeArea(threshold: number, bands: number, rows: number): number {
  return simpson((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
}

/**
 * Bands and rows (bands * rows <= numPerm) minimising the weighted false-positive plus false-negative
 * area for `threshold`, searched over every pair as datasketch's `_optimal_param` does.
 */
export function optimalLshParams(threshold: number, numPerm: number, weights: LshWeights = DEFAULT_LSH_WEIGHTS): LshParams {
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`threshold must be in (0, 1), got ${threshold}`);
  let best: LshParams = { bands: 1, rows: numPerm };
  let bestError = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; rows <= Math.floor(numPerm / bands); rows++) {
      const error =
        weights.falsePositive * falsePositiveArea(threshold, bands, rows) +
        weights.falseNegative * falseNegativeArea(threshold, bands, rows);
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}

export interface LshIndex {
  readonly params: LshParams;
  readonly size: number;
  /** Index a signature under the caller's integer id. Signatures must not be mutated once passed in. */
  insert(id: number, signature: Uint32Array): void;
  /** Ids of indexed signatures sharing at least one band with `signature`, each once. */
  query(signature: Uint32Array): number[];
}

/**
 * A banded index. Each band maps a 32-bit hash of its r rows to a chain of slots (`next` links slots
 * with the same key); a hash collision between different rows only adds a candidate, which the caller's
 * verification removes.
 */
class BandedIndex implements LshIndex {
  readonly params: LshParams;
  private count = 0;
  private readonly heads: Map<number, number>[];
  private ids = new Int32Array(1024);
  private next: Int32Array;
  private seen = new Uint32Array(1024);
  private stamp = 0;
  // clean() queries a signature and then inserts the same one: its band keys are computed once.
  private lastSignature: Uint32Array | null = null;
  private lastKeys: Int32Array;

  constructor(params: LshParams) {
    this.params = params;
    this.heads = Array.from({ length: params.bands }, () => new Map<number, number>());
    this.next = new Int32Array(1024 * params.bands);
    this.lastKeys = new Int32Array(params.bands);
  }

  get size(): number {
    return this.count;
  }

  insert(id: number, signature: Uint32Array): void {
    const { bands } = this.params;
    if (this.count === this.ids.length) this.grow();
    const slot = this.count++;
    this.ids[slot] = id;
    const keys = this.bandKeys(signature);
    for (let b = 0; b < bands; b++) {
      const key = keys[b] ?? 0;
      const band = this.heads[b] as Map<number, number>;
      this.next[slot * bands + b] = band.get(key) ?? -1;
      band.set(key, slot);
    }
  }

  query(signature: Uint32Array): number[] {
    const { bands } = this.params;
    const stamp = (this.stamp = (this.stamp + 1) >>> 0 || 1);
    const out: number[] = [];
    const keys = this.bandKeys(signature);
    for (let b = 0; b < bands; b++) {
      let slot = (this.heads[b] as Map<number, number>).get(keys[b] ?? 0) ?? -1;
      while (slot >= 0) {
        if (this.seen[slot] !== stamp) {
          this.seen[slot] = stamp;
          out.push(this.ids[slot] ?? -1);
        }
        slot = this.next[slot * bands + b] ?? -1;
      }
    }
    return out;
  }

  private bandKeys(signature: Uint32Array): Int32Array {
    if (signature === this.lastSignature) return this.lastKeys;
    const { bands, rows } = this.params;
    const keys = new Int32Array(bands);
    // int32 keys stay small integers in V8's Map, which hashes them faster than heap numbers.
    for (let b = 0; b < bands; b++) keys[b] = hashWordRun(signature, b * rows, rows) | 0;
    this.lastSignature = signature;
    this.lastKeys = keys;
    return keys;
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    const next = new Int32Array(cap * this.params.bands);
    next.set(this.next);
    const seen = new Uint32Array(cap);
    seen.set(this.seen);
    this.ids = ids;
    this.next = next;
    this.seen = seen;
  }
}

/** An empty banded index for signatures of length `numPerm`. */
export function createLshIndex(params: LshParams, numPerm: number): LshIndex {
  if (params.bands * params.rows > numPerm) {
    throw new RangeError(`bands*rows (${params.bands * params.rows}) exceeds numPerm (${numPerm})`);
  }
  return new BandedIndex(params);
}
