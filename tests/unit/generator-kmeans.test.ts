import { describe, expect, it } from "vitest";
import { kmeans, kmeansPlusPlus } from "../../src/generator/algorithms/kmeans.js";
import { mulberry32 } from "../../lib/random.js";

/** A generator that returns the given values in order (to drive k-means++ by hand). */
const script = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

/** Partition as a set of sorted member lists, independent of cluster labels. */
const partition = (assignments: number[]) => {
  const groups = new Map<number, number[]>();
  assignments.forEach((g, i) => groups.set(g, [...(groups.get(g) ?? []), i]));
  return [...groups.values()].map((g) => g.join(",")).sort();
};

describe("kmeansPlusPlus", () => {
  // Points 0, 1, 10, 11 on a line. After the first centre (index 0) the squared distances are
  // [0, 1, 100, 121] (total 222); a draw u picks the first index where the running sum exceeds 222u.
  const line = [[0], [1], [10], [11]];
  const cases = [
    { name: "u=0.5 lands in the last point's mass (111 > 0+1+100)", draws: [0, 0.5], want: [0, 3] },
    { name: "u=0.3 lands in point 10 (66.6 within 1..101)", draws: [0, 0.3], want: [0, 2] },
    { name: "u=0.001 lands in point 1 (0.222 within 0..1)", draws: [0, 0.001], want: [0, 1] },
    { name: "first centre is drawn uniformly (u=0.99 -> index 3)", draws: [0.99, 0], want: [3, 0] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(kmeansPlusPlus(line, 2, script(tc.draws))).toEqual(tc.want);
    });
  }

  it("draws uniformly among unchosen points when all remaining points coincide with a centre", () => {
    expect(kmeansPlusPlus([[5], [5], [5]], 3, script([0, 0.6, 0]))).toEqual([0, 2, 1]);
  });
});

describe("kmeans", () => {
  // Two blobs of three points; centroids (1/3, 1/3) and (31/3, 31/3); each point of a blob is at squared
  // distance 2/9, 5/9, 5/9 from its centroid, so the inertia is 2 * 12/9 = 8/3.
  const blobs = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]];
  for (const seed of [1, 2, 3, 42]) {
    it(`separates two blobs (seed ${seed})`, () => {
      const r = kmeans(blobs, 2, { random: mulberry32(seed) });
      expect(partition(r.assignments)).toEqual(["0,1,2", "3,4,5"]);
      const cs = [...r.centroids].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
      expect(cs[0]?.[0]).toBeCloseTo(1 / 3, 12);
      expect(cs[1]?.[1]).toBeCloseTo(31 / 3, 12);
      expect(r.inertia).toBeCloseTo(8 / 3, 12);
    });
  }

  const cases = [
    // k = 1: the centroid is the mean (2, 2); squared distances 4+4, 0, 4+4 -> 16.
    { name: "k=1 gives the mean", points: [[0, 0], [2, 2], [4, 4]], k: 1, centroid: [2, 2], inertia: 16 },
    { name: "k=n puts every point alone", points: [[0, 0], [2, 2], [4, 4]], k: 3, centroid: null, inertia: 0 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = kmeans(tc.points, tc.k, { random: mulberry32(7) });
      if (tc.centroid) expect(r.centroids[0]).toEqual(tc.centroid);
      expect(r.inertia).toBeCloseTo(tc.inertia, 12);
      expect(new Set(r.assignments).size).toBe(tc.k);
    });
  }

  it("keeps every cluster non-empty when points coincide", () => {
    const r = kmeans([[0], [0], [0], [1]], 3, { random: mulberry32(3) });
    expect(new Set(r.assignments)).toEqual(new Set([0, 1, 2]));
  });

  it("is reproducible for a seed", () => {
    const pts = Array.from({ length: 40 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.9), (i % 5) / 5]);
    const a = kmeans(pts, 4, { random: mulberry32(11) });
    const b = kmeans(pts, 4, { random: mulberry32(11) });
    expect(a).toEqual(b);
  });

  for (const k of [0, 4, 1.5]) {
    it(`rejects k=${k} for 3 points`, () => {
      expect(() => kmeans([[0], [1], [2]], k, { random: mulberry32(1) })).toThrow(RangeError);
    });
  }
});
