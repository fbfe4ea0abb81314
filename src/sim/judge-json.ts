/**
 * Filling a structured-output schema from a judge's decision: enums that offer verdict-like values
 * ("A>B", "A", "model_a", "tie", ...) get the decision, `score`/`rating` numbers the grade, and
 * `rationale`/`reasoning`-like strings the judge's rationale. Other fields are left to the filler.
 */
import type { PairwiseLabel } from "./judge.js";
import type { FieldOverride } from "./structured.js";
import { clamp } from "./math.js";

const SIDE_WORDS: Record<"A" | "B" | "tie", string[]> = {
  A: ["a", "model_a", "assistant_a", "assistant a", "first", "response_a", "1"],
  B: ["b", "model_b", "assistant_b", "assistant b", "second", "response_b", "2"],
  tie: ["tie", "a=b", "draw", "equal", "same", "none"],
};

/** Map a verdict onto whatever enum a schema offers ("A>B", "A", "model_a", "tie", ...). */
function verdictEnum(values: unknown[], label: PairwiseLabel): unknown {
  const side = label.startsWith("A>") ? "A" : label.startsWith("B>") ? "B" : "tie";
  const weak = label.replace(">>", ">");
  const wanted = [label, weak, ...SIDE_WORDS[side]].map((s) => s.toLowerCase());
  for (const w of wanted) {
    const hit = values.find((v) => typeof v === "string" && v.toLowerCase() === w);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** An override for `fillSchema` that writes the judge's decision into verdict-like fields. */
export function judgeOverride(label: PairwiseLabel | null, rating: number | null, rationale: string): FieldOverride {
  return (key, schema) => {
    if (label && Array.isArray(schema.enum)) return verdictEnum(schema.enum, label);
    const t = schema.type;
    if (rating !== null && (t === "integer" || t === "number") && /score|rating|grade/i.test(key)) {
      const lo = typeof schema.minimum === "number" ? schema.minimum : -Infinity;
      const hi = typeof schema.maximum === "number" ? schema.maximum : Infinity;
      return clamp(rating, lo, hi);
    }
    if (t !== "string" || schema.enum !== undefined) return undefined;
    if (label && /verdict|winner|label|decision|preference/i.test(key)) return label;
    if (/rationale|reason|explanation|analysis|justification|comment/i.test(key)) return rationale;
    return undefined;
  };
}
