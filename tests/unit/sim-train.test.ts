import { describe, expect, it } from "vitest";
import { promptsOfJsonl, promptTextOf, trainingDeltas } from "../../src/sim/train.js";

describe("trainingDeltas", () => {
  const cases: { rows: Record<string, number>; opts?: { maxGain: number; scale: number }; expected: Record<string, number> }[] = [
    { rows: {}, expected: {} },
    { rows: { math: 0 }, expected: {} },
    // Defaults maxGain 2, scale 30: 2 * (1 - e^-1) = 1.26424...
    { rows: { math: 30 }, expected: { math: 1.2642411176571153 } },
    { rows: { math: 10, coding: 80 }, opts: { maxGain: 1, scale: 10 }, expected: { math: 1 - Math.exp(-1), coding: 1 - Math.exp(-8) } },
  ];
  for (const tc of cases) {
    it(JSON.stringify(tc.rows), () => {
      const got = trainingDeltas(tc.rows, tc.opts);
      expect(Object.keys(got).sort()).toEqual(Object.keys(tc.expected).sort());
      for (const [k, v] of Object.entries(tc.expected)) expect(got[k]).toBeCloseTo(v, 12);
    });
  }
  it("has diminishing returns: each extra 40 rows adds less", () => {
    const d = [30, 60, 90].map((n) => trainingDeltas({ x: n }).x ?? 0);
    expect((d[1] ?? 0) - (d[0] ?? 0)).toBeLessThan(d[0] ?? 0);
    expect((d[2] ?? 0) - (d[1] ?? 0)).toBeLessThan((d[1] ?? 0) - (d[0] ?? 0));
    expect(d[2]).toBeLessThan(2);
  });
});

describe("promptTextOf", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["TRL messages", { messages: [{ role: "user", content: "q1" }, { role: "assistant", content: "a" }] }, "q1"],
    ["TRL preference", { prompt: [{ role: "system", content: "s" }, { role: "user", content: "q2" }], chosen: [], rejected: [] }, "q2"],
    ["OpenAI preference", { input: { messages: [{ role: "user", content: "q3" }] }, preferred_output: [] }, "q3"],
    ["ShareGPT", { conversations: [{ from: "human", value: "q4" }, { from: "gpt", value: "a" }] }, "q4"],
    ["Alpaca", { instruction: "q5", input: "", output: "a" }, "q5"],
    ["nothing", { foo: 1 }, ""],
  ];
  for (const [name, row, text] of cases) it(name, () => expect(promptTextOf(row)).toBe(text));
  it("counts malformed lines", () => {
    expect(promptsOfJsonl('{"instruction":"a"}\nnope\n\n{"x":1}\n')).toEqual({ prompts: ["a"], malformed: 2 });
  });
});
