// Online Elo: a hand-computed 3-battle sequence in two orders, time ordering by tstamp, weights, anchoring,
// and the seeded bootstrap.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { bootstrapElo, computeElo, timeOrder } from "../../reports/elo.js";
import { toColumns } from "../../reports/pair-counts.js";
import { xoshiroRng } from "../../lib/random.js";

function byModel(result: { models: string[]; ratings: Float64Array }): Record<string, number> {
  return Object.fromEntries(result.models.map((m, i) => [m, result.ratings[i] ?? Number.NaN]));
}

// Hand computation, K = 4, E(a, b) = 1 / (1 + 10^((Rb - Ra)/400)):
// order 1: A-B, A wins: E = 0.5, step 2 -> A 1002, B 998.
//          B-C, B wins: E_B = 1/(1 + 10^(2/400)) = 0.4971218, step 4·0.5028782 = 2.0115128 -> B 1000.0115128, C 997.9884872.
//          C-A, tie:    E_C = 1/(1 + 10^(4.0115128/400)) = 0.4942272, step 4·0.0057728 = 0.0230911 -> C 998.0115783, A 1001.9769089.
// order 2: C-A, tie: E = 0.5, no change. B-C, B wins: step 2 -> B 1002, C 998.
//          A-B, A wins: E_A = 1/(1 + 10^(2/400)) = 0.4971218, step 2.0115128 -> A 1002.0115128, B 999.9884872.
const cases: { name: string; battles: Battle[]; expected: Record<string, number> }[] = [
  {
    name: "A>B, B>C, C=A",
    battles: [
      { modelA: "A", modelB: "B", outcome: 1 },
      { modelA: "B", modelB: "C", outcome: 1 },
      { modelA: "C", modelB: "A", outcome: 0.5 },
    ],
    expected: { A: 1001.9769089, B: 1000.0115128, C: 998.0115783 },
  },
  {
    name: "C=A, B>C, A>B (same battles, other order)",
    battles: [
      { modelA: "C", modelB: "A", outcome: 0.5 },
      { modelA: "B", modelB: "C", outcome: 1 },
      { modelA: "A", modelB: "B", outcome: 1 },
    ],
    expected: { A: 1002.0115128, B: 999.9884872, C: 998 },
  },
  {
    name: "order from tstamp, not from the file",
    battles: [
      { modelA: "A", modelB: "B", outcome: 1, tstamp: 30 },
      { modelA: "B", modelB: "C", outcome: 1, tstamp: 20 },
      { modelA: "C", modelB: "A", outcome: 0.5, tstamp: 10 },
    ],
    expected: { A: 1002.0115128, B: 999.9884872, C: 998 },
  },
  {
    name: "weight 2 doubles the step; a soft outcome is used as is",
    battles: [
      { modelA: "A", modelB: "B", outcome: 1, weight: 2 },
      { modelA: "B", modelB: "C", outcome: 0.75 },
    ],
    // A-B: step 2·4·0.5 = 4 -> A 1004, B 996. B-C: E_B = 1/(1 + 10^(4/400)) = 0.4942438, step 4·(0.75 - 0.4942438) = 1.0230248.
    expected: { A: 1004, B: 997.0230248, C: 998.9769752 },
  },
];

describe("computeElo", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const got = byModel(computeElo(tc.battles));
      for (const [m, r] of Object.entries(tc.expected)) expect(got[m]).toBeCloseTo(r, 6);
    });
  }

  it("anchors a baseline without changing gaps", () => {
    const battles = cases[0]?.battles ?? [];
    const got = byModel(computeElo(battles, { baseline: "B", baselineRating: 1200 }));
    expect(got.B).toBeCloseTo(1200, 9);
    expect((got.A ?? 0) - (got.C ?? 0)).toBeCloseTo(1001.9769089 - 998.0115783, 5);
  });

  it("keeps file order when some battles lack a timestamp", () => {
    const battles: Battle[] = [
      { modelA: "A", modelB: "B", outcome: 1, tstamp: 5 },
      { modelA: "B", modelB: "C", outcome: 1 },
    ];
    expect(timeOrder(battles)).toEqual(battles);
  });
});

describe("bootstrapElo", () => {
  const rng = xoshiroRng(2);
  const battles: Battle[] = Array.from({ length: 200 }, () => {
    const a = rng() < 0.5;
    return { modelA: a ? "A" : "B", modelB: a ? "B" : "A", outcome: rng() < (a ? 0.7 : 0.3) ? 1 : 0 };
  });
  const cols = toColumns(battles);

  it("is deterministic for a seed and differs across seeds", () => {
    const one = bootstrapElo(cols, { rounds: 10, rng: xoshiroRng(9) });
    const again = bootstrapElo(cols, { rounds: 10, rng: xoshiroRng(9) });
    const other = bootstrapElo(cols, { rounds: 10, rng: xoshiroRng(10) });
    expect(Array.from(again.samples)).toEqual(Array.from(one.samples));
    expect(Array.from(other.samples)).not.toEqual(Array.from(one.samples));
  });

  it("keeps every resample zero-sum around 1000 and favours the stronger model", () => {
    const boot = bootstrapElo(cols, { rounds: 20, rng: xoshiroRng(1) });
    const a = cols.models.indexOf("A");
    for (let r = 0; r < 20; r++) {
      const ra = boot.samples[r * 2 + a] ?? 0;
      const rb = boot.samples[r * 2 + (1 - a)] ?? 0;
      expect((ra + rb) / 2).toBeCloseTo(1000, 9);
      expect(ra).toBeGreaterThan(rb);
    }
  });
});
