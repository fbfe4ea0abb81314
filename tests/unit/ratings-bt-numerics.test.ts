// Bradley-Terry numerics that results alone do not show: the objective's value (prior term, overflow-safe
// softplus), the gradient for strengths beyond e^300, and Newton's quadratic convergence (a wrong Hessian
// still reaches the optimum, only slowly).
import { describe, expect, it } from "vitest";
import { btGradient, btObjective, fitBradleyTerry } from "../../reports/bradley-terry.js";
import { aggregateCells, pairTotals, type PairTotals, toColumns } from "../../reports/pair-counts.js";
import { xoshiroRng } from "../../lib/random.js";

const onePair = (winsI: number, total: number): PairTotals => ({ nModels: 2, pairI: Int32Array.from([0]), pairJ: Int32Array.from([1]), total: Float64Array.from([total]), winsI: Float64Array.from([winsI]) });

describe("btObjective", () => {
  const cases: { name: string; pairs: PairTotals; theta: number[]; prior: number; want: number }[] = [
    { name: "even start: ln 2 per battle", pairs: onePair(1, 1), theta: [0, 0], prior: 0, want: Math.log(2) },
    { name: "prior adds (λ/2)·Σθ²", pairs: onePair(1, 1), theta: [1, 0], prior: 2, want: Math.log1p(Math.exp(-1)) + 1 },
    { name: "a tie at d = 800 stays finite (softplus without overflow)", pairs: onePair(0.5, 1), theta: [800, 0], prior: 0, want: 400 },
    { name: "the same with the sides reversed", pairs: onePair(0.5, 1), theta: [0, 800], prior: 0, want: 400 },
  ];
  for (const tc of cases) it(tc.name, () => expect(btObjective(tc.pairs, Float64Array.from(tc.theta), tc.prior)).toBeCloseTo(tc.want, 9));
});

describe("btGradient beyond e^300", () => {
  it("stays finite and right when the strengths would overflow", () => {
    // d = 400: P(i beats j) = 1 to double precision, so the gradient of the losses' term is the losses.
    const grad = new Float64Array(2);
    btGradient(onePair(0.5, 1), Float64Array.from([400, 0]), 0, grad);
    expect(Array.from(grad).every(Number.isFinite)).toBe(true);
    expect(grad[0]).toBeCloseTo(0.5, 9);
    expect(grad[1]).toBeCloseTo(-0.5, 9);
  });
});

describe("Newton converges quadratically", () => {
  it("reaches 1e-10 in a handful of steps on a random 6-model arena", () => {
    const rng = xoshiroRng(9);
    const names = ["a", "b", "c", "d", "e", "f"];
    const battles = Array.from({ length: 600 }, () => {
      const i = Math.floor(rng() * 6);
      const j = (i + 1 + Math.floor(rng() * 5)) % 6;
      return { modelA: names[i] ?? "", modelB: names[j] ?? "", outcome: rng() < 0.3 + 0.1 * i ? 1 : 0 };
    });
    const fit = fitBradleyTerry(pairTotals(aggregateCells(toColumns(battles))));
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThanOrEqual(8);
  });
});
