/**
 * Scores against a baseline (reports/scores), table-driven against values computed by hand or with an
 * independent calculation (stated per case): the candidate's side of a judge's label, the win rate,
 * arena-hard's weighted rows, WildBench's reward (per category too), AlpacaEval's length feature, the
 * GLM and the difficulty fit (scipy.optimize.minimize BFGS on the same objectives, not this code).
 */
import { describe, expect, it } from "vitest";
import { xoshiroRng } from "../../lib/random.js";
import type { Battle } from "../../reports/battle-log.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { arenaHardRows, arenaHardScores } from "../../reports/scores/arena-hard.js";
import { computeScoreBoard, logBattlesAgainst, SCORE_NAMES, storedBattlesAgainst } from "../../reports/scores/index.js";
import { fitDifficulties, fitGlm, lcRate, lcScores, lengthFeatures } from "../../reports/scores/lc.js";
import { meanWithInterval } from "../../reports/scores/resample.js";
import { candidateVerdict } from "../../reports/scores/sides.js";
import type { BaselineBattle } from "../../reports/scores/types.js";
import { categoryRewards, wildBenchScores } from "../../reports/scores/wildbench.js";
import { winRateScores } from "../../reports/scores/winrate.js";

const rng = () => xoshiroRng(1);

describe("candidateVerdict: a label is relative to the positions shown", () => {
  const cases = [
    { label: "A>>B", order: "AB", isA: true, expected: "win_much" },
    { label: "A>>B", order: "AB", isA: false, expected: "lose_much" },
    { label: "A>>B", order: "BA", isA: true, expected: "lose_much" },
    { label: "A>>B", order: "BA", isA: false, expected: "win_much" },
    { label: "A>B", order: "BA", isA: false, expected: "win" },
    { label: "B>A", order: "AB", isA: true, expected: "lose" },
    { label: "B>>A", order: "BA", isA: true, expected: "win_much" },
    { label: "A=B", order: "BA", isA: true, expected: "tie" },
    { label: null, order: "AB", isA: true, expected: null },
    { label: "7", order: "AB", isA: true, expected: null },
  ] as const;
  it.each(cases)("$label in order $order, candidate is A: $isA -> $expected", ({ label, order, isA, expected }) => {
    expect(candidateVerdict(label, order, isA)).toBe(expected);
  });
});

describe("winrate: (wins + ties / 2) / battles", () => {
  const cases = [
    // 1 + 0.5 + 0 + 1 (0.75 is a win) = 2.5 of 4
    { outcomes: [1, 0.5, 0, 0.75], expected: 0.625 },
    { outcomes: [0.5, 0.5], expected: 0.5 },
    { outcomes: [0.4, 0.2, 1], expected: 1 / 3 },
  ];
  it.each(cases)("$outcomes -> $expected", ({ outcomes, expected }) => {
    const [item] = winRateScores(outcomes.map((outcome) => ({ model: "x", outcome })), 0, rng());
    expect(item?.score).toBeCloseTo(expected, 12);
    expect(item?.battles).toBe(outcomes.length);
  });
});

describe("arena-hard: strong verdicts count 3 rows, the mean is over both games", () => {
  const cases: { games: BaselineBattle["games"]; outcome: number; rows: number[] | null }[] = [
    { games: ["win_much", "win"], outcome: 1, rows: [1, 1, 1, 1] },
    { games: ["tie", "lose_much"], outcome: 0.25, rows: [0.5, 0, 0, 0] },
    { games: ["lose", "tie"], outcome: 0.375, rows: [0, 0.5] },
    { games: ["win", null], outcome: 0.75, rows: null },
    // outcome only: one plain game
    { games: undefined, outcome: 0.2, rows: [0] },
    { games: undefined, outcome: 1, rows: [1] },
    { games: undefined, outcome: 0.5, rows: [0.5] },
  ];
  it.each(cases)("$games / $outcome -> $rows", ({ games, outcome, rows }) => {
    expect(arenaHardRows({ model: "x", outcome, ...(games ? { games } : {}) })).toEqual(rows);
  });

  it("averages every row of the model's usable battles and drops a battle with an unparsable game", () => {
    const battles = cases.slice(0, 5).map((c) => ({ model: "x", outcome: c.outcome, ...(c.games ? { games: c.games } : {}) }));
    // rows 1,1,1,1 | 0.5,0,0,0 | 0,0.5 | (dropped) | 0 -> 4.5 + 0.5 = 5 over 11 rows
    const { items, dropped } = arenaHardScores(battles, 0, rng());
    expect(items[0]).toMatchObject({ model: "x", battles: 4, games: 11 });
    expect(items[0]?.score).toBeCloseTo(5 / 11, 12);
    expect(dropped).toBe(1);
  });
});

describe("wildbench: (win_much + win/2 - lose/2 - lose_much) / total, a missing judgment counting 0", () => {
  // counts: win_much 1, win 2, tie 1, lose 1, lose_much 0, missing 1 -> (1 + 1 - 0.5) / 6 = 0.25
  const battles: BaselineBattle[] = [
    { model: "x", outcome: 1, games: ["win_much", "win"], category: "math" },
    { model: "x", outcome: 0.4, games: ["tie", "lose"], category: "writing" },
    { model: "x", outcome: 0.75, games: [null, "win"], category: "math" },
  ];
  it("gives the reward over all games", () => {
    const [item] = wildBenchScores(battles, 0, rng());
    expect(item?.score).toBeCloseTo(0.25, 12);
    expect(item?.games).toBe(6);
  });
  it("and per task category: math (1 + 0.5 + 0 + 0.5) / 4 = 0.5, writing (0 - 0.5) / 2 = -0.25", () => {
    expect(categoryRewards(battles)).toEqual([
      { category: "math", score: 0.5, battles: 2 },
      { category: "writing", score: -0.25, battles: 1 },
    ]);
  });
  it("counts an outcome-only battle as one plain game: win 0.5, tie 0, loss -0.5", () => {
    const [item] = wildBenchScores([{ model: "y", outcome: 1 }, { model: "y", outcome: 0.5 }, { model: "y", outcome: 0 }, { model: "y", outcome: 1 }], 0, rng());
    // (0.5 + 0 - 0.5 + 0.5) / 4
    expect(item?.score).toBeCloseTo(0.125, 12);
  });
});

describe("lengthFeatures: tanh(delta / sample sd of the deltas)", () => {
  const cases = [
    // mean 0, sd sqrt(2): tanh(1/sqrt 2) = 0.6088593650139138 (python math.tanh)
    { deltas: [1, -1], expected: [0.6088593650139138, -0.6088593650139138] },
    // mean 4, sd 2: tanh(1), tanh(2), tanh(3)
    { deltas: [2, 4, 6], expected: [0.7615941559557649, 0.9640275800758169, 0.9950547536867305] },
    { deltas: [5], expected: [0] },
    { deltas: [3, 3], expected: [0, 0] },
  ];
  it.each(cases)("$deltas", ({ deltas, expected }) => {
    lengthFeatures(deltas).forEach((v, k) => expect(v).toBeCloseTo(expected[k] ?? Number.NaN, 12));
  });
});

describe("the LC GLM (reference: scipy BFGS on the same penalised loss)", () => {
  it("with no length or difficulty variation is the intercept-only fit: 4 sigma(t) - 3 + 0.1 t = 0", () => {
    const rows = { y: Float64Array.from([1, 1, 1, 0]), len: new Float64Array(4), diff: new Float64Array(4) };
    const w = fitGlm(rows);
    // bisection: t = 0.9728122941883011, sigma(t) = 0.7256796926452925
    expect(w[0]).toBeCloseTo(0.9728122941883011, 7);
    expect(w[1]).toBeCloseTo(0, 12);
    expect(lcRate(w, rows)).toBeCloseTo(0.7256796926452925, 7);
  });
  it("with the length term: deltas +-10, the longer three all won, the shorter one of three", () => {
    const deltas = [10, 10, 10, -10, -10, -10];
    const rows = { y: Float64Array.from([1, 1, 1, 1, 0, 0]), len: Float64Array.from(lengthFeatures(deltas)), diff: new Float64Array(6) };
    // tanh(10 / sd) = 0.7225073583091086; scipy: theta 1.03679429, phi 2.19177013, LC sigma(theta) = 0.7382309879629178
    expect(rows.len[0]).toBeCloseTo(0.7225073583091086, 12);
    const w = fitGlm(rows);
    expect(w[0]).toBeCloseTo(1.03679429, 5);
    expect(w[1]).toBeCloseTo(2.19177013, 5);
    expect(lcRate(w, rows)).toBeCloseTo(0.7382309879629178, 6);
  });
  it("fits instruction difficulties across models (logit p = a_m - d_i, ridges 0.01 and 1) when lengths are equal", () => {
    const r = (model: string, instruction: string, y: number) => ({ model, instruction, len: 0, y });
    const { difficulty, lengthSlope } = fitDifficulties([r("m1", "i1", 1), r("m1", "i2", 0), r("m2", "i1", 1), r("m2", "i2", 1), r("m1", "i1", 0.5)]);
    // scipy: d_i1 = -0.39008091, d_i2 = 0.35201019
    expect(difficulty.get("i1")).toBeCloseTo(-0.39008091, 5);
    expect(difficulty.get("i2")).toBeCloseTo(0.35201019, 5);
    expect(lengthSlope).toBe(0);
  });
  it("and with a pooled length slope (logit p = a_m + b * len - d_i, ridge 0.1 on b)", () => {
    const r = (model: string, instruction: string, len: number, y: number) => ({ model, instruction, len, y });
    const { difficulty, lengthSlope } = fitDifficulties([r("m1", "i1", 0.5, 1), r("m1", "i2", -0.5, 0), r("m2", "i1", 0.2, 1), r("m2", "i2", 0.8, 1), r("m1", "i1", -0.3, 0.5)]);
    // scipy BFGS: b = 2.10711109, d_i1 = -0.26488851, d_i2 = 0.23205963
    expect(lengthSlope).toBeCloseTo(2.10711109, 5);
    expect(difficulty.get("i1")).toBeCloseTo(-0.26488851, 5);
    expect(difficulty.get("i2")).toBeCloseTo(0.23205963, 5);
  });
  it("regularises a candidate's GLM toward the board: other candidates' rows at weight 0.2, with their own baseline term", () => {
    const rows = (v: [number, number, number][]) => ({ y: Float64Array.from(v, (x) => x[0]), len: Float64Array.from(v, (x) => x[1]), diff: Float64Array.from(v, (x) => x[2]) });
    const own = rows([[1, 0.6, 0.1], [0, -0.4, 0.3], [1, 0.9, -0.2], [0.5, 0.1, 0]]);
    const other = rows([[1, 0.8, 0], [0, -0.8, 0], [1, 0.3, 0.5], [0, -0.2, -0.5]]);
    const w = fitGlm(own, [other]);
    // scipy BFGS: theta -0.14369442, phi 2.99429398, psi 0.0263795, theta_other -0.05974868; LC 0.46446634220415983
    [-0.14369442, 2.99429398, 0.0263795, -0.05974868].forEach((v, k) => expect(w[k]).toBeCloseTo(v, 5));
    expect(lcRate(w, own)).toBeCloseTo(0.46446634220415983, 6);
  });
  it("says when no battle has lengths, and counts the battles left out", () => {
    const { items, withoutLengths } = lcScores([{ model: "x", outcome: 1 }, { model: "y", outcome: 1, lengths: { model: 10, baseline: 5 } }], 0, rng());
    expect(items.find((i) => i.model === "x")).toMatchObject({ score: null, note: "no battle carries answer lengths" });
    expect(items.find((i) => i.model === "y")?.score).toBeGreaterThan(0.5);
    expect(withoutLengths).toBe(1);
  });
});

describe("intervals: 5% and 95% bootstrap percentiles, seeded", () => {
  it("bracket the mean, are reproducible, and collapse without resampling", () => {
    const values = Array.from({ length: 200 }, (_, k) => (k % 3 === 0 ? 1 : 0));
    const a = meanWithInterval(values, 200, xoshiroRng(5));
    const b = meanWithInterval(values, 200, xoshiroRng(5));
    expect(a).toEqual(b);
    expect(a.score).toBeCloseTo(67 / 200, 12);
    expect(a.ciLow).toBeLessThan(a.score);
    expect(a.ciHigh).toBeGreaterThan(a.score);
    // binomial sd sqrt(p(1-p)/n) = 0.0334; a 90% interval is about +-1.645 sd = +-0.055
    expect(a.ciHigh - a.ciLow).toBeGreaterThan(0.07);
    expect(a.ciHigh - a.ciLow).toBeLessThan(0.15);
    expect(meanWithInterval(values, 0, xoshiroRng(5))).toMatchObject({ ciLow: a.score, ciHigh: a.score });
  });
});

describe("sides and the board", () => {
  it("turns a log's battles to the candidate's side, lengths included, and counts the rest", () => {
    const log: Battle[] = [
      { modelA: "base", modelB: "x", outcome: 0.25, styleA: { length: 10, headers: 0, listItems: 0, bold: 0 }, styleB: { length: 30, headers: 0, listItems: 0, bold: 0 } },
      { modelA: "x", modelB: "base", outcome: 1, category: "math" },
      { modelA: "x", modelB: "y", outcome: 1 },
    ];
    expect(logBattlesAgainst(log, "base")).toEqual({
      battles: [
        { model: "x", outcome: 0.75, lengths: { model: 30, baseline: 10 } },
        { model: "x", outcome: 1, category: "math" },
      ],
      notAgainstBaseline: 1,
    });
  });
  it("turns stored games to the candidate's side", () => {
    const { battles } = storedBattlesAgainst(
      [{ modelA: "base", modelB: "x", outcome: 0.25, instructionId: 7, category: "math", lengthA: 5, lengthB: 9, games: [{ order: "AB", verdict: "A>B" }, { order: "BA", verdict: "A>>B" }, { order: "BA", verdict: null }] }],
      "base",
    );
    expect(battles).toEqual([{ model: "x", outcome: 0.75, games: ["lose", "win_much", null], instruction: "7", category: "math", lengths: { model: 9, baseline: 5 } }]);
  });
  it("orders best first, names its definition, and refuses a baseline with no battles", () => {
    const battles: BaselineBattle[] = [{ model: "lo", outcome: 0 }, { model: "hi", outcome: 1 }, { model: "hi", outcome: 0.5 }];
    for (const score of SCORE_NAMES) {
      const board = computeScoreBoard(score, score === "lc" ? battles.map((b) => ({ ...b, lengths: { model: 1, baseline: 1 } })) : battles, 2, { baseline: "base", bootstrap: 20, seed: 0 });
      expect(board).toMatchObject({ score, baseline: "base", ciPercentiles: [0.05, 0.95], skipped: { notAgainstBaseline: 2 } });
      expect(board.definition.startsWith(`${score}:`)).toBe(true);
      expect(board.items.map((i) => i.model)).toEqual(["hi", "lo"]);
    }
    expect(() => computeScoreBoard("winrate", [], 3, { baseline: "base", bootstrap: 0, seed: 0 })).toThrow(RatingInputError);
  });
});
