/**
 * Can style control tell style from model? A style coefficient is identified only if its feature
 * varies in ways model identity (and the other features) cannot reproduce. For each feature column
 * x_f of the style design this measures the share of its variation left after least-squares
 * projection on all other columns (the model contrasts e_a - e_b and the other features):
 *   free_f = 1 - R²_f = 1 / (G_ff · (G⁻¹)_ff),  G = Σ_r w_r d_r d_rᵀ,
 * the reciprocal of the variance inflation factor. free_f = 0 when, e.g., every answer of a model has
 * the same markdown count: then "this model" and "this much markdown" predict the same wins, and the
 * split between θ and β is set by the penalty, not the data.
 */
import { choleskyInPlace, choleskySolve } from "./linalg.js";
import type { StyleRows } from "./style-control.js";
import { STYLE_FEATURES, type StyleFeature } from "./style-features.js";

/** Below this share of free variation (a variance inflation above 100) a coefficient is not identified. */
export const MIN_FREE_VARIATION = 0.01;

export interface FeatureIdentification {
  feature: StyleFeature;
  /** 1 - R² of the feature on the model contrasts and other features, in [0, 1]. */
  free: number;
  identified: boolean;
  /** Why not, when not identified. */
  reason?: string;
}

/** Weighted Gram matrix of the design [contrasts of models 1..m-1 | features] (model 0 is the gauge). */
function gram(rows: StyleRows): { g: Float64Array; d: number } {
  const m = rows.models.length;
  const F = STYLE_FEATURES.length;
  const d = m - 1 + F;
  const g = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let r = 0; r < rows.y.length; r++) {
    const w = rows.w[r] ?? 1;
    col.fill(0);
    const a = rows.a[r] ?? 0;
    const b = rows.b[r] ?? 0;
    if (a > 0) col[a - 1] = (col[a - 1] ?? 0) + 1;
    if (b > 0) col[b - 1] = (col[b - 1] ?? 0) - 1;
    for (let f = 0; f < F; f++) col[m - 1 + f] = rows.x[r * F + f] ?? 0;
    for (let i = 0; i < d; i++) {
      const ci = col[i] ?? 0;
      if (ci === 0) continue;
      for (let j = 0; j < d; j++) g[i * d + j] = (g[i * d + j] ?? 0) + w * ci * (col[j] ?? 0);
    }
  }
  return { g, d };
}

/** Per-feature identification of the style design in `rows` (standardised as styleRows builds them). */
export function identifyStyle(rows: StyleRows): FeatureIdentification[] {
  const m = rows.models.length;
  const { g, d } = gram(rows);
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, g[i * d + i] ?? 0);
  // A relative ridge far below any real signal keeps the factorisation defined when G is singular;
  // an exactly collinear feature then gets free ≈ 1e-12, well under the threshold.
  const l = Float64Array.from(g);
  for (let i = 0; i < d; i++) l[i * d + i] = (l[i * d + i] ?? 0) + 1e-12 * (scale || 1);
  const factored = choleskyInPlace(l, d);
  return STYLE_FEATURES.map((feature, f) => {
    const k = m - 1 + f;
    const gkk = g[k * d + k] ?? 0;
    if (!(gkk > 1e-12 * (scale || 1)) || !factored) {
      return { feature, free: 0, identified: false, reason: `${feature} never differs between the two answers of a battle` };
    }
    const e = new Float64Array(d);
    e[k] = 1;
    const inv = choleskySolve(l, d, e)[k] ?? 0;
    const free = Math.min(1, Math.max(0, 1 / (gkk * inv)));
    if (free >= MIN_FREE_VARIATION) return { feature, free, identified: true };
    return {
      feature,
      free,
      identified: false,
      reason: `${feature} is (near) collinear with model identity and the other features: ${(100 * free).toFixed(2)}% of its variation is free`,
    };
  });
}
