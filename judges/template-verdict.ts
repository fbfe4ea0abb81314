/**
 * Reading a verdict from a judge template's reply, per output kind: the five labels (parse.ts
 * `parsePairwiseVerdict`), a 1-10 rating (`parseRating`), or a JSON object whose named field holds the
 * verdict (a label, or a side word such as "A" / "model_b" / "tie" for pairwise; a number in [1, 10]
 * for single grading). Like parse.ts it never throws: no verdict is null, never guessed.
 */
import { MAX_RATING, MIN_RATING, type PairwiseLabel } from "./labels.js";
import { jsonCandidates, normaliseLabel, parseJsonVerdict, parsePairwiseVerdict, parseRating, tryParse } from "./parse.js";
import type { PairwiseTemplate, SingleTemplate } from "./prompts/types.js";

const SIDE_WORDS: ReadonlyMap<string, PairwiseLabel> = new Map<string, PairwiseLabel>([
  ["a", "A>B"],
  ["model_a", "A>B"],
  ["assistant_a", "A>B"],
  ["assistant a", "A>B"],
  ["b", "B>A"],
  ["model_b", "B>A"],
  ["assistant_b", "B>A"],
  ["assistant b", "B>A"],
  ["tie", "A=B"],
  ["draw", "A=B"],
  ["equal", "A=B"],
]);

/** A pairwise verdict value: any label form `normaliseLabel` accepts, or a side word; else null. */
export function labelFromVerdictValue(value: unknown): PairwiseLabel | null {
  if (typeof value !== "string") return null;
  return normaliseLabel(value) ?? SIDE_WORDS.get(value.trim().toLowerCase()) ?? null;
}

/** A rating value: a finite number (or numeric string) in [1, 10]; else null. */
export function ratingFromVerdictValue(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= MIN_RATING && n <= MAX_RATING ? n : null;
}

/** The value of `field` in the first JSON object of the reply that has it (own property only). */
export function jsonField(text: string, field: string): unknown {
  if (typeof text !== "string") return undefined;
  for (const candidate of jsonCandidates(text)) {
    const value = tryParse(candidate);
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    if (Object.hasOwn(value, field)) return (value as Record<string, unknown>)[field];
  }
  return undefined;
}

/** The pairwise verdict a template's reply carries, relative to the positions it showed. */
export function pairwiseVerdictOf(template: Pick<PairwiseTemplate, "output" | "verdictField">, text: string): PairwiseLabel | null {
  if (template.output !== "json") return parsePairwiseVerdict(text);
  // A user template names its verdict field and is read from it alone; the built-in JSON template
  // falls back to a label in the text, as it always has.
  if (template.verdictField !== undefined) return labelFromVerdictValue(jsonField(text, template.verdictField));
  return parseJsonVerdict(text)?.verdict ?? parsePairwiseVerdict(text);
}

/** The 1-10 rating a single-grading template's reply carries. */
export function ratingOf(template: Pick<SingleTemplate, "output" | "verdictField">, text: string): number | null {
  if (template.output === "json" && template.verdictField !== undefined) return ratingFromVerdictValue(jsonField(text, template.verdictField));
  return parseRating(text);
}
