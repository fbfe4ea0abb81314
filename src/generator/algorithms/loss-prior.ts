/**
 * The Beta prior that smooths per-category loss rates (pure, empirical Bayes). Categories are treated
 * as draws from one Beta(α0, β0) of loss rates:
 * - its mean m is the overall loss rate with half a pseudo-loss and half a pseudo-win,
 *   (L + 0.5) / (N + 1), so it is never exactly 0 or 1 and the posterior stays proper;
 * - its strength s = α0 + β0 (in pseudo-battles) comes from how much the categories' rates spread
 *   beyond what sampling noise explains (the method-of-moments estimate of the between-category
 *   variance τ², as in DerSimonian-Laird): Q = Σ nᵢ(rᵢ - p)² - (k - 1)·p(1 - p), D = N - Σnᵢ²/N,
 *   τ² = max(0, Q / D), and a Beta's variance m(1 - m)/(s + 1) = τ² gives s. Clamped to
 *   [minStrength, maxStrength]: categories that differ only by noise (τ² ≈ 0) are pulled to the
 *   overall rate, and a category with two battles cannot outweigh one with two hundred.
 * A category's posterior is Beta(α0 + losses, β0 + battles - losses) (ties count half a loss).
 */

export interface LossCounts {
  battles: number;
  /** Loss mass: 1 per loss, 0.5 per tie, 1 - share for soft outcomes. */
  losses: number;
}

export interface LossPrior {
  alpha: number;
  beta: number;
  /** α0 + β0, in pseudo-battles. */
  strength: number;
  mean: number;
  /** Estimated between-category variance of loss rates (0: all differences look like noise). */
  between: number;
}

export function fitLossPrior(groups: readonly LossCounts[], minStrength: number, maxStrength: number): LossPrior {
  const seen = groups.filter((g) => g.battles > 0);
  const n = seen.reduce((s, g) => s + g.battles, 0);
  const lost = seen.reduce((s, g) => s + g.losses, 0);
  const mean = (lost + 0.5) / (n + 1);
  const p = n > 0 ? lost / n : mean;
  const q = seen.reduce((s, g) => s + g.battles * (g.losses / g.battles - p) ** 2, 0) - (seen.length - 1) * p * (1 - p);
  const d = n - seen.reduce((s, g) => s + g.battles ** 2, 0) / (n || 1);
  const between = d > 0 ? Math.max(0, q / d) : 0;
  const moments = between > 0 ? (mean * (1 - mean)) / between - 1 : Number.POSITIVE_INFINITY;
  const strength = Math.min(maxStrength, Math.max(minStrength, moments));
  return { alpha: strength * mean, beta: strength * (1 - mean), strength, mean, between };
}

/** Posterior Beta parameters of one category's loss rate. */
export function lossPosterior(prior: LossPrior, counts: LossCounts): { alpha: number; beta: number } {
  return { alpha: prior.alpha + counts.losses, beta: prior.beta + counts.battles - counts.losses };
}
