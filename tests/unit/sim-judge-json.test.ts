// A judge's decision written into structured-output fields, for the enum and field shapes judge
// schemas commonly use.
import { describe, expect, it } from "vitest";
import { judgeOverride } from "../../src/sim/judge-json.js";
import type { PairwiseLabel } from "../../src/sim/judge.js";

const ARENA = ["A>>B", "A>B", "A=B", "B>A", "B>>A"];

describe("judgeOverride", () => {
  const cases: { label: PairwiseLabel | null; rating: number | null; key: string; schema: Record<string, unknown>; want: unknown }[] = [
    { label: "A>>B", rating: null, key: "verdict", schema: { type: "string", enum: ARENA }, want: "A>>B" },
    { label: "A>>B", rating: null, key: "verdict", schema: { type: "string", enum: ["A>B", "A=B", "B>A"] }, want: "A>B" },
    { label: "B>A", rating: null, key: "winner", schema: { type: "string", enum: ["model_a", "model_b", "tie"] }, want: "model_b" },
    { label: "A=B", rating: null, key: "winner", schema: { type: "string", enum: ["A", "B", "tie"] }, want: "tie" },
    { label: "B>>A", rating: null, key: "better", schema: { type: "string", enum: ["first", "second", "equal"] }, want: "second" },
    { label: "A>B", rating: null, key: "verdict", schema: { type: "string", enum: ["x", "y"] }, want: undefined },
    { label: "A>B", rating: null, key: "winner", schema: { type: "string" }, want: "A>B" },
    { label: null, rating: 7, key: "score", schema: { type: "integer", minimum: 1, maximum: 5 }, want: 5 },
    { label: null, rating: 7, key: "rating", schema: { type: "number" }, want: 7 },
    { label: null, rating: 7, key: "count", schema: { type: "integer" }, want: undefined },
    { label: "A>B", rating: null, key: "reasoning", schema: { type: "string" }, want: "why" },
    { label: null, rating: 3, key: "explanation", schema: { type: "string" }, want: "why" },
    { label: null, rating: 3, key: "title", schema: { type: "string" }, want: undefined },
  ];
  for (const tc of cases) {
    it(`${tc.key} ${JSON.stringify(tc.schema)} <- ${tc.label ?? tc.rating}`, () => {
      expect(judgeOverride(tc.label, tc.rating, "why")(tc.key, tc.schema)).toBe(tc.want);
    });
  }
});
