/**
 * Chance-corrected agreement between raters.
 *   Cohen's kappa (two raters): (po - pe) / (1 - pe), po the observed agreement, pe the agreement
 *   expected from each rater's own category frequencies.
 *   Fleiss' kappa (Fleiss 1971, any fixed number of raters per subject): from an N x k matrix of
 *   how many raters put subject i in category j.
 * Both return null when kappa is undefined: no subjects, or pe = 1 (every rating in one category,
 * so agreement cannot be told apart from chance).
 */

/**
 * Cohen's kappa for two raters' aligned labels (`a[i]` and `b[i]` rate the same subject).
 * Null when the arrays are empty or of different lengths, or when kappa is undefined.
 */
export function cohenKappa<C>(a: readonly C[], b: readonly C[]): number | null {
  const n = a.length;
  if (n === 0 || b.length !== n) return null;
  const countA = new Map<C, number>();
  const countB = new Map<C, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as C;
    const y = b[i] as C;
    if (x === y) agree += 1;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  let pe = 0;
  for (const [c, na] of countA) pe += (na / n) * ((countB.get(c) ?? 0) / n);
  const po = agree / n;
  return kappaFrom(po, pe);
}

/**
 * Fleiss' kappa. `counts[i][j]` = number of raters who put subject i in category j; every row must
 * sum to the same number of raters n >= 2 (else null).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const first = counts[0];
  if (!first) return null;
  const raters = sum(first);
  const k = first.length;
  if (raters < 2 || counts.some((row) => row.length !== k || sum(row) !== raters || row.some((x) => x < 0))) return null;
  const totals: number[] = new Array<number>(k).fill(0);
  let agreementSum = 0;
  for (const row of counts) {
    // P_i: the share of rater pairs that agree on subject i.
    agreementSum += (row.reduce((s, x) => s + x * x, 0) - raters) / (raters * (raters - 1));
    row.forEach((x, j) => {
      totals[j] = (totals[j] ?? 0) + x;
    });
  }
  const po = agreementSum / counts.length;
  const pe = totals.reduce((s, t) => s + (t / (counts.length * raters)) ** 2, 0);
  return kappaFrom(po, pe);
}

function kappaFrom(po: number, pe: number): number | null {
  // 1 - pe is a sum of products of shares; below 1e-12 it is zero up to rounding.
  if (1 - pe < 1e-12) return null;
  return (po - pe) / (1 - pe);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}
