// computeLeaderboard: the CONTRACT shape, sorting, the rank rule on real intervals, methods and options,
// errors, and the rank-correlation helpers.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { computeBradleyTerry } from "../../reports/bradley-terry.js";
import { computeElo } from "../../reports/elo.js";
import { BT_DEFINITION, computeLeaderboard, kendallTau, spearmanRho } from "../../reports/leaderboard.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";

function arena(n: number, seed: number): Battle[] {
  const rng = xoshiroRng(seed);
  const skill: Record<string, number> = { top: 1.5, good: 0.8, mid: 0, low: -0.7, bottom: -1.6 };
  const names = Object.keys(skill);
  return Array.from({ length: n }, (_, k) => {
    const i = randomInt(rng, 5);
    const j = (i + 1 + randomInt(rng, 4)) % 5;
    const a = names[i] ?? "top";
    const b = names[j] ?? "mid";
    const pA = 1 / (1 + Math.exp((skill[b] ?? 0) - (skill[a] ?? 0)));
    return { modelA: a, modelB: b, outcome: rng() < 0.1 ? 0.5 : rng() < pA ? 1 : 0, tstamp: k };
  });
}

const battles = arena(1500, 1);

describe("computeLeaderboard", () => {
  // Built inside each test (not at collection time), so coverage and mutation testing see the work.
  const btBoard = () => computeLeaderboard(battles, { method: "bt", bootstrap: 50, seed: 2 });

  it("has CONTRACT.md's item fields, sorted by rating, ranks by the interval rule", () => {
    const board = btBoard();
    expect(board.method).toBe("bt");
    expect(board.items.map((i) => i.model)).toEqual(["top", "good", "mid", "low", "bottom"]);
    for (const item of board.items) {
      expect(Object.keys(item).sort()).toEqual(["battles", "ciHigh", "ciLow", "component", "decisive", "model", "provisional", "rank", "rating", "winRate"]);
      expect(item.ciLow).toBeLessThan(item.rating);
      expect(item.ciHigh).toBeGreaterThan(item.rating);
      expect(item.rank).toBe(1 + board.items.filter((o) => o.ciLow > item.ciHigh).length);
    }
    expect(board.items.reduce((s, i) => s + i.battles, 0)).toBe(2 * battles.length);
    expect(board.items.reduce((s, i) => s + i.rating, 0) / 5).toBeCloseTo(1000, 9);
  });

  it("rates like computeBradleyTerry / computeElo", () => {
    const bt = computeBradleyTerry(battles);
    const elo = computeElo(battles);
    const eloBoard = computeLeaderboard(battles, { method: "elo", bootstrap: 0 });
    for (const item of btBoard().items) expect(item.rating).toBeCloseTo(bt.ratings[bt.models.indexOf(item.model)] ?? 0, 9);
    for (const item of eloBoard.items) expect(item.rating).toBeCloseTo(elo.ratings[elo.models.indexOf(item.model)] ?? 0, 9);
    expect(eloBoard.method).toBe("elo");
  });

  it("elo bootstrap gives intervals and the same rank rule", () => {
    const eloBoard = computeLeaderboard(battles, { method: "elo", bootstrap: 20, seed: 4 });
    for (const item of eloBoard.items) {
      expect(item.ciHigh).toBeGreaterThan(item.ciLow);
      expect(item.rank).toBe(1 + eloBoard.items.filter((o) => o.ciLow > item.ciHigh).length);
    }
  });

  it("without bootstrap, intervals collapse to the rating and ranks follow the ratings", () => {
    const flat = computeLeaderboard(battles, { method: "bt", bootstrap: 0 });
    expect(flat.items.map((i) => [i.ciLow, i.ciHigh])).toEqual(flat.items.map((i) => [i.rating, i.rating]));
    expect(flat.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it("anchors a baseline", () => {
    const pinned = computeLeaderboard(battles, { method: "bt", bootstrap: 10, baseline: "mid", baselineRating: 1114 });
    expect(pinned.items.find((i) => i.model === "mid")?.rating).toBeCloseTo(1114, 9);
  });

  it("is empty for no battles", () => {
    expect(computeLeaderboard([], { method: "bt" })).toEqual({ method: "bt", connected: true, components: [], items: [], scale: "elo", definition: BT_DEFINITION, ties: 0 });
  });

  const errors: { name: string; opts: Parameters<typeof computeLeaderboard>[1]; field: string }[] = [
    { name: "unknown baseline", opts: { method: "bt", baseline: "nobody" }, field: "baseline" },
    { name: "negative bootstrap", opts: { method: "bt", bootstrap: -1 }, field: "bootstrap" },
    { name: "style control with elo", opts: { method: "elo", styleControl: true }, field: "styleControl" },
    { name: "style control without style counts", opts: { method: "bt", styleControl: true }, field: "styleControl" },
  ];
  it.each(errors)("throws RatingInputError for $name", ({ opts, field }) => {
    let caught: unknown;
    try {
      computeLeaderboard(battles, opts);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RatingInputError);
    expect((caught as RatingInputError).field).toBe(field);
  });
});

describe("rank correlations", () => {
  const cases = [
    { a: ["a", "b", "c", "d"], b: ["a", "b", "c", "d"], tau: 1, rho: 1 },
    { a: ["a", "b", "c", "d"], b: ["d", "c", "b", "a"], tau: -1, rho: -1 },
    // One discordant pair of six: (5 - 1)/6; d = (1, 1, 0, 0): 1 - 6·2/(4·15).
    { a: ["a", "b", "c", "d"], b: ["b", "a", "c", "d"], tau: 2 / 3, rho: 0.8 },
    // Shared models only: x and y are ignored.
    { a: ["a", "x", "b", "c"], b: ["c", "a", "b", "y"], tau: -1 / 3, rho: -0.5 },
  ];
  it.each(cases)("$a vs $b", ({ a, b, tau, rho }) => {
    expect(kendallTau(a, b)).toBeCloseTo(tau, 12);
    expect(spearmanRho(a, b)).toBeCloseTo(rho, 12);
  });

  it("recovers the planted order from a bootstrapped board", () => {
    const order = computeLeaderboard(battles, { method: "bt", bootstrap: 0 }).items.map((i) => i.model);
    expect(kendallTau(order, ["top", "good", "mid", "low", "bottom"])).toBe(1);
  });
});
