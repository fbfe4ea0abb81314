// Simulator instruction reading: classification, key points and arithmetic, against hand-derived values.
import { describe, expect, it } from "vitest";
import {
  InstructionAnalyzer,
  MAX_WORD_POINTS,
  findArithmetic,
  formatNumber,
  keyPointWords,
} from "../../src/sim/instruction.js";

describe("InstructionAnalyzer.classify", () => {
  const analyzer = new InstructionAnalyzer(
    [
      { name: "alpha", keywords: ["apple", "banana"] },
      { name: "beta", keywords: ["carrot", "data"] },
    ],
    "fallback",
  );
  const cases = [
    { text: "I like apples", want: "alpha", why: "prefix match of a 5-letter keyword" },
    { text: "carrot and banana", want: "alpha", why: "1-1 tie goes to the earlier category" },
    { text: "carrot, data and a banana", want: "beta", why: "2 votes beat 1" },
    { text: "nothing relevant here", want: "fallback", why: "no votes" },
    { text: "a database question", want: "beta", why: "4-letter keyword matches as prefix" },
    { text: "dat dat dat", want: "fallback", why: "shorter than the keyword" },
    { text: "BANANA!", want: "alpha", why: "case-insensitive" },
  ];
  for (const tc of cases) {
    it(`${tc.text} -> ${tc.want} (${tc.why})`, () => {
      expect(analyzer.classify(tc.text)).toBe(tc.want);
    });
  }
});

describe("findArithmetic", () => {
  const cases = [
    { text: "Calculate 12 * 7 please", want: [["12 * 7", "84", "84"]] },
    { text: "What is 5 - 8?", want: [["5 - 8", "-3", "3"]] },
    { text: "7 / 2 and 3×4 and 2+2", want: [["7 / 2", "3.5", "3.5"], ["3 × 4", "12", "12"], ["2 + 2", "4", "4"]] },
    { text: "1 + 1, 2 + 2, 3 + 3, 4 + 4", want: [["1 + 1", "2", "2"], ["2 + 2", "4", "4"], ["3 + 3", "6", "6"]] },
    { text: "On 2023-10-05 see /a/7/2/b", want: [] },
    { text: "Divide 10 / 0", want: [] },
    { text: "10 / 3", want: [["10 / 3", "3.33", "3.33"]] },
    { text: "0.5 * 4", want: [["0.5 * 4", "2", "2"]] },
  ];
  for (const tc of cases) {
    it(tc.text, () => {
      expect(findArithmetic(tc.text).map((a) => [a.expression, a.result, a.point])).toEqual(tc.want);
    });
  }
});

describe("formatNumber", () => {
  const cases: [number, string][] = [
    [84, "84"],
    [-3, "-3"],
    [3.5, "3.5"],
    [1 / 3, "0.33"],
    [2.999, "3"],
  ];
  for (const [x, want] of cases) it(`${x} -> ${want}`, () => expect(formatNumber(x)).toBe(want));
});

describe("keyPointWords", () => {
  const cases = [
    { text: "Calculate 12 * 7 and explain the history of Rome.", want: ["calculate", "history", "rome"] },
    { text: "Hi!", want: [] },
    { text: "Write a python function to reverse a linked list", want: ["python", "function", "reverse", "linked", "list"] },
    { text: "Python python PYTHON code", want: ["python", "code"] },
  ];
  for (const tc of cases) it(tc.text, () => expect(keyPointWords(tc.text)).toEqual(tc.want));

  it(`keeps at most ${MAX_WORD_POINTS}, in order of appearance, independent of word order`, () => {
    const vocab = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split(" ");
    const points = keyPointWords(vocab.join(" "));
    const reversed = keyPointWords([...vocab].reverse().join(" "));
    expect(points).toHaveLength(MAX_WORD_POINTS);
    expect(new Set(points)).toEqual(new Set(reversed));
    expect(points).toEqual(vocab.filter((w) => points.includes(w)));
  });
});
