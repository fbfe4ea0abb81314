/**
 * The serve bench's percentile is the nearest-rank one: the smallest value with at least p% of the
 * values at or below it. Reference values worked by hand: rank = ceil(p / 100 * n), 1-based.
 */
import { expect, it } from "vitest";
import { percentile } from "../../bench/serve.js";

const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const cases: [readonly number[], number, number][] = [
  [ten, 50, 5], // ceil(5) = 5
  [ten, 99, 10], // ceil(9.9) = 10
  [ten, 10, 1], // ceil(1) = 1
  [ten, 11, 2], // ceil(1.1) = 2
  [ten, 100, 10],
  [[1, 2, 3, 4], 75, 3], // ceil(3) = 3
  [[1, 2, 3, 4], 76, 4], // ceil(3.04) = 4
  [[7], 1, 7],
  [[7], 99, 7],
  [[0.5, 2.5], 50, 0.5], // ceil(1) = 1
];

it("nearest-rank percentiles", () => {
  for (const [xs, p, want] of cases) expect(percentile(xs, p), `p${p} of ${xs.length}`).toBe(want);
  expect(percentile([], 50)).toBeNaN();
});
