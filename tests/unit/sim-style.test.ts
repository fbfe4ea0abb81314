// Per-answer style draws: the habit's layout is kept with probability 1 - variation, the other two
// layouts share the rest evenly, detail moves one step with probability variation and stays in 1..4,
// bold labels follow the drawn layout's share, and heavy answers have 1..4 headed sections; with
// variation 0 every answer is the fixed template.
import { describe, expect, it } from "vitest";
import type { AnswerStyle } from "../../src/sim/preset-schema.js";
import { drawStyle } from "../../src/sim/style.js";
import { mulberry32 } from "../../lib/random.js";

const N = 4000;
const habit = (markdown: AnswerStyle["markdown"], detail: number, variation: number): AnswerStyle => ({ markdown, padding: [0, 1], detail, variation });

describe("drawStyle", () => {
  const cases = [
    { habit: habit("heavy", 3, 0.3), share: { heavy: 0.7, light: 0.15, none: 0.15 }, bold: 0.7 * 0.8 + 0.15 * 0.2, detail: { 2: 0.15, 3: 0.7, 4: 0.15 } },
    { habit: habit("none", 1, 0.3), share: { none: 0.7, light: 0.15, heavy: 0.15 }, bold: 0.15 * 0.8 + 0.15 * 0.2, detail: { 1: 0.85, 2: 0.15 } },
    { habit: habit("light", 4, 0.5), share: { light: 0.5, none: 0.25, heavy: 0.25 }, bold: 0.25 * 0.8 + 0.5 * 0.2, detail: { 3: 0.25, 4: 0.75 } },
    { habit: habit("heavy", 2, 0), share: { heavy: 1, light: 0, none: 0 }, bold: 1, detail: { 2: 1 } },
  ];
  for (const tc of cases) {
    it(`${tc.habit.markdown}/detail ${tc.habit.detail}/variation ${tc.habit.variation}`, () => {
      const rng = mulberry32(11);
      const layouts: Record<string, number> = {};
      const details: Record<string, number> = {};
      let bold = 0;
      const sections = new Set<number>();
      for (let i = 0; i < N; i++) {
        const d = drawStyle(tc.habit, rng);
        layouts[d.markdown] = (layouts[d.markdown] ?? 0) + 1;
        details[d.detail] = (details[d.detail] ?? 0) + 1;
        if (d.bold) bold++;
        if (d.markdown === "heavy") sections.add(d.sections);
        else expect(d.sections).toBe(0);
      }
      // 4 sd of a share p over 4000 draws is at most 0.032.
      for (const [k, p] of Object.entries(tc.share)) expect(Math.abs((layouts[k] ?? 0) / N - p)).toBeLessThan(0.032);
      for (const [k, p] of Object.entries(tc.detail)) expect(Math.abs((details[k] ?? 0) / N - p)).toBeLessThan(0.032);
      expect(Object.values(details).reduce((s, v) => s + v, 0)).toBe(N);
      expect(Math.abs(bold / N - tc.bold)).toBeLessThan(0.032);
      expect(sections).toEqual(tc.habit.variation === 0 ? new Set([4]) : new Set([1, 2, 3, 4]));
    });
  }
});
