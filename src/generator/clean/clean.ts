/**
 * `cleanInstructions`: one pass over instructions in order, keeping the first occurrence. Each item goes
 * through length and quality filters, exact-duplicate check (sha256 of normalised text),
 * decontamination (13-gram overlap with benchmark prompts) and near-duplicate check (MinHash LSH over
 * word 5-gram shingles, verified by Jaccard >= threshold). Only kept items enter the indexes, so a
 * removed item always names a kept item (or an item of the existing pool) it collided with.
 */
import type { DecontamIndex } from "./decontaminate.js";
import { type FilterOptions, applyFilters } from "./filters.js";
import { type LshParams, type LshWeights, optimalLshParams } from "./lsh.js";
import { createMinHasher, type MinHasher, shingleHashesOf } from "./minhash.js";
import { createNearDupPool, type NearDupPool, type Verification } from "./near-dup-pool.js";
import { hashNormalized } from "../../../lib/content-hash.js";
import { prepareText } from "./normalize.js";

export type RemovalReason = "exact_duplicate" | "near_duplicate" | "contaminated" | "too_short" | "too_long" | "low_quality";

export interface Removal {
  id: string;
  reason: RemovalReason;
  collidedWith?: string | { benchmark: string; promptId: string };
  similarity?: number;
  detail?: string;
}

export interface CleanOptions extends FilterOptions {
  /** Jaccard similarity on word shingles at or above which an item is a near duplicate (default 0.7). */
  nearDupThreshold?: number;
  numPerm?: number;
  ngram?: number;
  /** MinHash permutation seed; signatures are comparable only between runs with the same seed. */
  seed?: number;
  decontam?: DecontamIndex;
  /** Explicit banding; by default chosen by `optimalLshParams` with `lshWeights`. */
  lsh?: LshParams;
  lshWeights?: LshWeights;
  /** "exact" (default) verifies candidates on shingle sets; "estimate" uses signatures only. */
  verification?: Verification;
  /** Return content hash and signature of each kept item, to store for later incremental runs. */
  returnFingerprints?: boolean;
}

/** Already-stored instructions to dedup against: full texts, or fingerprints computed with the same options. */
export interface ExistingPool {
  texts?: readonly { id: string; text: string }[];
  fingerprints?: readonly Fingerprint[];
}

/** What an incremental run needs of a stored instruction: `contentHash(text)` and its MinHash signature. */
export interface Fingerprint {
  id: string;
  contentHash?: string;
  signature: Uint32Array;
}

export interface CleanResult {
  kept: string[];
  removed: Removal[];
  fingerprints?: Fingerprint[];
}

/**
 * Candidates are verified exactly, so a false positive costs one set comparison while a false negative
 * is a missed duplicate: the banding is chosen with false negatives weighted 9:1.
 */
export const DEDUP_LSH_WEIGHTS: LshWeights = { falsePositive: 0.1, falseNegative: 0.9 };
export const DEFAULT_NEAR_DUP_THRESHOLD = 0.7;

interface Context {
  opts: CleanOptions;
  hasher: MinHasher;
  /** contentHash -> id of the first kept (or existing) item with that normalised text. */
  hashes: Map<string, string>;
  pool: NearDupPool;
}

interface Admitted {
  hash: string;
  signature: Uint32Array;
  shingles: Uint32Array;
}

// optimalLshParams scans every (bands, rows) pair; small incremental batches should not pay that each call.
const paramsCache = new Map<string, LshParams>();

function lshParamsFor(threshold: number, numPerm: number, weights: LshWeights): LshParams {
  // A threshold of 1 has no S-curve to optimise; the banding for 0.99 finds identical signatures.
  const t = Math.min(threshold, 0.99);
  const key = `${t}/${numPerm}/${weights.falsePositive}/${weights.falseNegative}`;
  const cached = paramsCache.get(key);
  if (cached) return cached;
  const params = optimalLshParams(t, numPerm, weights);
  paramsCache.set(key, params);
  return params;
}

function seedExisting(existing: ExistingPool, ctx: Context): void {
  const { hasher } = ctx;
  for (const item of existing.texts ?? []) {
    const { normalized, wordHashes } = prepareText(item.text);
    const hash = hashNormalized(normalized);
    if (!ctx.hashes.has(hash)) ctx.hashes.set(hash, item.id);
    const shingles = shingleHashesOf(wordHashes, hasher.ngram);
    ctx.pool.add(item.id, hasher.signature(shingles), shingles);
  }
  for (const fp of existing.fingerprints ?? []) {
    if (fp.signature.length !== hasher.numPerm) {
      throw new RangeError(`fingerprint ${fp.id}: signature length ${fp.signature.length} != numPerm ${hasher.numPerm}`);
    }
    if (fp.contentHash !== undefined && !ctx.hashes.has(fp.contentHash)) ctx.hashes.set(fp.contentHash, fp.id);
    ctx.pool.add(fp.id, fp.signature, null);
  }
}

/** Why `item` is removed, or what to index if it is kept. */
function screen(item: { id: string; text: string }, ctx: Context): Removal | Admitted {
  const prepared = prepareText(item.text);
  const { normalized: norm, wordHashes } = prepared;
  const filtered = applyFilters(prepared, ctx.opts);
  if (filtered) return { id: item.id, reason: filtered.reason, detail: filtered.detail };
  const hash = hashNormalized(norm);
  const first = ctx.hashes.get(hash);
  if (first !== undefined) return { id: item.id, reason: "exact_duplicate", collidedWith: first, similarity: 1 };
  const hit = ctx.opts.decontam?.findContamination(prepared);
  if (hit) {
    const { benchmark, promptId, ngram } = hit;
    return { id: item.id, reason: "contaminated", collidedWith: { benchmark, promptId }, detail: ngram };
  }
  const shingles = shingleHashesOf(wordHashes, ctx.hasher.ngram);
  const signature = ctx.hasher.signature(shingles);
  const near = ctx.pool.match(signature, shingles);
  if (near) return { id: item.id, reason: "near_duplicate", collidedWith: near.id, similarity: near.similarity };
  return { hash, signature, shingles };
}

/**
 * Clean `items` in order: the first occurrence is kept and later duplicates are removed naming it.
 * `existing` items are matched against but never reported as kept or removed. Pure and deterministic
 * for given options (the seed fixes the MinHash permutations).
 */
export function cleanInstructions(
  items: readonly { id: string; text: string }[],
  opts: CleanOptions = {},
  existing: ExistingPool = {},
): CleanResult {
  const threshold = opts.nearDupThreshold ?? DEFAULT_NEAR_DUP_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`nearDupThreshold must be in (0, 1], got ${threshold}`);
  const hasher = createMinHasher({ numPerm: opts.numPerm, ngram: opts.ngram, seed: opts.seed });
  const params = opts.lsh ?? lshParamsFor(threshold, hasher.numPerm, opts.lshWeights ?? DEDUP_LSH_WEIGHTS);
  const pool = createNearDupPool(params, hasher.numPerm, threshold, opts.verification ?? "exact");
  const ctx: Context = { opts, hasher, hashes: new Map(), pool };
  seedExisting(existing, ctx);

  const kept: string[] = [];
  const removed: Removal[] = [];
  const fingerprints: Fingerprint[] = [];
  for (const item of items) {
    const outcome = screen(item, ctx);
    if ("reason" in outcome) {
      removed.push(outcome);
      continue;
    }
    ctx.hashes.set(outcome.hash, item.id);
    pool.add(item.id, outcome.signature, outcome.shingles);
    kept.push(item.id);
    if (opts.returnFingerprints) fingerprints.push({ id: item.id, contentHash: outcome.hash, signature: outcome.signature });
  }
  return opts.returnFingerprints ? { kept, removed, fingerprints } : { kept, removed };
}
