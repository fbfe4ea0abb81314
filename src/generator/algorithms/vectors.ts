/** Small dense-vector helpers shared by TF-IDF, k-means and message routing. Pure. */

export type Vector = readonly number[];

export function dot(a: Vector, b: Vector): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

export function norm(a: Vector): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: Vector, b: Vector): number {
  const d = norm(a) * norm(b);
  return d > 0 ? dot(a, b) / d : 0;
}

/** The vector scaled to unit length (a zero vector stays zero). */
export function normalize(a: Vector): number[] {
  const n = norm(a);
  return n > 0 ? a.map((x) => x / n) : [...a];
}

export function squaredDistance(a: Vector, b: Vector): number {
  const n = Math.max(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    s += d * d;
  }
  return s;
}

/** Component-wise mean of `vectors` (dimension of the first); empty input gives []. */
export function mean(vectors: readonly Vector[]): number[] {
  const first = vectors[0];
  if (first === undefined) return [];
  const out = new Array<number>(first.length).fill(0);
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (v[i] ?? 0);
  return out.map((x) => x / vectors.length);
}
