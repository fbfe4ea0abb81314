// Simulated answers: coverage follows sigmoid(skill) (binomial check), arithmetic right/wrong at the
// extremes, style changes length and markdown but not coverage, and output is a function of the rng.
import { describe, expect, it } from "vitest";
import { writeAnswer } from "../../src/sim/answer.js";
import { InstructionAnalyzer } from "../../src/sim/instruction.js";
import type { AnswerStyle } from "../../src/sim/preset-schema.js";
import { assessAnswer } from "../../src/sim/quality.js";
import { mulberry32 } from "../../lib/random.js";

const analyzer = new InstructionAnalyzer([{ name: "any", keywords: ["zzzz"] }], "any");
const Q = "Calculate 12 * 7 and explain the history of Rome, its emperors, legions, aqueducts and senate.";
const A = analyzer.analyze(Q);
const PLAIN: AnswerStyle = { markdown: "none", padding: [0, 1], detail: 1, variation: 0 };
const HEAVY: AnswerStyle = { markdown: "heavy", padding: [6, 10], detail: 3, variation: 0 };
/** The style stream for answer i: separate from the coverage stream mulberry32(i). */
const styleRng = (i: number) => mulberry32(1_000_000 + i);

describe("coverage probability", () => {
  // With answerNoise 0 each key point is covered independently with p = 1 / (1 + e^-s).
  const cases = [-1.5, 0, 0.8, 2];
  for (const s of cases) {
    it(`skill ${s}`, () => {
      const n = 600;
      let covered = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = writeAnswer(A, s, PLAIN, 0, mulberry32(i), styleRng(i));
        const q = assessAnswer(Q, w.text);
        expect(q.covered).toBe(w.covered); // the judge's reading agrees with what the writer intended
        covered += q.covered;
        total += q.total;
      }
      const p = 1 / (1 + Math.exp(-s));
      const sd = Math.sqrt((p * (1 - p)) / total);
      expect(Math.abs(covered / total - p)).toBeLessThan(4 * sd);
    });
  }
});

describe("extremes", () => {
  const cases = [
    { skill: 12, coverage: 1, arithmetic: "12 * 7 = 84." },
    { skill: -12, coverage: 0, arithmetic: null },
  ];
  for (const tc of cases) {
    it(`skill ${tc.skill}`, () => {
      const w = writeAnswer(A, tc.skill, PLAIN, 0, mulberry32(3), styleRng(3));
      expect(assessAnswer(Q, w.text).coverage).toBe(tc.coverage);
      const m = /12 \* 7 = (-?[\d.]+)\./.exec(w.text);
      expect(m).not.toBeNull();
      if (tc.arithmetic) expect(w.text).toContain(tc.arithmetic);
      else expect(m?.[1]).not.toBe("84");
    });
  }
});

describe("style", () => {
  it("heavy markdown is longer, has headers and bullet lists, and covers the same points for the same draws", () => {
    let plainWords = 0;
    let heavyWords = 0;
    for (let i = 0; i < 50; i++) {
      const p = writeAnswer(A, 0, PLAIN, 0, mulberry32(i), styleRng(i));
      const h = writeAnswer(A, 0, HEAVY, 0, mulberry32(i), styleRng(i));
      expect(h.covered).toBe(p.covered); // coverage draws come before any style-dependent draw
      expect(h.text).toMatch(/^### Key Points$/m);
      expect(h.text).toMatch(/^- (\*\*)?Point 1:/m);
      plainWords += assessAnswer(Q, p.text).words;
      heavyWords += assessAnswer(Q, h.text).words;
    }
    expect(heavyWords).toBeGreaterThan(2 * plainWords);
  });
  it("is deterministic for an rng seed and varies across seeds", () => {
    const texts = [1, 1, 2].map((s) => writeAnswer(A, 0.5, PLAIN, 0.5, mulberry32(s), styleRng(s)).text);
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).not.toBe(texts[2]);
  });
  it("varies per answer around the habit (variation 0.3), with the same coverage as a fixed style", () => {
    const habit: AnswerStyle = { ...HEAVY, variation: 0.3 };
    const n = 400;
    let heavy = 0;
    for (let i = 0; i < n; i++) {
      const fixed = writeAnswer(A, 0.3, HEAVY, 0.5, mulberry32(i), styleRng(i));
      const varied = writeAnswer(A, 0.3, habit, 0.5, mulberry32(i), styleRng(i));
      // Style draws come from their own stream: quality is untouched by the layout drawn.
      expect(varied.covered).toBe(fixed.covered);
      if (/^### Key Points$/m.test(varied.text)) heavy++;
    }
    // 70% of answers keep the habit; 4 sd of a binomial(400, 0.7) is about 0.09.
    expect(Math.abs(heavy / n - 0.7)).toBeLessThan(0.09);
  });
});
