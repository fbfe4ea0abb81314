/**
 * The near-duplicate pool used by `cleanInstructions`: an LSH index over kept (and pre-existing) texts,
 * plus what is needed to verify candidates. A candidate is confirmed by exact Jaccard on the two shingle
 * sets when both are known, and by the MinHash estimate when one side is known only by its signature
 * (an existing pool loaded from storage) or when estimate-only verification is asked for.
 */
import { createLshIndex, type LshIndex, type LshParams } from "./lsh.js";
import { estimateJaccard, exactJaccard } from "./minhash.js";

export type Verification = "exact" | "estimate";

export interface NearDupMatch {
  id: string;
  similarity: number;
}

export interface NearDupPool {
  /** Add an entry; pass shingles when known (null when only the signature is stored). */
  add(id: string, signature: Uint32Array, shingles: Uint32Array | null): void;
  /** The most similar entry at or above the threshold (earliest on ties), or null. */
  match(signature: Uint32Array, shingles: Uint32Array): NearDupMatch | null;
}

export function createNearDupPool(
  params: LshParams,
  numPerm: number,
  threshold: number,
  verification: Verification,
): NearDupPool {
  const index: LshIndex = createLshIndex(params, numPerm);
  const ids: string[] = [];
  const shingleSets: (Uint32Array | null)[] = [];
  const signatures: (Uint32Array | null)[] = [];

  const similarity = (slot: number, signature: Uint32Array, shingles: Uint32Array): number => {
    const stored = verification === "exact" ? shingleSets[slot] : null;
    if (stored) return exactJaccard(shingles, stored);
    const sig = signatures[slot];
    return sig ? estimateJaccard(signature, sig) : 0;
  };

  return {
    add(id, signature, shingles) {
      const slot = ids.length;
      ids.push(id);
      const keepShingles = verification === "exact" && shingles !== null;
      shingleSets.push(keepShingles ? shingles : null);
      // Signatures are kept only where they are the sole means of verification.
      signatures.push(keepShingles ? null : signature);
      index.insert(slot, signature);
    },
    match(signature, shingles) {
      let best: NearDupMatch | null = null;
      let bestSlot = Number.POSITIVE_INFINITY;
      for (const slot of index.query(signature)) {
        const sim = similarity(slot, signature, shingles);
        if (sim < threshold) continue;
        if (best === null || sim > best.similarity || (sim === best.similarity && slot < bestSlot)) {
          best = { id: ids[slot] ?? "", similarity: sim };
          bestSlot = slot;
        }
      }
      return best;
    },
  };
}
