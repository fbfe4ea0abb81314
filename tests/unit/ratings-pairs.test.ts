// Aggregation into (pair, outcome, weight) cells and pair totals, checked against direct per-pair sums,
// plus the bootstrap's chord refit against a full Newton fit on the same resample.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { fitBradleyTerry, hessianFactor, refitBradleyTerry } from "../../reports/bradley-terry.js";
import { sampleMultinomial } from "../../reports/binomial.js";
import { aggregateCells, pairTotals, toColumns } from "../../reports/pair-counts.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";

describe("aggregateCells", () => {
  it("builds sorted models, canonical pairs and cells with counts (hand-built case)", () => {
    const battles: Battle[] = [
      { modelA: "b", modelB: "a", outcome: 1 }, // a-b, a's share 0
      { modelA: "a", modelB: "b", outcome: 0 }, // a-b, 0
      { modelA: "a", modelB: "b", outcome: 0.5 }, // a-b, 0.5
      { modelA: "c", modelB: "a", outcome: 0.3 }, // a-c, a's share 0.7 (soft path)
      { modelA: "a", modelB: "c", outcome: 1, weight: 2 }, // a-c, 1 at weight 2 (weighted path)
      { modelA: "a", modelB: "c", outcome: 1 }, // a-c, 1
    ];
    const cols = toColumns(battles);
    expect(cols.models).toEqual(["a", "b", "c"]);
    const cells = aggregateCells(cols);
    expect(cells.nBattles).toBe(6);
    expect(Array.from(cells.pairI)).toEqual([0, 0]);
    expect(Array.from(cells.pairJ)).toEqual([1, 2]);
    expect(Array.from(cells.cellPair)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(cells.cellOutcome)).toEqual([0, 0.5, 1 - 0.3, 1, 1]);
    expect(Array.from(cells.cellWeight)).toEqual([1, 1, 1, 1, 2]);
    expect(Array.from(cells.cellCount)).toEqual([2, 1, 1, 1, 1]);
    const totals = pairTotals(cells);
    // a-b: 3 battles, a won 0 + 0 + 0.5; a-c: 1 + 1 + 2 weight, a won 0.7 + 1 + 2.
    expect(Array.from(totals.total)).toEqual([3, 4]);
    expect(Array.from(totals.winsI)).toEqual([0.5, 3.7]);
  });

  it("matches direct per-pair sums on random data, including a >1000-model arena (Map path)", () => {
    for (const nModels of [7, 1100]) {
      const rng = xoshiroRng(nModels);
      const battles: Battle[] = Array.from({ length: 3000 }, () => {
        const i = randomInt(rng, nModels);
        const j = (i + 1 + randomInt(rng, nModels - 1)) % nModels;
        const outcome = [0, 0.5, 1, 0.8][randomInt(rng, 4)] ?? 1;
        const battle: Battle = { modelA: `m${i}`, modelB: `m${j}`, outcome };
        if (rng() < 0.1) battle.weight = 3;
        return battle;
      });
      const direct = new Map<string, { total: number; wins: number }>();
      for (const b of battles) {
        const [lo, hi, share] = b.modelA < b.modelB ? [b.modelA, b.modelB, b.outcome] : [b.modelB, b.modelA, 1 - b.outcome];
        const cell = direct.get(`${lo}|${hi}`) ?? { total: 0, wins: 0 };
        cell.total += b.weight ?? 1;
        cell.wins += (b.weight ?? 1) * share;
        direct.set(`${lo}|${hi}`, cell);
      }
      const cols = toColumns(battles);
      const totals = pairTotals(aggregateCells(cols));
      expect(totals.total.length).toBe(direct.size);
      for (let p = 0; p < totals.total.length; p++) {
        const key = `${cols.models[totals.pairI[p] ?? 0]}|${cols.models[totals.pairJ[p] ?? 0]}`;
        expect(totals.total[p]).toBeCloseTo(direct.get(key)?.total ?? Number.NaN, 9);
        expect(totals.winsI[p]).toBeCloseTo(direct.get(key)?.wins ?? Number.NaN, 9);
      }
    }
  });
});

it("the bootstrap's chord refit lands on the Newton optimum of each resample", () => {
  const rng = xoshiroRng(12);
  const skill = [0.9, 0.3, 0, -0.4, -1.1, 0.5];
  const battles: Battle[] = Array.from({ length: 2000 }, () => {
    const i = randomInt(rng, 6);
    const j = (i + 1 + randomInt(rng, 5)) % 6;
    const p = 1 / (1 + Math.exp((skill[j] ?? 0) - (skill[i] ?? 0)));
    return { modelA: `m${i}`, modelB: `m${j}`, outcome: rng() < 0.1 ? 0.5 : rng() < p ? 1 : 0 };
  });
  const cells = aggregateCells(toColumns(battles));
  const full = pairTotals(cells);
  const fit = fitBradleyTerry(full);
  const factor = hessianFactor(full, fit.theta);
  expect(factor).not.toBeNull();
  for (let r = 0; r < 10; r++) {
    const resample = pairTotals(cells, sampleMultinomial(cells.nBattles, cells.cellCount, rng));
    const chord = refitBradleyTerry(resample, factor ?? new Float64Array(0), fit.theta);
    const newton = fitBradleyTerry(resample);
    expect(chord.converged).toBe(true);
    for (let i = 0; i < 6; i++) expect(chord.theta[i]).toBeCloseTo(newton.theta[i] ?? Number.NaN, 8);
  }
});
