/**
 * k-means (Lloyd's algorithm) with k-means++ seeding, for grouping agents with similar profiles.
 * Pure and seeded: the random generator is an argument, so a grouping is reproducible.
 * Points are dense vectors; distance is squared Euclidean (on L2-normalised embeddings this orders
 * pairs exactly as cosine similarity does).
 */
import { mean, squaredDistance, type Vector } from "./vectors.js";

export interface KMeansOptions {
  random: () => number;
  /** Lloyd iterations at most (default 100). */
  maxIter?: number;
}

export interface KMeansResult {
  /** Cluster index of each point, in 0..k-1. */
  assignments: number[];
  centroids: number[][];
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  iterations: number;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one with
 * probability proportional to its squared distance to the nearest centre chosen so far. When every
 * remaining point coincides with a centre, the next one is drawn uniformly among the unchosen points.
 * Returns the indices of the chosen points.
 */
export function kmeansPlusPlus(points: readonly Vector[], k: number, random: () => number): number[] {
  const n = points.length;
  const chosen: number[] = [Math.min(n - 1, Math.floor(random() * n))];
  const d2 = points.map((p) => squaredDistance(p, points[chosen[0] ?? 0] ?? []));
  while (chosen.length < k) {
    const total = d2.reduce((s, x) => s + x, 0);
    let next = -1;
    if (total > 0) {
      let x = random() * total;
      for (let i = 0; i < n && next < 0; i++) {
        x -= d2[i] ?? 0;
        if (x < 0) next = i;
      }
      if (next < 0) next = d2.findLastIndex((v) => v > 0);
    } else {
      const free = points.map((_, i) => i).filter((i) => !chosen.includes(i));
      next = free[Math.floor(random() * free.length)] ?? 0;
    }
    chosen.push(next);
    const c = points[next] ?? [];
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i] ?? 0, squaredDistance(points[i] ?? [], c));
  }
  return chosen;
}

function nearest(p: Vector, centroids: readonly Vector[]): { index: number; d2: number } {
  let index = 0;
  let best = Infinity;
  centroids.forEach((c, j) => {
    const d = squaredDistance(p, c);
    if (d < best) [best, index] = [d, j];
  });
  return { index, d2: best };
}

/** Cluster `points` into `k` groups (1 <= k <= points.length). */
export function kmeans(points: readonly Vector[], k: number, opts: KMeansOptions): KMeansResult {
  if (!Number.isInteger(k) || k < 1 || k > points.length) throw new RangeError(`k must be an integer in 1..${points.length}, got ${k}`);
  let centroids = kmeansPlusPlus(points, k, opts.random).map((i) => [...(points[i] ?? [])]);
  let assignments = points.map(() => -1);
  let iterations = 0;
  while (iterations < (opts.maxIter ?? 100)) {
    iterations++;
    const next = points.map((p) => nearest(p, centroids).index);
    // An empty cluster takes the point farthest from its centre, so every group keeps a member.
    for (let j = 0; j < k; j++) {
      if (next.includes(j)) continue;
      let far = -1;
      let farD = -1;
      next.forEach((c, i) => {
        const sizeOfC = next.filter((x) => x === c).length;
        const d = squaredDistance(points[i] ?? [], centroids[c] ?? []);
        if (sizeOfC > 1 && d > farD) [farD, far] = [d, i];
      });
      if (far >= 0) next[far] = j;
    }
    const changed = next.some((c, i) => c !== assignments[i]);
    assignments = next;
    centroids = centroids.map((old, j) => {
      const members = points.filter((_, i) => assignments[i] === j);
      return members.length > 0 ? mean(members) : old;
    });
    if (!changed) break;
  }
  const inertia = points.reduce((s, p, i) => s + squaredDistance(p, centroids[assignments[i] ?? 0] ?? []), 0);
  return { assignments, centroids, inertia, iterations };
}
