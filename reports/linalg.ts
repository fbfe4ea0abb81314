/**
 * Dense symmetric positive-definite solves for the Newton steps of the rating fits. Matrices are
 * row-major Float64Array of n*n; only the lower triangle is read. Hand-written because the fits need
 * nothing else and a 100-model system factors in well under a millisecond.
 */

/** In-place Cholesky A = L Lᵀ (L left in the lower triangle). Returns false if A is not positive definite. */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] ?? 0;
      for (let k = 0; k < j; k++) s -= (a[ri + k] ?? 0) * (a[rj + k] ?? 0);
      if (i === j) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / (a[rj + j] ?? 1);
      }
    }
  }
  return true;
}

/** Solves L Lᵀ x = b given the factor from `choleskyInPlace`; b is overwritten with x and returned. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[ri + k] ?? 0) * (b[k] ?? 0);
    b[i] = s / (l[ri + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] ?? 0) * (b[k] ?? 0);
    b[i] = s / (l[i * n + i] ?? 1);
  }
  return b;
}
