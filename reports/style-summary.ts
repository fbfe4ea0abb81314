/**
 * The `style` part of a style-controlled board: each coefficient with its bootstrap interval, or, when
 * the design cannot tell that feature from the models (style-identify.ts), no number at all and the
 * reason. A coefficient β is the change in log-odds of winning per standard deviation of the feature
 * (a - b)/(a + b + 1); times 400/ln 10 ≈ 173.7 it is Elo points.
 */
import { percentileIntervals, type BootstrapSamples } from "./bootstrap.js";
import type { StyleRows } from "./style-control.js";
import { STYLE_FEATURES, type StyleFeature } from "./style-features.js";
import { identifyStyle } from "./style-identify.js";

export interface StyleEstimate {
  feature: StyleFeature;
  /** β (log-odds per sd of the feature); null when not identified. */
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  identified: boolean;
  /** Share of the feature's variation that model identity and the other features do not explain. */
  free: number;
}

export interface StyleSummary {
  /** β of the identified features only (unidentified ones are left out, not printed as if known). */
  coefficients: Partial<Record<StyleFeature, number>>;
  estimates: StyleEstimate[];
  /** False if any feature is not identified: the style-adjusted ratings then depend on the penalty. */
  identified: boolean;
  reason?: string;
  battles: number;
  skipped: number;
}

/** Summarises a fit's β (params after the model strengths), with intervals from `boot` if given. */
export function summariseStyle(rows: StyleRows, params: Float64Array, boot: BootstrapSamples | null, skipped: number): StyleSummary {
  const m = rows.models.length;
  const ids = identifyStyle(rows);
  const ci = boot ? percentileIntervals(boot) : null;
  const coefficients: Partial<Record<StyleFeature, number>> = {};
  const estimates = STYLE_FEATURES.map((feature, f): StyleEstimate => {
    const id = ids[f];
    const identified = id?.identified ?? false;
    const beta = params[m + f] ?? 0;
    if (identified) coefficients[feature] = beta;
    return {
      feature,
      estimate: identified ? beta : null,
      ciLow: identified ? (ci ? (ci.low[f] ?? beta) : beta) : null,
      ciHigh: identified ? (ci ? (ci.high[f] ?? beta) : beta) : null,
      identified,
      free: id?.free ?? 0,
    };
  });
  const reasons = ids.flatMap((i) => (i.reason ? [i.reason] : []));
  const summary: StyleSummary = { coefficients, estimates, identified: reasons.length === 0, battles: rows.y.length, skipped };
  if (reasons.length > 0) summary.reason = reasons.join("; ");
  return summary;
}
