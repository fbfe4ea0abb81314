/**
 * Rank agreement between two orderings of the same models (e.g. a recovered leaderboard against the
 * simulator's ground truth). Orders are arrays of model names, best first; only shared names count.
 */

function sharedPositions(orderA: readonly string[], orderB: readonly string[]): { pa: number[]; pb: number[] } {
  const posB = new Map(orderB.map((m, i) => [m, i]));
  const pa: number[] = [];
  const pb: number[] = [];
  orderA.forEach((m, i) => {
    const j = posB.get(m);
    if (j !== undefined) {
      pa.push(i);
      pb.push(j);
    }
  });
  return { pa, pb };
}

/** Kendall's tau: (concordant - discordant) / pairs over the shared models; 1 = same order, -1 = reversed. */
export function kendallTau(orderA: readonly string[], orderB: readonly string[]): number {
  const { pa, pb } = sharedPositions(orderA, orderB);
  const n = pa.length;
  if (n < 2) return Number.NaN;
  let score = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      score += Math.sign(((pa[i] ?? 0) - (pa[j] ?? 0)) * ((pb[i] ?? 0) - (pb[j] ?? 0)));
    }
  }
  return score / ((n * (n - 1)) / 2);
}

/** Spearman's rho over the shared models: 1 - 6 Σd² / (n(n² - 1)) on their ranks within the shared set. */
export function spearmanRho(orderA: readonly string[], orderB: readonly string[]): number {
  const { pa, pb } = sharedPositions(orderA, orderB);
  const n = pa.length;
  if (n < 2) return Number.NaN;
  // Re-rank within the shared set so missing names leave no gaps.
  const rankOf = (xs: number[]): number[] => {
    const sorted = [...xs].sort((x, y) => x - y);
    const rank = new Map(sorted.map((x, i) => [x, i]));
    return xs.map((x) => rank.get(x) ?? 0);
  };
  const ra = rankOf(pa);
  const rb = rankOf(pb);
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((ra[i] ?? 0) - (rb[i] ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}
