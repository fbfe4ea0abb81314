/**
 * score=lc: AlpacaEval 2's length-controlled win rate (alpaca_eval metrics/glm_winrate.py,
 * "length_controlled_v1"). Per candidate m, a logistic GLM predicts its preference on instruction i
 * (its share of the battle, continuous, as AlpacaEval's preferences are) from
 *   logit p_mi = theta_m + phi_m * tanh(delta_mi / sd_m) + psi_m * d_i
 * where delta_mi = len(m's answer) - len(baseline's answer), sd_m the sample standard deviation of
 * m's deltas (AlpacaEval's std_delta_len), d_i the instruction's difficulty estimated across all
 * candidates on the same instructions, and theta_m the baseline term. The LC win rate is the mean
 * predicted preference with the length term set to zero: mean_i sigmoid(theta_m + psi_m * d_i),
 * the answer to "what would the judge prefer if both answers had the same length?".
 * Differences from AlpacaEval, because its inputs do not exist here: difficulty is fitted from this
 * board's battles (AlpacaEval ships one precomputed over its leaderboard's models), and the GLM has
 * a small ridge instead of AlpacaEval's cross-validated L1 with "gamed" baseline rows. Imported
 * battles name no instruction, so their difficulty term is 0; battles without answer lengths are
 * left out (imports carry them in conv_metadata token counts).
 */
import { minimiseNewton } from "../newton.js";
import type { Rng } from "../../lib/random.js";
import { intervalOf, resampleIndices } from "./resample.js";
import { type BaselineBattle, byModel, emptyItem, type ScoreItem } from "./types.js";
import { plainWinRate } from "./winrate.js";

/** Ridge (prior precision) on the per-model GLM weights: keeps a separable model's weights finite. */
export const GLM_RIDGE = 0.1;
/** Prior precision of an instruction's difficulty: an instruction seen by few candidates is shrunk to 0. */
export const DIFFICULTY_RIDGE = 1;
/** Prior precision of a candidate's strength in the difficulty fit. */
export const STRENGTH_RIDGE = 0.01;
const DIFFICULTY_SWEEPS = 200;
const TOL = 1e-9;

export const LC_DEFINITION =
  "lc: AlpacaEval 2's length-controlled win rate against the baseline: per candidate a logistic GLM of its preference (its share of each battle) on " +
  "theta (baseline term) + phi * tanh(delta_len / sd(delta_len)) + psi * difficulty, delta_len = candidate's answer length minus the baseline's, " +
  "difficulty of each instruction estimated across all candidates on the same instructions (logit p = strength - difficulty, ridge); " +
  `the LC win rate is the mean predicted preference with the length term set to zero; ridge ${GLM_RIDGE} on the GLM weights instead of AlpacaEval's cross-validated L1; ` +
  "battles without answer lengths are left out; imported battles name no instruction, so their difficulty term is 0; in [0, 1], baseline = 0.5; " +
  "interval: 5% and 95% percentiles of a bootstrap over the candidate's battles (GLM refitted, difficulties held)";

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** tanh(delta / sd) per battle, sd the sample standard deviation of the deltas; 0 for all when sd is 0 or n < 2. */
export function lengthFeatures(deltas: readonly number[]): number[] {
  const n = deltas.length;
  if (n < 2) return deltas.map(() => 0);
  const mean = deltas.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(deltas.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return sd > 0 ? deltas.map((d) => Math.tanh(d / sd)) : deltas.map(() => 0);
}

/**
 * Instruction difficulties across all candidates: minimises the soft-label logistic loss of
 * logit p_mi = a_m - d_i with ridges STRENGTH_RIDGE on a and DIFFICULTY_RIDGE on d, by exact
 * coordinate Newton sweeps (the loss is convex; each coordinate's Newton step is 1-D).
 * Battles without an instruction take no part. Returns d by instruction key.
 */
export function fitDifficulties(battles: readonly BaselineBattle[]): Map<string, number> {
  const models = new Map<string, number>();
  const instr = new Map<string, number>();
  const rows: { m: number; i: number; y: number }[] = [];
  for (const b of battles) {
    if (b.instruction === undefined) continue;
    if (!models.has(b.model)) models.set(b.model, models.size);
    if (!instr.has(b.instruction)) instr.set(b.instruction, instr.size);
    rows.push({ m: models.get(b.model) ?? 0, i: instr.get(b.instruction) ?? 0, y: b.outcome });
  }
  const a = new Float64Array(models.size);
  const d = new Float64Array(instr.size);
  const g = new Float64Array(Math.max(a.length, d.length));
  const h = new Float64Array(g.length);
  const step = (x: Float64Array, ridge: number, key: "m" | "i", sign: number): number => {
    g.fill(0);
    h.fill(0);
    for (const r of rows) {
      const p = sigmoid((a[r.m] ?? 0) - (d[r.i] ?? 0));
      g[r[key]] = (g[r[key]] ?? 0) + sign * (p - r.y);
      h[r[key]] = (h[r[key]] ?? 0) + p * (1 - p);
    }
    let moved = 0;
    for (let k = 0; k < x.length; k++) {
      const s = ((g[k] ?? 0) + ridge * (x[k] ?? 0)) / ((h[k] ?? 0) + ridge);
      x[k] = (x[k] ?? 0) - s;
      moved = Math.max(moved, Math.abs(s));
    }
    return moved;
  };
  for (let sweep = 0; sweep < DIFFICULTY_SWEEPS; sweep++) {
    const moved = Math.max(step(a, STRENGTH_RIDGE, "m", 1), step(d, DIFFICULTY_RIDGE, "i", -1));
    if (moved < TOL) break;
  }
  return new Map([...instr.entries()].map(([key, k]) => [key, d[k] ?? 0]));
}

/** One candidate's design rows: preference y, length feature, difficulty. */
export interface GlmRows {
  y: Float64Array;
  len: Float64Array;
  diff: Float64Array;
}

/** Fits [theta, phi, psi] by Newton on the soft-label logistic loss plus GLM_RIDGE / 2 * |w|^2, over the rows in `idx`. */
export function fitGlm(rows: GlmRows, idx?: ArrayLike<number>): Float64Array {
  const n = idx ? idx.length : rows.y.length;
  const at = (k: number): number => (idx ? (idx[k] ?? 0) : k);
  type Features = readonly [number, number, number];
  const x = (r: number): Features => [1, rows.len[r] ?? 0, rows.diff[r] ?? 0];
  const z = (w: Float64Array, f: Features): number => (w[0] ?? 0) * f[0] + (w[1] ?? 0) * f[1] + (w[2] ?? 0) * f[2];
  const ridge = (w: Float64Array): number => (GLM_RIDGE / 2) * ((w[0] ?? 0) ** 2 + (w[1] ?? 0) ** 2 + (w[2] ?? 0) ** 2);
  return minimiseNewton(
    {
      dim: 3,
      objective: (w) => {
        let f = ridge(w);
        for (let k = 0; k < n; k++) {
          const r = at(k);
          const zz = z(w, x(r));
          f += softplus(zz) - (rows.y[r] ?? 0) * zz;
        }
        return f;
      },
      gradHess: (w, grad, hess) => {
        grad.fill(0);
        hess.fill(0);
        for (let k = 0; k < n; k++) {
          const r = at(k);
          const f = x(r);
          const p = sigmoid(z(w, f));
          const e = p - (rows.y[r] ?? 0);
          const v = p * (1 - p);
          f.forEach((fi, i) => {
            grad[i] = (grad[i] ?? 0) + e * fi;
            f.forEach((fj, j) => (hess[i * 3 + j] = (hess[i * 3 + j] ?? 0) + v * fi * fj));
          });
        }
        for (let i = 0; i < 3; i++) {
          grad[i] = (grad[i] ?? 0) + GLM_RIDGE * (w[i] ?? 0);
          hess[i * 3 + i] = (hess[i * 3 + i] ?? 0) + GLM_RIDGE;
        }
      },
    },
    new Float64Array(3),
    TOL,
    100,
  ).x;
}

/** Mean of sigmoid(theta + psi * d) over the rows in `idx`: the prediction with the length term at zero. */
export function lcRate(w: Float64Array, rows: GlmRows, idx?: ArrayLike<number>): number {
  const n = idx ? idx.length : rows.y.length;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const r = idx ? (idx[k] ?? 0) : k;
    s += sigmoid((w[0] ?? 0) + (w[2] ?? 0) * (rows.diff[r] ?? 0));
  }
  return s / n;
}

export function lcScores(battles: readonly BaselineBattle[], rounds: number, rng: Rng): { items: ScoreItem[]; withoutLengths: number } {
  const withLengths = battles.filter((b) => b.lengths !== undefined);
  const difficulty = fitDifficulties(withLengths);
  const items: ScoreItem[] = [];
  for (const [model, list] of byModel(battles)) {
    const usable = list.filter((b) => b.lengths !== undefined);
    if (usable.length === 0) {
      items.push(emptyItem(model, 0, "no battle carries answer lengths"));
      continue;
    }
    const rows: GlmRows = {
      y: Float64Array.from(usable, (b) => b.outcome),
      len: Float64Array.from(lengthFeatures(usable.map((b) => (b.lengths?.model ?? 0) - (b.lengths?.baseline ?? 0)))),
      diff: Float64Array.from(usable, (b) => (b.instruction === undefined ? 0 : (difficulty.get(b.instruction) ?? 0))),
    };
    const w = fitGlm(rows);
    const score = lcRate(w, rows);
    const ci = intervalOf(rounds, rng, () => {
      const idx = resampleIndices(usable.length, rng);
      return lcRate(fitGlm(rows, idx), rows, idx);
    }, score);
    items.push({ model, score, ...ci, battles: usable.length, winRate: plainWinRate(usable), lengthWeight: w[1] ?? 0 });
  }
  return { items, withoutLengths: battles.length - withLengths.length };
}
