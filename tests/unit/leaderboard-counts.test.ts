/** The counts path (what the service reads from battle_cells) gives the same board as the battle path. */
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { BT_DEFINITION, computeLeaderboard } from "../../reports/leaderboard.js";
import { type CountRow, cellsFromCounts, leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { mulberry32 } from "../../lib/random.js";

function battles(n: number, soft: boolean, seed: number): Battle[] {
  const rnd = mulberry32(seed);
  const models = ["a", "b", "c", "d", "e"];
  const strength = [1.2, 0.6, 0.1, -0.3, -0.9];
  const out: Battle[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rnd() * 5);
    let j = Math.floor(rnd() * 4);
    if (j >= i) j++;
    const p = 1 / (1 + Math.exp(-((strength[i] ?? 0) - (strength[j] ?? 0))));
    const u = rnd();
    const outcome = soft ? Math.round(p * 4) / 4 : u < 0.1 ? 0.5 : u < 0.1 + 0.9 * p ? 1 : 0;
    out.push({ modelA: models[i] ?? "", modelB: models[j] ?? "", outcome });
  }
  return out;
}

function toCounts(bs: Battle[]): CountRow[] {
  const m = new Map<string, CountRow>();
  for (const b of bs) {
    const key = `${b.modelA}|${b.modelB}|${b.outcome}`;
    const row = m.get(key) ?? { modelA: b.modelA, modelB: b.modelB, outcome: b.outcome, count: 0 };
    row.count++;
    m.set(key, row);
  }
  return [...m.values()];
}

describe("leaderboardFromCounts", () => {
  const cases = [
    { name: "hard outcomes, no baseline", soft: false, baseline: undefined },
    { name: "soft outcomes", soft: true, baseline: undefined },
    { name: "hard outcomes, baseline c at 1200", soft: false, baseline: "c" },
  ];
  for (const tc of cases) {
    it(`equals computeLeaderboard: ${tc.name}`, () => {
      const bs = battles(3000, tc.soft, 42);
      const opts = { bootstrap: 40, seed: 7, baseline: tc.baseline, baselineRating: tc.baseline ? 1200 : undefined };
      const ref = computeLeaderboard(bs, { ...opts, method: "bt" });
      const got = leaderboardFromCounts(toCounts(bs), opts);
      expect(got.items.map((i) => i.model)).toEqual(ref.items.map((i) => i.model));
      got.items.forEach((item, k) => {
        const r = ref.items[k];
        for (const key of ["rating", "ciLow", "ciHigh", "winRate"] as const) expect(item[key]).toBeCloseTo(r?.[key] ?? Number.NaN, 6);
        expect(item.rank).toBe(r?.rank);
        expect(item.battles).toBe(r?.battles);
        expect([item.decisive, item.component, item.provisional]).toEqual([r?.decisive, r?.component, r?.provisional]);
      });
      if (tc.baseline) expect(got.items.find((i) => i.model === "c")?.rating).toBeCloseTo(1200, 9);
    });
  }
  it("merges both orientations of a pair into one canonical cell", () => {
    const { models, cells } = cellsFromCounts([
      { modelA: "y", modelB: "x", outcome: 1, count: 2 },
      { modelA: "x", modelB: "y", outcome: 0, count: 3 },
    ]);
    expect(models).toEqual(["x", "y"]);
    expect([...cells.cellOutcome]).toEqual([0]);
    expect([...cells.cellCount]).toEqual([5]);
    expect(cells.nBattles).toBe(5);
  });
  it("an empty table is an empty board", () => expect(leaderboardFromCounts([])).toEqual({ method: "bt", connected: true, components: [], items: [], scale: "elo", definition: BT_DEFINITION, ties: 0 }));
});
