// Simulator judges: prompt parsing, verdict thresholds, closed-form decisions at zero noise, and the
// first-position win rate of a noisy biased judge against the normal CDF.
import { cumulativeStdNormalProbability } from "simple-statistics";
import { describe, expect, it } from "vitest";
import {
  judgePairwise,
  judgeSingle,
  labelFor,
  parseJudgePrompt,
  REFERENCE_WORDS,
  STRONG_MARGIN,
  TIE_MARGIN,
  writePairwiseVerdict,
  writeSingleVerdict,
} from "../../src/sim/judge.js";
import { assessAnswer } from "../../src/sim/quality.js";
import { mulberry32 } from "../../lib/random.js";

const pairwise = (q: string, a: string, b: string, ref?: string): string =>
  `Please judge.\n\n<|User Prompt|>\n${q}\n\n` +
  (ref === undefined ? "" : `<|The Start of Reference Answer|>\n${ref}\n<|The End of Reference Answer|>\n\n`) +
  `<|The Start of Assistant A's Answer|>\n${a}\n<|The End of Assistant A's Answer|>\n\n` +
  `<|The Start of Assistant B's Answer|>\n${b}\n<|The End of Assistant B's Answer|>`;
const single = (q: string, a: string, ref?: string): string =>
  `[Question]\n${q}\n\n` +
  (ref === undefined ? "" : `[The Start of Reference Answer]\n${ref}\n[The End of Reference Answer]\n\n`) +
  `[The Start of Assistant's Answer]\n${a}\n[The End of Assistant's Answer]`;

describe("parseJudgePrompt", () => {
  const cases = [
    { text: pairwise("Q?", "ans a", "ans b"), want: { kind: "pairwise", question: "Q?", a: "ans a", b: "ans b", reference: null } },
    { text: pairwise("Q?", "x", "y", "ref"), want: { kind: "pairwise", question: "Q?", a: "x", b: "y", reference: "ref" } },
    { text: single("Q?", "the answer"), want: { kind: "single", question: "Q?", answer: "the answer", reference: null } },
    { text: single("Q?", "the answer", "r"), want: { kind: "single", question: "Q?", answer: "the answer", reference: "r" } },
    { text: "What is the capital of France?", want: null },
    {
      // Multi-turn questions (judges/prompts/question.ts transcripts) are judged on the final user turn.
      text: pairwise("[System]\nBe brief.\n\n[Turn 1 - User]\nFirst ask.\n\n[Turn 1 - Assistant]\nFirst reply.\n\n[Turn 2 - User]\nSecond ask.", "x", "y"),
      want: { kind: "pairwise", question: "Second ask.", a: "x", b: "y", reference: null },
    },
    {
      text: single("[Turn 1 - User]\nOnly ask.", "z"),
      want: { kind: "single", question: "Only ask.", answer: "z", reference: null },
    },
    { text: pairwise("Q?", "a", "b").replace("<|The End of Assistant B's Answer|>", ""), want: null },
  ];
  for (const [i, tc] of cases.entries()) it(`case ${i}`, () => expect(parseJudgePrompt(tc.text)).toEqual(tc.want));
});

describe("labelFor", () => {
  const cases: [number, string][] = [
    [STRONG_MARGIN + 0.01, "A>>B"],
    [STRONG_MARGIN, "A>B"],
    [TIE_MARGIN + 0.01, "A>B"],
    [TIE_MARGIN, "A=B"],
    [0, "A=B"],
    [-TIE_MARGIN, "A=B"],
    [-TIE_MARGIN - 0.01, "B>A"],
    [-STRONG_MARGIN, "B>A"],
    [-STRONG_MARGIN - 0.01, "B>>A"],
  ];
  for (const [d, want] of cases) it(`${d} -> ${want}`, () => expect(labelFor(d)).toBe(want));
});

// Key points of Q (by hand): calculate, history, rome, and 12 * 7 = 84.
const Q = "Calculate 12 * 7 and explain the history of Rome.";
const GOOD = "Rome has a long history. 12 * 7 = 84."; // history, rome, 84 -> 3/4; 10 words
const POOR = "Rome is nice."; // rome -> 1/4; 3 words

describe("assessAnswer", () => {
  const cases = [
    { answer: GOOD, covered: 3, coverage: 0.75, right: 1, words: 10 },
    { answer: POOR, covered: 1, coverage: 0.25, right: 0, words: 3 },
    { answer: "12 * 7 = 85, roman stories", covered: 0, coverage: 0, right: 0, words: 7 },
    { answer: "CALCULATE the HISTORY of rome: 84", covered: 4, coverage: 1, right: 1, words: 6 },
  ];
  for (const tc of cases) {
    it(tc.answer, () => {
      const q = assessAnswer(Q, tc.answer);
      expect([q.covered, q.total, q.coverage, q.arithmeticRight, q.words]).toEqual([tc.covered, 4, tc.coverage, tc.right, tc.words]);
    });
  }
  it("uses neutral coverage when the question has no key points", () => expect(assessAnswer("Hi!", "Hello").coverage).toBe(0.5));
});

describe("judgePairwise at zero noise (closed form)", () => {
  const judge = { noise: 0, positionBias: 0.1, verbosityBias: 0.2 };
  const lengthTerm = (wa: number, wb: number): number => Math.max(-2, Math.min(2, Math.log2(wa / wb))) / 2;
  const cases = [
    { a: GOOD, b: POOR, want: 0.75 - 0.25 + 0.1 + 0.2 * lengthTerm(10, 3) },
    { a: POOR, b: GOOD, want: 0.25 - 0.75 + 0.1 + 0.2 * lengthTerm(3, 10) },
    { a: GOOD, b: GOOD, want: 0.1 },
  ];
  for (const tc of cases) {
    it(`${tc.a} vs ${tc.b}`, () => {
      const p = parseJudgePrompt(pairwise(Q, tc.a, tc.b));
      if (p?.kind !== "pairwise") throw new Error("not parsed");
      const d = judgePairwise(p, judge, mulberry32(1));
      expect(d.diff).toBeCloseTo(tc.want, 12);
      expect(d.label).toBe(labelFor(tc.want));
    });
  }
});

describe("judgeSingle at zero noise (closed form)", () => {
  const cases = [
    { answer: GOOD, vb: 0.2, want: Math.round(1 + 9 * (0.75 + 0.2 * Math.max(-1, Math.log2(10 / REFERENCE_WORDS)))) },
    { answer: POOR, vb: 0, want: Math.round(1 + 9 * 0.25) },
    { answer: "CALCULATE the HISTORY of rome: 84", vb: 0, want: 10 },
  ];
  for (const tc of cases) {
    it(tc.answer, () => {
      const p = parseJudgePrompt(single(Q, tc.answer));
      if (p?.kind !== "single") throw new Error("not parsed");
      expect(judgeSingle(p, { noise: 0, positionBias: 0, verbosityBias: tc.vb }, mulberry32(1)).rating).toBe(tc.want);
    });
  }
});

describe("position bias on identical answers", () => {
  // d = positionBias + noise * z, so P(A wins) = 1 - Phi((TIE - pb) / noise), P(B wins) = Phi((-TIE - pb) / noise).
  const cases = [
    { pb: 0.15, noise: 0.2 },
    { pb: 0, noise: 0.3 },
  ];
  for (const tc of cases) {
    it(`pb=${tc.pb} noise=${tc.noise}`, () => {
      const p = parseJudgePrompt(pairwise(Q, GOOD, GOOD));
      if (p?.kind !== "pairwise") throw new Error("not parsed");
      const n = 4000;
      let aWins = 0;
      let bWins = 0;
      for (let i = 0; i < n; i++) {
        const { label } = judgePairwise(p, { noise: tc.noise, positionBias: tc.pb, verbosityBias: 0 }, mulberry32(i + 1));
        if (label.startsWith("A>")) aWins++;
        if (label.startsWith("B>")) bWins++;
      }
      const wantA = 1 - cumulativeStdNormalProbability((TIE_MARGIN - tc.pb) / tc.noise);
      const wantB = cumulativeStdNormalProbability((-TIE_MARGIN - tc.pb) / tc.noise);
      expect(Math.abs(aWins / n - wantA)).toBeLessThan(0.03);
      expect(Math.abs(bWins / n - wantB)).toBeLessThan(0.03);
    });
  }
});

describe("verdict text", () => {
  const p = parseJudgePrompt(pairwise(Q, GOOD, POOR));
  const s = parseJudgePrompt(single(Q, GOOD));
  if (p?.kind !== "pairwise" || s?.kind !== "single") throw new Error("not parsed");
  const d = judgePairwise(p, { noise: 0, positionBias: 0, verbosityBias: 0 }, mulberry32(1));
  const g = judgeSingle(s, { noise: 0, positionBias: 0, verbosityBias: 0 }, mulberry32(1));
  const cases = [
    { text: writePairwiseVerdict(d, false), pattern: /My final verdict is: \[\[A>>B\]\]$/ },
    { text: writeSingleVerdict(g, false), pattern: /Rating: \[\[8\]\]$/ },
  ];
  for (const tc of cases) it(tc.pattern.source, () => expect(tc.text).toMatch(tc.pattern));
  it("invalid verdicts carry no label", () => {
    expect(writePairwiseVerdict(d, true)).not.toContain("[[");
    expect(writeSingleVerdict(g, true)).not.toContain("[[");
  });
});
