/**
 * Jury pooling (PoLL, "Replacing Judges with Juries"): several judges' combined outcomes for one
 * battle become one outcome. Judges whose outcome is null (no valid game) are left out.
 *   - "mean": the mean of the valid outcomes;
 *   - "majority": each judge votes win / tie / loss (from model A's side); the category with the
 *     most votes wins and the outcome is the mean of that camp's outcomes (so strength survives);
 *     when two categories share the most votes, the mean of all valid outcomes breaks the tie.
 * `agreement` is the fraction of valid judges whose own category matches the pooled one.
 */
import { marginOf, outcomeCategory, type OutcomeCategory } from "./labels.js";

export type JuryMethod = "mean" | "majority";

/** One juror's combined outcome; `CombinedOutcome` fits this shape. */
export interface JurorOutcome {
  judge?: string;
  outcome: number | null;
}

export interface JuryOutcome {
  /** Model A's pooled share in [0, 1]; null when no judge was valid. */
  outcome: number | null;
  margin: number;
  /** Fraction of valid judges in the pooled outcome's category; 0 when none was valid. */
  agreement: number;
  validJudges: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function majorityOutcome(outcomes: readonly number[]): number {
  const camps = new Map<OutcomeCategory, number[]>();
  for (const o of outcomes) {
    const c = outcomeCategory(o);
    camps.set(c, [...(camps.get(c) ?? []), o]);
  }
  const sizes = [...camps.values()].map((v) => v.length);
  const top = Math.max(...sizes);
  const leaders = [...camps.values()].filter((v) => v.length === top);
  const only = leaders[0];
  return leaders.length === 1 && only ? mean(only) : mean(outcomes);
}

/** Pools jurors' outcomes for one battle. */
export function poolJury(jurors: readonly JurorOutcome[], method: JuryMethod = "mean"): JuryOutcome {
  const outcomes = jurors
    .map((j) => j.outcome)
    .filter((o): o is number => o !== null && Number.isFinite(o));
  if (outcomes.length === 0) return { outcome: null, margin: 0, agreement: 0, validJudges: 0 };
  const outcome = method === "majority" ? majorityOutcome(outcomes) : mean(outcomes);
  const pooled = outcomeCategory(outcome);
  const agreeing = outcomes.filter((o) => outcomeCategory(o) === pooled).length;
  return { outcome, margin: marginOf(outcome), agreement: agreeing / outcomes.length, validJudges: outcomes.length };
}
