/**
 * Damped Newton minimisation for the smooth convex objectives of the rating fits (Bradley-Terry and
 * style-controlled BT). Each step solves H s = g by Cholesky and is halved until the objective does not
 * increase, so the iteration cannot diverge; near the optimum it converges quadratically.
 */
import { choleskyInPlace, choleskySolve } from "./linalg.js";

export interface NewtonProblem {
  dim: number;
  objective: (x: Float64Array) => number;
  /** Writes the gradient into `grad` and the dense Hessian (dim×dim, row-major) into `hess`. */
  gradHess: (x: Float64Array, grad: Float64Array, hess: Float64Array) => void;
  /** Optional map applied to every candidate, e.g. re-centring a shift-invariant parameter. */
  project?: (x: Float64Array) => void;
}

export interface NewtonResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Solves H s = g; adds a growing ridge when H is not numerically positive definite. */
export function solveSpd(hess: Float64Array, grad: Float64Array, n: number): Float64Array {
  const work = new Float64Array(hess.length);
  for (let ridge = 0; ridge <= 1e8; ridge = ridge === 0 ? 1e-10 : ridge * 100) {
    work.set(hess);
    for (let i = 0; i < n; i++) work[i * n + i] = (work[i * n + i] ?? 0) + ridge;
    if (choleskyInPlace(work, n)) return choleskySolve(work, n, Float64Array.from(grad));
  }
  return new Float64Array(n);
}

/**
 * Minimises from `init` until no coordinate moves more than `tol` (or `maxIter` steps). A step that
 * cannot lower the objective even when halved 40 times means we sit at the optimum to rounding.
 */
export function minimiseNewton(p: NewtonProblem, init: Float64Array, tol: number, maxIter: number): NewtonResult {
  const n = p.dim;
  const x = Float64Array.from(init);
  p.project?.(x);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n * n);
  const trial = new Float64Array(n);
  let f = p.objective(x);
  for (let iter = 1; iter <= maxIter; iter++) {
    p.gradHess(x, grad, hess);
    const step = solveSpd(hess, grad, n);
    let moved = 0;
    for (let alpha = 1, tries = 0; tries < 40; alpha /= 2, tries++) {
      for (let i = 0; i < n; i++) trial[i] = (x[i] ?? 0) - alpha * (step[i] ?? 0);
      p.project?.(trial);
      const fTrial = p.objective(trial);
      if (fTrial <= f + 1e-13 * Math.abs(f)) {
        for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs((trial[i] ?? 0) - (x[i] ?? 0)));
        x.set(trial);
        f = fTrial;
        break;
      }
    }
    if (moved < tol) return { x, iterations: iter, converged: true };
  }
  return { x, iterations: maxIter, converged: false };
}
