// Hand-computed cases for the dense solver and the damped Newton minimiser behind the rating fits
// (reports/linalg.ts, reports/newton.ts), written to kill the mutants the rating suites leave alive.
import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskySolve } from "../../reports/linalg.js";
import { minimiseNewton, solveSpd } from "../../reports/newton.js";

/** Row-major n×n product A·x. */
function matVec(a: number[], x: number[]): number[] {
  const n = x.length;
  return x.map((_, i) => x.reduce((s, xj, j) => s + (a[i * n + j] ?? 0) * xj, 0));
}

const lower = (a: Float64Array, n: number): number[] => Array.from(a).map((v, k) => (k % n <= Math.floor(k / n) ? v : 0));

describe("choleskyInPlace", () => {
  const cases = [
    // Wikipedia "Cholesky decomposition", worked example: A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]].
    { name: "3×3 textbook example", n: 3, a: [4, 12, -16, 12, 37, -43, -16, -43, 98], l: [2, 0, 0, 6, 1, 0, -8, 5, 3] },
    // [[1, 1/2], [1/2, 1]]: l11 = 1, l21 = 1/2, l22 = sqrt(1 - 1/4) = sqrt(3)/2.
    { name: "2×2 with off-diagonal 1/2", n: 2, a: [1, 0.5, 0.5, 1], l: [1, 0, 0.5, Math.sqrt(3) / 2] },
    { name: "diagonal", n: 3, a: [9, 0, 0, 0, 4, 0, 0, 0, 1], l: [3, 0, 0, 0, 2, 0, 0, 0, 1] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const a = Float64Array.from(tc.a);
      expect(choleskyInPlace(a, tc.n)).toBe(true);
      lower(a, tc.n).forEach((v, k) => expect(v).toBeCloseTo(tc.l[k] ?? Number.NaN, 12));
    });
  }

  it("reads only the lower triangle", () => {
    // The textbook matrix with garbage above the diagonal factors to the same L.
    const a = Float64Array.from([4, 999, -999, 12, 37, 7, -16, -43, 98]);
    expect(choleskyInPlace(a, 3)).toBe(true);
    expect(lower(a, 3)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  const refused = [
    { name: "indefinite [[1,2],[2,1]] (eigenvalues 3, -1)", n: 2, a: [1, 2, 2, 1] },
    { name: "singular [[1,1],[1,1]] (pivot exactly 0)", n: 2, a: [1, 1, 1, 1] },
    { name: "negative first pivot", n: 2, a: [-1, 0, 0, 1] },
    { name: "negative last pivot", n: 3, a: [1, 0, 0, 0, 1, 0, 0, 0, -2] },
    { name: "NaN on the diagonal", n: 1, a: [Number.NaN] },
  ];
  for (const tc of refused) it(`refuses ${tc.name}`, () => expect(choleskyInPlace(Float64Array.from(tc.a), tc.n)).toBe(false));
});

describe("choleskySolve: A x = b through the factor", () => {
  const cases = [
    // b = A·[1, 2, 3] for the textbook matrix: [4+24-48, 12+74-129, -16-86+294] = [-20, -43, 192].
    { name: "textbook 3×3", n: 3, a: [4, 12, -16, 12, 37, -43, -16, -43, 98], x: [1, 2, 3] },
    { name: "2×2", n: 2, a: [2, 1, 1, 3], x: [-1, 4] },
    { name: "4×4 Laplacian plus identity", n: 4, a: [3, -1, -1, 0, -1, 2, 0, 0, -1, 0, 3, -1, 0, 0, -1, 2], x: [0.5, -2, 1, 7] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const b = matVec(tc.a, tc.x);
      const l = Float64Array.from(tc.a);
      expect(choleskyInPlace(l, tc.n)).toBe(true);
      const out = Float64Array.from(b);
      const got = choleskySolve(l, tc.n, out);
      expect(got).toBe(out);
      tc.x.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 10));
    });
  }
});

describe("solveSpd: a growing ridge (0, 1e-10, then ×100) when H is not positive definite", () => {
  const cases = [
    { name: "positive definite: no ridge", hess: [2, 1, 1, 3], grad: [1, 7], want: [-0.8, 2.6] },
    // -1 + ridge is positive from the ridge ~100 on (at ~1 it is -1e-16): s = 99 / (100 - 1) = 1.
    { name: "[[-1]] takes the ridge 100", hess: [-1], grad: [99], want: [1] },
    // 0 + 1e-10: the first non-zero ridge.
    { name: "[[0]] takes the ridge 1e-10", hess: [0], grad: [1e-10], want: [1] },
    // -5e7 needs the last ridge, ~1e8: s = 5e7 / 5e7.
    { name: "[[-5e7]] takes the last ridge 1e8", hess: [-5e7], grad: [5e7], want: [1] },
    { name: "[[-1e9]] is beyond every ridge: zero step", hess: [-1e9], grad: [3], want: [0] },
    // The ridge goes on every diagonal entry: -I + 100·I = 99·I.
    { name: "2×2 [[-1, 0], [0, -1]] takes the ridge 100 on both pivots", hess: [-1, 0, 0, -1], grad: [99, 198], want: [1, 2] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const hess = Float64Array.from(tc.hess);
      const grad = Float64Array.from(tc.grad);
      const got = solveSpd(hess, grad, tc.want.length);
      expect(got).toHaveLength(tc.want.length);
      tc.want.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 6));
      // The inputs are left as they were.
      expect(Array.from(hess)).toEqual(tc.hess);
      expect(Array.from(grad)).toEqual(tc.grad);
    });
  }
});

/** f(x) = ½ (x - m)ᵀ A (x - m) for a positive definite A: one Newton step lands on m. */
function quadratic(a: number[], m: number[]) {
  const n = m.length;
  const d = (x: Float64Array) => m.map((mi, i) => (x[i] ?? 0) - mi);
  return {
    dim: n,
    objective: (x: Float64Array) => {
      const dx = d(x);
      return 0.5 * dx.reduce((s, di, i) => s + di * (matVec(a, dx)[i] ?? 0), 0);
    },
    gradHess: (x: Float64Array, grad: Float64Array, hess: Float64Array) => {
      grad.set(matVec(a, d(x)));
      hess.set(a);
    },
  };
}

describe("minimiseNewton", () => {
  it("solves a quadratic in one step and stops on the next, which moves nothing", () => {
    const r = minimiseNewton(quadratic([2, 1, 1, 3], [1, -2]), new Float64Array(2), 1e-9, 50);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(2);
    expect(r.x[0]).toBeCloseTo(1, 12);
    expect(r.x[1]).toBeCloseTo(-2, 12);
  });

  it("a loose tolerance stops after the first step", () => {
    // The first step moves x by 3 (from 0 to 3); a tolerance above that stops at iteration 1.
    const r = minimiseNewton(quadratic([1], [3]), new Float64Array(1), 3.5, 50);
    expect(r).toMatchObject({ iterations: 1, converged: true });
    expect(r.x[0]).toBeCloseTo(3, 12);
  });

  it("does not change the starting vector", () => {
    const init = Float64Array.from([5, 5]);
    minimiseNewton(quadratic([2, 1, 1, 3], [1, -2]), init, 1e-9, 50);
    expect(Array.from(init)).toEqual([5, 5]);
  });

  // f(x) = sqrt(1 + x²): f'/f'' = x(1 + x²), so the full Newton step from x maps to -x³ and diverges
  // from |x| > 1. From 2: α = 1 -> -8 (f = √65), α = 1/2 -> -3 (√10), α = 1/4 -> -0.5 (√1.25 < √5), taken.
  const hyperbola = {
    dim: 1,
    objective: (x: Float64Array) => Math.sqrt(1 + (x[0] ?? 0) ** 2),
    gradHess: (x: Float64Array, grad: Float64Array, hess: Float64Array) => {
      const v = x[0] ?? 0;
      grad[0] = v / Math.sqrt(1 + v * v);
      hess[0] = (1 + v * v) ** -1.5;
    },
  };
  const hyperbolaCases = [
    { maxIter: 1, x: -0.5, converged: false, iterations: 1 },
    // Then the full step is accepted: -(-0.5)³ = 0.125, then -(0.125)³.
    { maxIter: 2, x: 0.125, converged: false, iterations: 2 },
    { maxIter: 3, x: -(0.125 ** 3), converged: false, iterations: 3 },
  ];
  for (const tc of hyperbolaCases) {
    it(`halves a diverging step: sqrt(1 + x²) from 2, ${tc.maxIter} iteration(s)`, () => {
      const r = minimiseNewton(hyperbola, Float64Array.from([2]), 1e-12, tc.maxIter);
      expect(r.x[0]).toBeCloseTo(tc.x, 12);
      expect(r).toMatchObject({ converged: tc.converged, iterations: tc.iterations });
    });
  }
  it("converges on sqrt(1 + x²) to 0", () => {
    const r = minimiseNewton(hyperbola, Float64Array.from([2]), 1e-12, 50);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] ?? 1)).toBeLessThan(1e-12);
  });

  it("stops when no step lowers the objective (a linear slope with zero curvature never halves enough)", () => {
    // f = |x| at its minimum 0 with gradient +1 and Hessian 0: the ridge 1e-10 makes the step 1e10, and
    // every trial α·1e10 (α down to 2^-39, still ≈ 0.018 away) raises f, so none is taken.
    const kink = {
      dim: 1,
      objective: (x: Float64Array) => Math.abs(x[0] ?? 0),
      gradHess: (_x: Float64Array, grad: Float64Array, hess: Float64Array) => {
        grad[0] = 1;
        hess[0] = 0;
      },
    };
    const r = minimiseNewton(kink, new Float64Array(1), 1e-9, 20);
    expect(r).toMatchObject({ converged: true, iterations: 1 });
    expect(r.x[0]).toBe(0);
  });

  it("applies project to the start and every trial", () => {
    // Minimise (x0 - 3)² / 2 + (x1 - 1)² / 2 while x1 is pinned to 0 by the projection.
    const seen: number[] = [];
    const problem = {
      ...quadratic([1, 0, 0, 1], [3, 1]),
      project: (x: Float64Array) => {
        seen.push(x[1] ?? 0);
        x[1] = 0;
      },
    };
    const r = minimiseNewton(problem, Float64Array.from([0, 5]), 1e-9, 50);
    expect(seen[0]).toBe(5);
    expect(r.converged).toBe(true);
    expect(Array.from(r.x).map((v) => Number(v.toFixed(9)))).toEqual([3, 0]);
  });

  it("halves at most 40 times: a descent that starts only at the 41st trial is not taken", () => {
    // Step +1 from 0 (gradient -1, Hessian 1); f rises for every trial α = 2^0 .. 2^-39 and falls only
    // from α = 2^-40 on, so no trial is taken, the point stays at 0 and the fit reports convergence.
    const ledge = {
      dim: 1,
      objective: (x: Float64Array) => ((x[0] ?? 0) > 0 && (x[0] ?? 0) <= 2 ** -40 ? -(x[0] ?? 0) : Math.abs(x[0] ?? 0)),
      gradHess: (_x: Float64Array, grad: Float64Array, hess: Float64Array) => {
        grad[0] = -1;
        hess[0] = 1;
      },
    };
    const r = minimiseNewton(ledge, new Float64Array(1), 1e-20, 5);
    expect(r).toMatchObject({ converged: true, iterations: 1 });
    expect(r.x[0]).toBe(0);
  });

  it("takes a step that leaves the objective unchanged (not increasing is enough)", () => {
    // A flat objective with a made-up gradient 1 and Hessian 1: each full step moves x by -1 at equal f.
    // f = 0, so the relative slack 1e-13·|f| is 0 and only `<=` accepts the step.
    const flat = {
      dim: 1,
      objective: () => 0,
      gradHess: (_x: Float64Array, grad: Float64Array, hess: Float64Array) => {
        grad[0] = 1;
        hess[0] = 1;
      },
    };
    const r = minimiseNewton(flat, new Float64Array(1), 1e-9, 3);
    expect(r).toMatchObject({ converged: false, iterations: 3 });
    expect(r.x[0]).toBe(-3);
  });

  it("reports maxIter and not converged when the budget runs out", () => {
    const r = minimiseNewton(hyperbola, Float64Array.from([2]), 0, 4);
    expect(r).toMatchObject({ iterations: 4, converged: false });
  });
});
