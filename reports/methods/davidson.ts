/**
 * The Davidson model (R. R. Davidson, "On extending the Bradley-Terry model to accommodate ties in
 * paired comparison experiments", JASA 65, 1970): a tie is its own outcome,
 *   P(i beats j) = π_i / D,  P(tie) = ν·√(π_i π_j) / D,  D = π_i + π_j + ν·√(π_i π_j),
 * so ν is the tie propensity of two equal models (P(tie | equal) = ν / (2 + ν)). Fitted here by
 * maximum likelihood with Newton's method (newton.ts) on θ = ln π and λ = ln ν jointly, from θ = 0,
 * ν = 1, to 1e-10 nats, with the same weak Gaussian prior as Bradley-Terry (BT_PRIOR = 1e-3 on θ and
 * on λ) so a model without losses, or a log without ties (ν → 0), stays finite. This is the likelihood
 * Newman's method (newman.ts) climbs by its fixed-point iteration; at convergence ν_Davidson = 2·ν_Newman.
 */
import { BT_PRIOR } from "../bradley-terry.js";
import { minimiseNewton } from "../newton.js";
import type { PairTally } from "./tally.js";

export const DAVIDSON_TOL = 1e-10;
export const DAVIDSON_MAX_ITER = 100;

export interface DavidsonOptions {
  prior?: number;
  tol?: number;
  maxIter?: number;
  /** Warm start: θ (length nModels) followed by λ = ln ν. */
  init?: Float64Array;
}

export interface DavidsonFit {
  /** Natural-scale log-strengths θ = ln π. */
  theta: Float64Array;
  /** Davidson's tie parameter ν. */
  nu: number;
  /** θ then λ, for warm starts. */
  params: Float64Array;
  converged: boolean;
}

/** Outcome probabilities of pair (θi, θj) at λ: [i wins, j wins, tie], computed without overflow. */
function probs(ti: number, tj: number, lambda: number): [number, number, number] {
  const tt = lambda + (ti + tj) / 2;
  const top = Math.max(ti, tj, tt);
  const a = Math.exp(ti - top);
  const b = Math.exp(tj - top);
  const c = Math.exp(tt - top);
  const s = a + b + c;
  return [a / s, b / s, c / s];
}

function objective(t: PairTally, x: Float64Array, prior: number): number {
  const n = t.nModels;
  const lambda = x[n] ?? 0;
  let f = 0;
  for (let p = 0; p < t.pairI.length; p++) {
    const [qi, qj, qt] = probs(x[t.pairI[p] ?? 0] ?? 0, x[t.pairJ[p] ?? 0] ?? 0, lambda);
    f -= (t.winsI[p] ?? 0) * Math.log(qi) + (t.winsJ[p] ?? 0) * Math.log(qj) + (t.ties[p] ?? 0) * Math.log(qt);
  }
  for (const v of x) f += (prior / 2) * v * v;
  return f;
}

/** Gradient and Hessian: per pair, n·(E[ggᵀ] - ḡḡᵀ) over (θi, θj, λ) with g = e_i, e_j, (½, ½, 1). */
function gradHess(t: PairTally, x: Float64Array, prior: number, grad: Float64Array, hess: Float64Array): void {
  const n = t.nModels;
  const dim = n + 1;
  grad.fill(0);
  hess.fill(0);
  for (let k = 0; k < dim; k++) {
    grad[k] = prior * (x[k] ?? 0);
    hess[k * dim + k] = prior;
  }
  for (let p = 0; p < t.pairI.length; p++) {
    const i = t.pairI[p] ?? 0;
    const j = t.pairJ[p] ?? 0;
    const wi = t.winsI[p] ?? 0;
    const wj = t.winsJ[p] ?? 0;
    const tie = t.ties[p] ?? 0;
    const total = wi + wj + tie;
    if (!(total > 0)) continue;
    const [qi, qj, qt] = probs(x[i] ?? 0, x[j] ?? 0, x[n] ?? 0);
    const mean = [qi + qt / 2, qj + qt / 2, qt];
    const second = [
      [qi + qt / 4, qt / 4, qt / 2],
      [qt / 4, qj + qt / 4, qt / 2],
      [qt / 2, qt / 2, qt],
    ];
    const idx = [i, j, n];
    const observed = [wi + tie / 2, wj + tie / 2, tie];
    for (let a = 0; a < 3; a++) {
      const ia = idx[a] ?? 0;
      grad[ia] = (grad[ia] ?? 0) + total * (mean[a] ?? 0) - (observed[a] ?? 0);
      for (let b = 0; b < 3; b++) {
        const slot = ia * dim + (idx[b] ?? 0);
        hess[slot] = (hess[slot] ?? 0) + total * ((second[a]?.[b] ?? 0) - (mean[a] ?? 0) * (mean[b] ?? 0));
      }
    }
  }
}

/** Maximum-likelihood (weakly penalised) Davidson fit. */
export function fitDavidson(t: PairTally, opts: DavidsonOptions = {}): DavidsonFit {
  const prior = opts.prior ?? BT_PRIOR;
  const dim = t.nModels + 1;
  const init = opts.init ?? new Float64Array(dim);
  const res = minimiseNewton(
    { dim, objective: (x) => objective(t, x, prior), gradHess: (x, g, h) => gradHess(t, x, prior, g, h) },
    init,
    opts.tol ?? DAVIDSON_TOL,
    opts.maxIter ?? DAVIDSON_MAX_ITER,
  );
  return { theta: res.x.slice(0, t.nModels), nu: Math.exp(res.x[t.nModels] ?? 0), params: res.x, converged: res.converged };
}
