/**
 * Per-answer style. A model's `style` is its habit, not a template: real models format each answer
 * differently around a habit (a list here, plain prose there, more or less detail), so each answer
 * draws its own layout and detail. The draw uses its own random stream, independent of the coverage
 * draws, so style stays uncorrelated with quality within a model; without that spread, style could
 * not be told apart from the model, and style control would have nothing to learn from.
 */
import type { AnswerStyle } from "./preset-schema.js";
import { randomIntBetween, type Rng } from "../../lib/random.js";

export type Markdown = AnswerStyle["markdown"];
const LAYOUTS: readonly Markdown[] = ["none", "light", "heavy"];

/** One answer's concrete style: the layout and sentences per covered point it is written with. */
export interface DrawnStyle {
  markdown: Markdown;
  detail: number;
  /** Bold point labels (heavy: usually, light: sometimes): bold varies apart from headers. */
  bold: boolean;
  /** Headed sections of a heavy answer, 1..4 (Key Points, then Summary, Additional Considerations, Overview). */
  sections: number;
}

/** Chance of bold point labels per layout. */
export const BOLD_SHARE: Record<Markdown, number> = { none: 0, light: 0.2, heavy: 0.8 };

/**
 * With probability `variation` the layout departs from the habit (to one of the other two, evenly);
 * independently, with probability `variation` the detail moves one step up or down (kept in 1..4).
 * A heavy answer has 1..4 headed sections (uniform); bold labels follow BOLD_SHARE for the layout.
 * With variation 0 every answer is the habit's fixed template (heavy: four sections, bold labels).
 */
export function drawStyle(habit: AnswerStyle, rng: Rng): DrawnStyle {
  let markdown = habit.markdown;
  if (rng() < habit.variation) {
    const others = LAYOUTS.filter((l) => l !== habit.markdown);
    markdown = others[randomIntBetween(rng, 0, others.length - 1)] ?? habit.markdown;
  }
  let detail = habit.detail;
  if (rng() < habit.variation) detail = Math.min(4, Math.max(1, detail + (rng() < 0.5 ? -1 : 1)));
  // variation 0 is the fixed template: every heavy answer has all four sections and bold labels.
  if (habit.variation === 0) return { markdown, detail, bold: markdown === "heavy", sections: markdown === "heavy" ? 4 : 0 };
  const bold = rng() < BOLD_SHARE[markdown];
  const sections = markdown === "heavy" ? randomIntBetween(rng, 1, 4) : 0;
  return { markdown, detail, bold, sections };
}
