// Simulated answers: coverage follows sigmoid(skill) (binomial check), arithmetic right/wrong at the
// extremes, style changes length and markdown but not coverage, and output is a function of the rng.
import { describe, expect, it } from "vitest";
import { writeAnswer } from "../../src/sim/answer.js";
import { mulberry32 } from "../../src/sim/hash.js";
import { InstructionAnalyzer } from "../../src/sim/instruction.js";
import type { AnswerStyle } from "../../src/sim/preset-schema.js";
import { assessAnswer } from "../../src/sim/quality.js";

const analyzer = new InstructionAnalyzer([{ name: "any", keywords: ["zzzz"] }], "any");
const Q = "Calculate 12 * 7 and explain the history of Rome, its emperors, legions, aqueducts and senate.";
const A = analyzer.analyze(Q);
const PLAIN: AnswerStyle = { markdown: "none", padding: [0, 1], detail: 1 };
const HEAVY: AnswerStyle = { markdown: "heavy", padding: [6, 10], detail: 3 };

describe("coverage probability", () => {
  // With answerNoise 0 each key point is covered independently with p = 1 / (1 + e^-s).
  const cases = [-1.5, 0, 0.8, 2];
  for (const s of cases) {
    it(`skill ${s}`, () => {
      const n = 600;
      let covered = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = writeAnswer(A, s, PLAIN, 0, mulberry32(i));
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
      const w = writeAnswer(A, tc.skill, PLAIN, 0, mulberry32(3));
      expect(assessAnswer(Q, w.text).coverage).toBe(tc.coverage);
      const m = /12 \* 7 = (-?[\d.]+)\./.exec(w.text);
      expect(m).not.toBeNull();
      if (tc.arithmetic) expect(w.text).toContain(tc.arithmetic);
      else expect(m?.[1]).not.toBe("84");
    });
  }
});

describe("style", () => {
  it("heavy markdown is longer, has headers/bold, and covers the same points for the same draws", () => {
    let plainWords = 0;
    let heavyWords = 0;
    for (let i = 0; i < 50; i++) {
      const p = writeAnswer(A, 0, PLAIN, 0, mulberry32(i));
      const h = writeAnswer(A, 0, HEAVY, 0, mulberry32(i));
      expect(h.covered).toBe(p.covered); // coverage draws come before any style-dependent draw
      expect(h.text).toMatch(/^## /m);
      expect(h.text).toContain("**");
      plainWords += assessAnswer(Q, p.text).words;
      heavyWords += assessAnswer(Q, h.text).words;
    }
    expect(heavyWords).toBeGreaterThan(2 * plainWords);
  });
  it("is deterministic for an rng seed and varies across seeds", () => {
    const texts = [1, 1, 2].map((s) => writeAnswer(A, 0.5, PLAIN, 0.5, mulberry32(s)).text);
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).not.toBe(texts[2]);
  });
});
