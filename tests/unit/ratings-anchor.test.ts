// The shared Elo scale: anchoring to the mean or to a baseline, theta -> ratings, the input error, and
// Elo's time order and anchoring (online and bootstrapped); cases worked by hand.
import { describe, expect, it } from "vitest";
import { bootstrapElo, computeElo, timeOrder } from "../../reports/elo.js";
import { toColumns } from "../../reports/pair-counts.js";
import { anchorInPlace, RatingInputError, thetaToRatings } from "../../reports/rating-scale.js";
import { xoshiroRng } from "../../lib/random.js";

describe("anchorInPlace", () => {
  const cases: { name: string; ratings: number[]; baseline?: number; target?: number; want: number[] }[] = [
    { name: "mean to 1000 by default", ratings: [1, 2, 3], want: [999, 1000, 1001] },
    { name: "mean to a given rating", ratings: [1, 2, 3], target: 10, want: [9, 10, 11] },
    { name: "baseline to a given rating", ratings: [1, 2, 3], baseline: 2, target: 0, want: [-2, -1, 0] },
    { name: "empty", ratings: [], want: [] },
  ];
  for (const tc of cases) it(tc.name, () => expect(Array.from(anchorInPlace(Float64Array.from(tc.ratings), tc.baseline, tc.target))).toEqual(tc.want));
  it("thetaToRatings: ln 10 in natural log-odds is 400 Elo points", () => {
    const r = thetaToRatings(Float64Array.from([0, Math.log(10)]), undefined, 1000);
    expect(r[0]).toBeCloseTo(800, 9);
    expect(r[1]).toBeCloseTo(1200, 9);
  });
  it("RatingInputError names the field", () => {
    const e = new RatingInputError("baseline", "has no battles");
    expect([e.field, e.message, e.code, e.name]).toEqual(["baseline", "baseline: has no battles", "invalid_rating_input", "RatingInputError"]);
  });
});

describe("Elo anchoring and time order", () => {
  // One battle x beats y: both start at 1000, expected 0.5, K = 4, so x 1002 and y 998.
  const one = [{ modelA: "x", modelB: "y", outcome: 1 }];
  const cases: { name: string; opts: { baseline?: string; baselineRating?: number }; x: number; y: number }[] = [
    { name: "unanchored", opts: {}, x: 1002, y: 998 },
    { name: "mean pinned to a rating", opts: { baselineRating: 1500 }, x: 1502, y: 1498 },
    { name: "baseline at the default 1000", opts: { baseline: "y" }, x: 1004, y: 1000 },
    { name: "baseline at a given rating", opts: { baseline: "x", baselineRating: 0 }, x: 0, y: -4 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { models, ratings } = computeElo(one, tc.opts);
      expect(ratings[models.indexOf("x")]).toBeCloseTo(tc.x, 9);
      expect(ratings[models.indexOf("y")]).toBeCloseTo(tc.y, 9);
    });
  }
  it("bootstrap samples are anchored the same way in every round", () => {
    const cols = toColumns([...one, { modelA: "y", modelB: "z", outcome: 0 }]);
    const iy = cols.models.indexOf("y");
    const pinned = bootstrapElo(cols, { rounds: 6, rng: xoshiroRng(1), baselineIndex: iy, baselineRating: 1200 });
    const mean = bootstrapElo(cols, { rounds: 6, rng: xoshiroRng(1), baselineRating: 1500 });
    for (let r = 0; r < 6; r++) {
      expect(pinned.samples[r * 3 + iy]).toBeCloseTo(1200, 9);
      const row = Array.from(mean.samples.subarray(r * 3, r * 3 + 3));
      expect(row.reduce((s, x) => s + x, 0) / 3).toBeCloseTo(1500, 9);
    }
  });
  it("timeOrder sorts by tstamp when every battle has one, else keeps the given order", () => {
    const stamped = [3, 1, 2].map((t) => ({ modelA: "a", modelB: "b", outcome: 1, tstamp: t }));
    expect(timeOrder(stamped).map((b) => b.tstamp)).toEqual([1, 2, 3]);
    const partial = [{ ...stamped[0], tstamp: undefined }, stamped[1], stamped[2]].map((b) => ({ modelA: "a", modelB: "b", outcome: 1, tstamp: b?.tstamp }));
    expect(timeOrder(partial).map((b) => b.tstamp)).toEqual([undefined, 1, 2]);
  });
});
