import { describe, expect, it } from "vitest";
import { answerTextOf, lessonsOf, promptTextOf, rowsOfJsonl, trainingDeltas } from "../../src/sim/train.js";

describe("trainingDeltas (signed lessons, diminishing returns)", () => {
  const cases: { lessons: Record<string, number>; opts?: { maxGain: number; scale: number }; expected: Record<string, number> }[] = [
    { lessons: {}, expected: {} },
    { lessons: { math: 0 }, expected: {} },
    // Defaults maxGain 2, scale 10: 2 * (1 - e^-1) = 1.26424...
    { lessons: { math: 10 }, expected: { math: 1.2642411176571153 } },
    { lessons: { math: -10 }, expected: { math: -1.2642411176571153 } },
    { lessons: { math: 10, coding: 80 }, opts: { maxGain: 1, scale: 10 }, expected: { math: 1 - Math.exp(-1), coding: 1 - Math.exp(-8) } },
  ];
  for (const tc of cases) {
    it(JSON.stringify(tc.lessons), () => {
      const got = trainingDeltas(tc.lessons, tc.opts);
      expect(Object.keys(got).sort()).toEqual(Object.keys(tc.expected).sort());
      for (const [k, v] of Object.entries(tc.expected)) expect(got[k]).toBeCloseTo(v, 12);
    });
  }
  it("has diminishing returns: each extra 10 lesson points adds less", () => {
    const d = [10, 20, 30].map((n) => trainingDeltas({ x: n }).x ?? 0);
    expect((d[1] ?? 0) - (d[0] ?? 0)).toBeLessThan(d[0] ?? 0);
    expect((d[2] ?? 0) - (d[1] ?? 0)).toBeLessThan((d[1] ?? 0) - (d[0] ?? 0));
    expect(d[2]).toBeLessThan(2);
  });
});

describe("lessonsOf: a row teaches its answer's coverage minus the model's own", () => {
  // A toy reader: category = first word, coverage = a number in the answer, own coverage per category.
  const own: Record<string, number> = { math: 0.3, writing: 0.8 };
  const read = { category: (p: string) => p.split(" ")[0] ?? "", coverage: (_p: string, a: string) => Number(a), ownCoverage: (c: string) => own[c] ?? 0.5 };
  const cases: { name: string; rows: [string, string][]; rows_: Record<string, number>; lessons: Record<string, number> }[] = [
    { name: "a better answer in a weak category", rows: [["math q", "0.9"]], rows_: { math: 1 }, lessons: { math: 0.6 } },
    { name: "an answer like its own teaches nothing", rows: [["writing q", "0.8"]], rows_: { writing: 1 }, lessons: { writing: 0 } },
    { name: "a worse answer pulls down", rows: [["writing q", "0.5"]], rows_: { writing: 1 }, lessons: { writing: -0.3 } },
    { name: "lessons add up per category", rows: [["math a", "0.8"], ["math b", "0.4"], ["writing c", "1"]], rows_: { math: 2, writing: 1 }, lessons: { math: 0.6, writing: 0.2 } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = lessonsOf(tc.rows.map(([prompt, answer]) => ({ prompt, answer })), read);
      expect(got.rows).toEqual(tc.rows_);
      for (const [k, v] of Object.entries(tc.lessons)) expect(got.lessons[k]).toBeCloseTo(v, 12);
    });
  }
});

describe("promptTextOf and answerTextOf", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["TRL messages", { messages: [{ role: "user", content: "q1" }, { role: "assistant", content: "a1" }] }, "q1", "a1"],
    ["TRL preference", { prompt: [{ role: "system", content: "s" }, { role: "user", content: "q2" }], chosen: [{ role: "assistant", content: "a2" }], rejected: [] }, "q2", "a2"],
    ["OpenAI preference", { input: { messages: [{ role: "user", content: "q3" }] }, preferred_output: [{ role: "assistant", content: "a3" }] }, "q3", "a3"],
    ["ShareGPT", { conversations: [{ from: "human", value: "q4" }, { from: "gpt", value: "a4" }] }, "q4", "a4"],
    ["Alpaca", { instruction: "q5", input: "", output: "a5" }, "q5", "a5"],
    ["Axolotl DPO", { messages: [{ role: "user", content: "q6" }], chosen: { role: "assistant", content: "a6" }, rejected: { role: "assistant", content: "x" } }, "q6", "a6"],
    ["multi-turn: the last assistant turn", { messages: [{ role: "user", content: "u1" }, { role: "assistant", content: "x" }, { role: "user", content: "u2" }, { role: "assistant", content: "a7" }] }, "u1\nu2", "a7"],
    ["nothing", { foo: 1 }, "", ""],
  ];
  for (const [name, row, prompt, answer] of cases) {
    it(name, () => {
      expect(promptTextOf(row)).toBe(prompt);
      expect(answerTextOf(row)).toBe(answer);
    });
  }
  it("counts malformed lines and rows without an answer", () => {
    expect(rowsOfJsonl('{"instruction":"a","output":"b"}\nnope\n\n{"x":1}\n{"instruction":"only"}\n')).toEqual({ rows: [{ prompt: "a", answer: "b" }], malformed: 3 });
  });
});
