// Boards for every tally method (newman, davidson, counting, average-win-rate, eigen, pagerank): the order a
// clear arena implies, seeded bootstrap intervals, the scale and definition, the share of ties, the tie
// parameter (and its recovery from Davidson-model data with a known ν), anchoring rules, and the counts path
// (what the service reads from battle_cells) giving the same board as the battle path.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { battleTieShare, computeLeaderboard, RATING_METHODS } from "../../reports/leaderboard.js";
import { type CountRow, leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { METHOD_SPECS, TALLY_METHODS } from "../../reports/methods/index.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";

const NAMES = ["top", "good", "mid", "low", "bottom"];
const LOG_STRENGTH = [1.5, 0.8, 0, -0.7, -1.6];

/** Battles drawn from the Davidson model with tie parameter `nu` (P(tie) = ν√(π_iπ_j)/D). */
function davidsonArena(n: number, nu: number, seed: number): Battle[] {
  const rng = xoshiroRng(seed);
  return Array.from({ length: n }, () => {
    const i = randomInt(rng, 5);
    const j = (i + 1 + randomInt(rng, 4)) % 5;
    const a = Math.exp(LOG_STRENGTH[i] ?? 0);
    const b = Math.exp(LOG_STRENGTH[j] ?? 0);
    const tie = nu * Math.sqrt(a * b);
    const u = rng() * (a + b + tie);
    return { modelA: NAMES[i] ?? "", modelB: NAMES[j] ?? "", outcome: u < a ? 1 : u < a + b ? 0 : 0.5 };
  });
}

function toCounts(bs: readonly Battle[]): CountRow[] {
  const m = new Map<string, CountRow>();
  for (const b of bs) {
    const key = `${b.modelA}|${b.modelB}|${b.outcome}`;
    const row = m.get(key) ?? { modelA: b.modelA, modelB: b.modelB, outcome: b.outcome, count: 0 };
    row.count++;
    m.set(key, row);
  }
  return [...m.values()];
}

const battles = davidsonArena(3000, 0.8, 7);
const SCALES = { newman: "elo", davidson: "elo", counting: "points", "average-win-rate": "share", eigen: "eigenvector", pagerank: "probability" } as const;

describe("tally-method boards", () => {
  it("every method is listed once, bt and elo first (the default stays bt)", () => {
    expect(RATING_METHODS).toEqual(["bt", "elo", ...TALLY_METHODS]);
    expect(new Set(RATING_METHODS).size).toBe(RATING_METHODS.length);
  });

  for (const method of TALLY_METHODS) {
    it(`${method}: the arena's order, intervals around the estimate, scale, definition, ties`, () => {
      const board = computeLeaderboard(battles, { method, bootstrap: 40, seed: 3 });
      expect(board.method).toBe(method);
      expect(board.items.map((i) => i.model)).toEqual(NAMES);
      expect(board.scale).toBe(SCALES[method]);
      expect(board.definition).toBe(METHOD_SPECS[method].definition);
      expect(board.ties).toBeCloseTo(battleTieShare(battles), 12);
      for (const item of board.items) {
        expect(item.ciLow).toBeLessThanOrEqual(item.rating + 1e-9);
        expect(item.ciHigh).toBeGreaterThanOrEqual(item.rating - 1e-9);
        expect(item.ciHigh).toBeGreaterThan(item.ciLow);
      }
      expect(board.items[0]?.rank).toBe(1);
      expect(board.items[4]?.rank).toBeGreaterThan(1);
      // Same seed, same board; another seed moves the intervals but not the point estimates.
      expect(computeLeaderboard(battles, { method, bootstrap: 40, seed: 3 })).toEqual(board);
      const other = computeLeaderboard(battles, { method, bootstrap: 40, seed: 4 });
      expect(other.items.map((i) => i.rating)).toEqual(board.items.map((i) => i.rating));
      expect(other.items.map((i) => i.ciLow)).not.toEqual(board.items.map((i) => i.ciLow));
      expect("tieParameter" in board).toBe(method === "newman" || method === "davidson");
    });

    it(`${method}: the counts path gives the same board as the battles`, () => {
      const opts = { bootstrap: 25, seed: 9 };
      expect(leaderboardFromCounts(toCounts(battles), { ...opts, method })).toEqual(computeLeaderboard(battles, { ...opts, method }));
    });
  }

  it("scales: pagerank sums to 1, eigen has unit length, average win rate is in [0, 1], counting sums to the battles", () => {
    const sum = (m: (typeof TALLY_METHODS)[number], f: (x: number) => number) => computeLeaderboard(battles, { method: m, bootstrap: 0 }).items.reduce((s, i) => s + f(i.rating), 0);
    expect(sum("pagerank", (x) => x)).toBeCloseTo(1, 9);
    expect(sum("eigen", (x) => x * x)).toBeCloseTo(1, 9);
    // Every battle hands out exactly one point (1 for a win, 0.5 + 0.5 for a tie).
    expect(sum("counting", (x) => x)).toBeCloseTo(battles.length, 9);
    for (const i of computeLeaderboard(battles, { method: "average-win-rate", bootstrap: 0 }).items) {
      expect(i.rating).toBeGreaterThanOrEqual(0);
      expect(i.rating).toBeLessThanOrEqual(1);
    }
  });

  it("davidson recovers the planted tie parameter; newman's ν is half of it; both intervals cover the estimate", () => {
    const big = davidsonArena(20_000, 0.8, 11);
    const d = computeLeaderboard(big, { method: "davidson", bootstrap: 60, seed: 1 }).tieParameter;
    const n = computeLeaderboard(big, { method: "newman", bootstrap: 60, seed: 1 }).tieParameter;
    expect(d?.value).toBeGreaterThan(0.75);
    expect(d?.value).toBeLessThan(0.85);
    expect(d?.ciLow ?? 1).toBeLessThan(0.8);
    expect(d?.ciHigh ?? 0).toBeGreaterThan(0.8);
    expect(n?.value ?? 0).toBeCloseTo((d?.value ?? 0) / 2, 2);
    for (const tp of [d, n]) {
      expect(tp?.ciLow ?? Infinity).toBeLessThanOrEqual(tp?.value ?? 0);
      expect(tp?.ciHigh ?? -Infinity).toBeGreaterThanOrEqual(tp?.value ?? 0);
    }
  });

  it("ties modelled or split: on the Elo scale davidson and newman are comparable with bt, and bt has no tie parameter", () => {
    const bt = computeLeaderboard(battles, { method: "bt", bootstrap: 0 });
    const dv = computeLeaderboard(battles, { method: "davidson", bootstrap: 0 });
    expect(bt.scale).toBe("elo");
    expect(bt.tieParameter).toBeUndefined();
    expect(bt.ties).toBeCloseTo(dv.ties ?? -1, 12);
    // Counting a tie as half a win shrinks BT's spread relative to the Davidson strengths, whose ties carry no win.
    const spread = (b: typeof bt) => (b.items[0]?.rating ?? 0) - (b.items[4]?.rating ?? 0);
    expect(spread(dv)).toBeGreaterThan(spread(bt));
  });

  // Degenerate logs: every number on the board stays finite (JSON has no NaN or Infinity) for every method.
  const degenerate: { name: string; battles: Battle[] }[] = [
    { name: "one battle", battles: [{ modelA: "a", modelB: "b", outcome: 1 }] },
    { name: "ties only", battles: Array.from({ length: 6 }, () => ({ modelA: "a", modelB: "b", outcome: 0.5 })) },
    { name: "no ties, one model beats all", battles: ["b", "c", "d"].flatMap((m) => [{ modelA: "a", modelB: m, outcome: 1 }, { modelA: m, modelB: "a", outcome: 0 }]) },
    { name: "soft outcomes only", battles: [{ modelA: "a", modelB: "b", outcome: 0.75 }, { modelA: "b", modelB: "c", outcome: 0.25 }, { modelA: "c", modelB: "a", outcome: 0.9 }] },
    { name: "two components", battles: [{ modelA: "a", modelB: "b", outcome: 1 }, { modelA: "c", modelB: "d", outcome: 0.5 }, { modelA: "d", modelB: "c", outcome: 1 }] },
    { name: "weighted battles", battles: [{ modelA: "a", modelB: "b", outcome: 1, weight: 2.5 }, { modelA: "b", modelB: "a", outcome: 0.5, weight: 0.25 }] },
  ];
  for (const tc of degenerate) {
    it(`finite numbers on a degenerate log: ${tc.name}`, () => {
      for (const method of TALLY_METHODS) {
        const board = computeLeaderboard(tc.battles, { method, bootstrap: 20, seed: 1 });
        const numbers = [board.ties ?? NaN, ...board.items.flatMap((i) => [i.rating, i.ciLow, i.ciHigh, i.winRate])];
        if (board.tieParameter) numbers.push(board.tieParameter.value, board.tieParameter.ciLow, board.tieParameter.ciHigh);
        expect(numbers.every(Number.isFinite), `${method}: ${JSON.stringify(board.items)}`).toBe(true);
        expect(JSON.parse(JSON.stringify(board))).toEqual(board);
      }
    });
  }

  it("anchoring: Elo-scale methods pin the baseline; other scales check it and refuse a baseline rating", () => {
    const pinned = computeLeaderboard(battles, { method: "newman", bootstrap: 0, baseline: "mid", baselineRating: 1200 });
    expect(pinned.items.find((i) => i.model === "mid")?.rating).toBeCloseTo(1200, 9);
    const mean = computeLeaderboard(battles, { method: "davidson", bootstrap: 0 }).items.reduce((s, i) => s + i.rating, 0) / 5;
    expect(mean).toBeCloseTo(1000, 9);
    const plain = computeLeaderboard(battles, { method: "counting", bootstrap: 0 });
    expect(computeLeaderboard(battles, { method: "counting", bootstrap: 0, baseline: "mid" }).items).toEqual(plain.items);
    const cases: { opts: Parameters<typeof computeLeaderboard>[1]; field: string }[] = [
      { opts: { method: "counting", baselineRating: 1200 }, field: "baselineRating" },
      { opts: { method: "pagerank", baseline: "omega" }, field: "baseline" },
      { opts: { method: "eigen", styleControl: true }, field: "styleControl" },
      { opts: { method: "glicko" as "bt" }, field: "method" },
    ];
    for (const tc of cases) {
      const err = (() => {
        try {
          computeLeaderboard(battles, tc.opts);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(RatingInputError);
      expect((err as RatingInputError).field).toBe(tc.field);
    }
  });
});
