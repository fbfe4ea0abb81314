// What a board knows: connected components of the comparison graph, ranks within a component by the
// interval rule, provisional flags, and row order; table-driven on the pure functions, then through
// every board builder (BT, Elo, style control, the counts path).
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { comparisonComponents, isProvisional, ranksWithinComponents, shapeBoard, type RatedModel } from "../../reports/board-shape.js";
import { computeLeaderboard, type Leaderboard } from "../../reports/leaderboard.js";
import { type CountRow, leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { xoshiroRng } from "../../lib/random.js";

describe("comparisonComponents", () => {
  const cases: { name: string; names: string[]; edges: [number, number][]; want: number[][] }[] = [
    { name: "no models", names: [], edges: [], want: [] },
    { name: "one model, no battles", names: ["a"], edges: [], want: [[0]] },
    { name: "a chain connects through others", names: ["a", "b", "c"], edges: [[0, 1], [1, 2]], want: [[0, 1, 2]] },
    { name: "two islands, larger first", names: ["a", "b", "c", "d", "e"], edges: [[3, 4], [0, 1], [1, 2]], want: [[0, 1, 2], [3, 4]] },
    { name: "equal sizes by first name", names: ["a", "b", "c", "d"], edges: [[2, 3], [0, 1]], want: [[0, 1], [2, 3]] },
    { name: "first name ignores index order", names: ["z", "y", "b", "a"], edges: [[0, 1], [2, 3]], want: [[2, 3], [0, 1]] },
    { name: "repeated edges and a loop back", names: ["a", "b", "c"], edges: [[2, 1], [1, 2], [0, 0]], want: [[1, 2], [0]] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = comparisonComponents(tc.names, tc.edges.map((e) => e[0]), tc.edges.map((e) => e[1]));
      expect(got.members).toEqual(tc.want);
      tc.want.forEach((list, c) => {
        for (const i of list) expect(got.componentOf[i]).toBe(c);
      });
    });
  }
});

describe("ranksWithinComponents", () => {
  const cases: { name: string; low: number[]; high: number[]; members: number[][]; want: number[] }[] = [
    // FastChat's rule: 1 + the number of models whose lower bound is above this one's upper bound.
    { name: "separated intervals", low: [1100, 1000, 900], high: [1150, 1050, 950], members: [[0, 1, 2]], want: [1, 2, 3] },
    { name: "overlap shares a rank", low: [1100, 1040, 900], high: [1150, 1120, 950], members: [[0, 1, 2]], want: [1, 1, 3] },
    { name: "a wide interval reaches the top", low: [1100, 1050, 1000, 700], high: [1150, 1090, 1040, 1300], members: [[0, 1, 2, 3]], want: [1, 2, 3, 1] },
    { name: "touching bounds overlap", low: [1000, 900], high: [1100, 1000], members: [[0, 1]], want: [1, 1] },
    { name: "each component ranks alone", low: [1100, 1000, 500, 400], high: [1150, 1050, 550, 450], members: [[0, 1], [2, 3]], want: [1, 2, 1, 2] },
  ];
  for (const tc of cases) it(tc.name, () => expect([...ranksWithinComponents(tc.low, tc.high, tc.members)]).toEqual(tc.want));
});

describe("isProvisional", () => {
  const cases = [
    { decisive: 0, min: 30, want: true },
    { decisive: 29, min: 30, want: true },
    { decisive: 30, min: 30, want: false },
    { decisive: 2, min: 0, want: false },
  ];
  for (const tc of cases) it(`${tc.decisive} decisive, minimum ${tc.min}`, () => expect(isProvisional(tc.decisive, tc.min)).toBe(tc.want));
});

describe("shapeBoard", () => {
  const row = (model: string, rating: number, ciLow: number, ciHigh: number, decisive = 100): RatedModel => ({ model, rating, ciLow, ciHigh, battles: decisive, decisive, winRate: 0.5 });
  it("orders rows by component, rank, then rating, so the rank column never goes down", () => {
    // By rating the ranks would read 1, 2, 3, 1 (the wide interval of "wide").
    const rows = [row("top", 1120, 1100, 1150), row("mid", 1070, 1050, 1090), row("low", 1020, 1000, 1040), row("wide", 1000, 700, 1300, 2), row("x", 900, 850, 950), row("y", 1100, 1050, 1150)];
    const board = shapeBoard(rows, [0, 1, 2, 4], [1, 2, 3, 5], 30);
    expect(board.connected).toBe(false);
    expect(board.components).toEqual([["top", "wide", "mid", "low"], ["y", "x"]]);
    expect(board.items.map((i) => [i.model, i.component, i.rank, i.provisional])).toEqual([
      ["top", 0, 1, false],
      ["wide", 0, 1, true],
      ["mid", 0, 2, false],
      ["low", 0, 3, false],
      ["y", 1, 1, false],
      ["x", 1, 2, false],
    ]);
  });
  it("a connected board says so", () => {
    const board = shapeBoard([row("a", 1000, 990, 1010), row("b", 1000, 990, 1010)], [0], [1]);
    expect(board).toMatchObject({ connected: true, components: [["a", "b"]] });
  });
});

/** Two arenas that never meet: {a, b, c} and {x, y}; "thin" has only two battles, against "c". */
function islands(seed: number): Battle[] {
  const rng = xoshiroRng(seed);
  const out: Battle[] = [];
  const fight = (modelA: string, modelB: string, pA: number, n: number) => {
    for (let k = 0; k < n; k++) out.push({ modelA, modelB, outcome: rng() < 0.1 ? 0.5 : rng() < pA ? 1 : 0, tstamp: out.length, styleA: style(rng), styleB: style(rng) });
  };
  fight("a", "b", 0.7, 200);
  fight("b", "c", 0.7, 200);
  fight("a", "c", 0.8, 200);
  fight("x", "y", 0.75, 150);
  out.push({ modelA: "thin", modelB: "c", outcome: 1, tstamp: out.length, styleA: style(rng), styleB: style(rng) });
  out.push({ modelA: "c", modelB: "thin", outcome: 0, tstamp: out.length, styleA: style(rng), styleB: style(rng) });
  return out;
}

function style(rng: () => number) {
  return { length: 100 + Math.floor(rng() * 400), headers: Math.floor(rng() * 3), listItems: Math.floor(rng() * 3), bold: Math.floor(rng() * 3) };
}

function toCounts(bs: readonly Battle[]): CountRow[] {
  return bs.map((b) => ({ modelA: b.modelA, modelB: b.modelB, outcome: b.outcome, count: 1 }));
}

function expectIslands(board: Leaderboard): void {
  expect(board.connected).toBe(false);
  expect(board.components.map((c) => [...c].sort())).toEqual([["a", "b", "c", "thin"], ["x", "y"]]);
  for (const item of board.items) {
    const same = board.items.filter((o) => o.component === item.component);
    expect(item.component).toBe(board.components.findIndex((c) => c.includes(item.model)));
    expect(item.rank).toBe(1 + same.filter((o) => o.ciLow > item.ciHigh).length);
  }
  // The second island's best model is ranked 1 in its own table, whatever its rating says across islands.
  expect(board.items.find((i) => i.component === 1)?.rank).toBe(1);
  const ranks = board.items.map((i) => [i.component, i.rank] as const);
  for (let k = 1; k < ranks.length; k++) {
    const [pc, pr] = ranks[k - 1] ?? [0, 0];
    const [c, r] = ranks[k] ?? [0, 0];
    expect(c > pc || (c === pc && r >= pr)).toBe(true);
  }
  expect(board.items.find((i) => i.model === "thin")).toMatchObject({ battles: 2, decisive: 2, provisional: true });
  expect(board.items.filter((i) => i.provisional).map((i) => i.model)).toEqual(["thin"]);
}

describe("boards report connectivity and thin samples", () => {
  const bs = islands(3);
  const builders: { name: string; build: (minBattles?: number) => Leaderboard }[] = [
    { name: "bt", build: (minBattles) => computeLeaderboard(bs, { method: "bt", bootstrap: 40, seed: 1, minBattles }) },
    { name: "elo", build: (minBattles) => computeLeaderboard(bs, { method: "elo", bootstrap: 40, seed: 1, minBattles }) },
    { name: "style control", build: (minBattles) => computeLeaderboard(bs, { method: "bt", styleControl: true, bootstrap: 20, seed: 1, minBattles }) },
    { name: "counts", build: (minBattles) => leaderboardFromCounts(toCounts(bs), { bootstrap: 40, seed: 1, minBattles }) },
  ];
  for (const b of builders) {
    it(`${b.name}: components, per-component ranks, provisional`, () => expectIslands(b.build()));
    it(`${b.name}: the minimum is configurable`, () => {
      expect(b.build(0).items.some((i) => i.provisional)).toBe(false);
      expect(b.build(1000).items.every((i) => i.provisional)).toBe(true);
    });
  }
  it("a connected log is connected", () => {
    const joined = [...bs, { modelA: "a", modelB: "x", outcome: 0.5 }];
    for (const board of [computeLeaderboard(joined, { method: "bt", bootstrap: 0 }), leaderboardFromCounts(toCounts(joined), { bootstrap: 0 })]) {
      expect(board.connected).toBe(true);
      expect(board.components).toHaveLength(1);
      expect(board.items.every((i) => i.component === 0)).toBe(true);
    }
  });
  it("ties count as battles but not as decisive ones", () => {
    const ties: Battle[] = Array.from({ length: 40 }, (_, k) => ({ modelA: "p", modelB: "q", outcome: k < 35 ? 0.5 : 1 }));
    const board = computeLeaderboard(ties, { method: "bt", bootstrap: 0 });
    expect(board.items.map((i) => [i.model, i.battles, i.decisive, i.provisional])).toEqual([
      ["p", 40, 5, true],
      ["q", 40, 5, true],
    ]);
    expect(leaderboardFromCounts(toCounts(ties), { bootstrap: 0 }).items.map((i) => i.decisive)).toEqual([5, 5]);
  });
  it("rejects a bad minimum", () => {
    expect(() => computeLeaderboard(bs, { method: "bt", minBattles: -1 })).toThrow(/minBattles/);
    expect(() => leaderboardFromCounts(toCounts(bs), { minBattles: 1.5 })).toThrow(/minBattles/);
  });
});
