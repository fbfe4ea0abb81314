// Exact cases for pairing plans (battles/pairing.ts): every problem with its message, and the A/B slot
// drawn as `random() < 0.5` from a scripted generator; written to kill mutation survivors.
import { describe, expect, it } from "vitest";
import { checkPairing, planBattles, planPairs, type PairingInput } from "../../battles/pairing.js";

describe("checkPairing problems, field and message", () => {
  const cases: { input: PairingInput; want: { field: string; message: string }[] }[] = [
    {
      input: { candidates: ["a", "a"], pairing: "all-pairs" },
      want: [
        { field: "candidates", message: "must not repeat a model" },
        { field: "candidates", message: "needs at least two models" },
      ],
    },
    { input: { candidates: [], pairing: "all-pairs" }, want: [{ field: "candidates", message: "needs at least two models" }] },
    { input: { candidates: ["a", "b"], pairing: "target-vs-opponents", target: "" }, want: [{ field: "target", message: "required for pairing 'target-vs-opponents'" }] },
    { input: { candidates: ["a", "b"], pairing: "target-vs-opponents", target: null }, want: [{ field: "target", message: "required for pairing 'target-vs-opponents'" }] },
    { input: { candidates: ["a", "b"], pairing: "vs-baseline" }, want: [{ field: "baseline", message: "required for pairing 'vs-baseline'" }] },
    { input: { candidates: ["a", "b"], pairing: "vs-baseline", baseline: "q" }, want: [{ field: "baseline", message: "'q' must be one of the candidates" }] },
    // The anchor of one mode is not read by the other: a baseline does not satisfy target-vs-opponents.
    { input: { candidates: ["a", "b"], pairing: "target-vs-opponents", baseline: "a" }, want: [{ field: "target", message: "required for pairing 'target-vs-opponents'" }] },
    { input: { candidates: ["a", "b"], pairing: "vs-baseline", target: "a" }, want: [{ field: "baseline", message: "required for pairing 'vs-baseline'" }] },
    // all-pairs needs no anchor and ignores one given.
    { input: { candidates: ["a", "b"], pairing: "all-pairs", target: "z", baseline: "z" }, want: [] },
    { input: { candidates: ["a", "b"], pairing: "target-vs-opponents", target: "b" }, want: [] },
  ];
  for (const tc of cases) it(JSON.stringify(tc.input), () => expect(checkPairing(tc.input)).toEqual(tc.want));
});

describe("planPairs uses the anchor of its own mode", () => {
  const cases: { input: PairingInput; want: [string, string][] }[] = [
    { input: { candidates: ["a", "b", "c"], pairing: "target-vs-opponents", target: "b", baseline: "c" }, want: [["b", "a"], ["b", "c"]] },
    { input: { candidates: ["a", "b", "c"], pairing: "vs-baseline", target: "b", baseline: "c" }, want: [["c", "a"], ["c", "b"]] },
    { input: { candidates: ["a"], pairing: "all-pairs" }, want: [] },
  ];
  for (const tc of cases) it(JSON.stringify(tc.input), () => expect(planPairs(tc.input)).toEqual(tc.want));
});

describe("planBattles: A is the pair's second model exactly when random() < 0.5", () => {
  it("follows a scripted generator draw by draw, instructions outer, pairs inner", () => {
    const draws = [0.49, 0.5, 0.99, 0, 0.5 - 1e-12, 0.75];
    let k = 0;
    const random = () => draws[k++] ?? Number.NaN;
    const pairs: [string, string][] = [["x", "y"], ["x", "z"], ["y", "z"]];
    expect(planBattles([7, 8], pairs, random)).toEqual([
      { instructionId: 7, modelA: "y", modelB: "x" },
      { instructionId: 7, modelA: "x", modelB: "z" },
      { instructionId: 7, modelA: "y", modelB: "z" },
      { instructionId: 8, modelA: "y", modelB: "x" },
      { instructionId: 8, modelA: "z", modelB: "x" },
      { instructionId: 8, modelA: "y", modelB: "z" },
    ]);
    expect(k).toBe(6);
  });
  it("no instructions or no pairs: no battles and no draws", () => {
    let calls = 0;
    const random = () => (calls++, 0);
    expect(planBattles([], [["a", "b"]], random)).toEqual([]);
    expect(planBattles([1, 2], [], random)).toEqual([]);
    expect(calls).toBe(0);
  });
});
