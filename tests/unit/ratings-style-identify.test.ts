// Style identification (1 - R² of each feature on the model contrasts and other features) against
// hand-computed values, and the board's style summary: planted-coefficient recovery with bootstrap
// intervals, and "not identified" (no numbers) when each model writes in one fixed style.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { computeLeaderboard } from "../../reports/leaderboard.js";
import { styleRows, type StyleRows } from "../../reports/style-control.js";
import { STYLE_FEATURES, type StyleCounts } from "../../reports/style-features.js";
import { identifyStyle, MIN_FREE_VARIATION } from "../../reports/style-identify.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";

/** Two models, rows m1-vs-m0 (a = 1) or m0-vs-m1 (a = 0); only the length feature is set. */
function twoModelRows(aIsM1: boolean[], length: number[]): StyleRows {
  const n = length.length;
  const x = new Float64Array(n * STYLE_FEATURES.length);
  length.forEach((v, r) => (x[r * STYLE_FEATURES.length] = v));
  return {
    models: ["m0", "m1"],
    a: Int32Array.from(aIsM1.map((v) => (v ? 1 : 0))),
    b: Int32Array.from(aIsM1.map((v) => (v ? 0 : 1))),
    y: new Float64Array(n).fill(1),
    w: new Float64Array(n).fill(1),
    x,
  };
}

describe("identifyStyle: free share of the length feature", () => {
  // The m1 contrast column c is +1 / -1; with one other column, free = 1 - (Σcx)² / (Σc² Σx²).
  const cases = [
    { name: "length = model contrast", a: [true, true, false, false], x: [1, 1, -1, -1], free: 0 },
    { name: "orthogonal to the contrast", a: [true, true, false, false], x: [1, -1, 1, -1], free: 1 },
    { name: "half explained", a: [true, true, false, false], x: [1, 0, 0, -1], free: 0.5 },
    { name: "a ninth explained", a: [true, false, true], x: [1, 1, -1], free: 1 - 1 / 9 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const [length, ...others] = identifyStyle(twoModelRows(tc.a, tc.x));
      expect(length?.free).toBeCloseTo(tc.free, 9);
      expect(length?.identified).toBe(tc.free >= MIN_FREE_VARIATION);
      if (!length?.identified) expect(length?.reason).toMatch(/collinear with model identity/);
      // The other features are all zero: never differing, so never identified.
      for (const o of others) expect(o).toMatchObject({ identified: false, free: 0, reason: expect.stringMatching(/never differs/) });
    });
  }
});

/** Three equal models; each answer's style varies on its own; judges reward length by `gamma`. */
function plantedBattles(n: number, seed: number, gamma: number, fixedStyle: boolean): Battle[] {
  const rng = xoshiroRng(seed);
  const models = ["a", "b", "c"];
  const habit: Record<string, StyleCounts> = {
    a: { length: 300, headers: 0, listItems: 0, bold: 0 },
    b: { length: 600, headers: 2, listItems: 4, bold: 1 },
    c: { length: 900, headers: 4, listItems: 8, bold: 3 },
  };
  const style = (m: string): StyleCounts => {
    const h = habit[m] ?? { length: 1, headers: 0, listItems: 0, bold: 0 };
    if (fixedStyle) return h;
    return { length: h.length + randomInt(rng, 600), headers: randomInt(rng, 5), listItems: randomInt(rng, 9), bold: randomInt(rng, 4) };
  };
  const battles: Battle[] = [];
  for (let k = 0; k < n; k++) {
    const i = randomInt(rng, 3);
    const j = (i + 1 + randomInt(rng, 2)) % 3;
    const styleA = style(models[i] ?? "a");
    const styleB = style(models[j] ?? "b");
    const lengthFeature = (styleA.length - styleB.length) / (styleA.length + styleB.length + 1);
    const outcome = rng() < 1 / (1 + Math.exp(-gamma * lengthFeature)) ? 1 : 0;
    battles.push({ modelA: models[i] ?? "a", modelB: models[j] ?? "b", outcome, styleA, styleB });
  }
  return battles;
}

/** Population sd of the raw length feature, to turn the planted per-unit γ into β per sd. */
function lengthSd(battles: Battle[]): number {
  const xs = battles.map((b) => ((b.styleA?.length ?? 0) - (b.styleB?.length ?? 0)) / ((b.styleA?.length ?? 0) + (b.styleB?.length ?? 0) + 1));
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
}

describe("style summary on the board", () => {
  it.each([
    { gamma: 3, seed: 5 },
    { gamma: 0, seed: 6 },
    { gamma: -2, seed: 7 },
  ])("recovers a planted length coefficient γ = $gamma inside its 95% interval", ({ gamma, seed }) => {
    const battles = plantedBattles(6000, seed, gamma, false);
    const board = computeLeaderboard(battles, { method: "bt", styleControl: true, bootstrap: 100, seed: 1 });
    const style = board.style;
    expect(style?.identified).toBe(true);
    expect(style?.reason).toBeUndefined();
    const length = style?.estimates.find((e) => e.feature === "length");
    const planted = gamma * lengthSd(battles);
    expect(length?.ciLow ?? Number.NaN).toBeLessThan(planted);
    expect(length?.ciHigh ?? Number.NaN).toBeGreaterThan(planted);
    expect((length?.ciHigh ?? 0) - (length?.ciLow ?? 0)).toBeLessThan(0.3);
    // Judges ignore markdown: those intervals cover 0.
    for (const e of style?.estimates.filter((x) => x.feature !== "length") ?? []) {
      expect(e.ciLow ?? Number.NaN).toBeLessThan(0);
      expect(e.ciHigh ?? Number.NaN).toBeGreaterThan(0);
    }
    expect(style?.coefficients.length).toBe(length?.estimate);
  });

  it("reports style control as not identified, without numbers, when each model has one fixed style", () => {
    const board = computeLeaderboard(plantedBattles(3000, 8, 3, true), { method: "bt", styleControl: true, bootstrap: 20 });
    const style = board.style;
    expect(style?.identified).toBe(false);
    expect(style?.reason).toMatch(/collinear with model identity/);
    for (const e of style?.estimates ?? []) expect(e).toMatchObject({ identified: false, estimate: null, ciLow: null, ciHigh: null });
    expect(style?.coefficients).toEqual({});
  });

  it("gives point intervals without bootstrap", () => {
    const { rows } = styleRows(plantedBattles(500, 9, 1, false));
    expect(rows.y.length).toBe(500);
    const board = computeLeaderboard(plantedBattles(500, 9, 1, false), { method: "bt", styleControl: true, bootstrap: 0 });
    for (const e of board.style?.estimates ?? []) expect([e.ciLow, e.ciHigh]).toEqual([e.estimate, e.estimate]);
  });
});
