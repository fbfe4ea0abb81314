/**
 * score=lc: AlpacaEval 2's length-controlled win rate (alpaca_eval metrics/glm_winrate.py,
 * "length_controlled_v1"). Per candidate m, a logistic GLM predicts its preference on instruction i
 * (win 1, tie 0.5, loss 0: the values the plain win rate averages, so the two differ only by the
 * length term) from
 *   logit p_mi = theta_m + phi_m * tanh(delta_mi / sd_m) + psi_m * d_i
 * where delta_mi = len(m's answer) - len(baseline's answer), sd_m the sample standard deviation of
 * m's deltas (AlpacaEval's std_delta_len), d_i the instruction's difficulty estimated across all
 * candidates on the same instructions, and theta_m the baseline term. The LC win rate is the mean
 * predicted preference with the length term set to zero: mean_i sigmoid(theta_m + psi_m * d_i),
 * the answer to "what would the judge prefer if both answers had the same length?".
 * AlpacaEval's fit leans on inputs that do not exist here, so:
 *  - difficulty is fitted from this board (AlpacaEval ships one precomputed over its leaderboard),
 *    with a pooled length slope, so the baseline's answer length on an instruction (which moves every
 *    candidate's delta at once) is not taken for the instruction's difficulty;
 *  - AlpacaEval adds rows of two "gamed" (verbose, concise) versions of its baseline to every fit at
 *    weight regularize_to_baseline_lambda = 0.2, which teach the length weight where only length
 *    changed. In their place every other candidate's rows join at weight 0.2, with a baseline term of
 *    their own, so they inform only phi and psi. Without them a model whose answers are always longer
 *    than the baseline's (tanh near 1 on every battle) has a length weight its own battles cannot tell
 *    from its baseline term, and its LC rate is arbitrary;
 *  - a small ridge instead of AlpacaEval's cross-validated L1.
 * Imported battles name no instruction, so their difficulty term is 0; battles without answer lengths
 * are left out (imports carry them in conv_metadata token counts).
 */
import { minimiseNewton } from "../newton.js";
import type { Rng } from "../../lib/random.js";
import { intervalOf, resampleIndices } from "./resample.js";
import { type BaselineBattle, byModel, emptyItem, type ScoreItem } from "./types.js";
import { plainWinRate, winValue } from "./winrate.js";

/** Weight of every other candidate's rows in a candidate's fit (AlpacaEval's regularize_to_baseline_lambda). */
export const REGULARIZE_LAMBDA = 0.2;
/** Ridge (prior precision) on the per-model GLM weights: keeps a separable model's weights finite. */
export const GLM_RIDGE = 0.1;
/** Prior precision of an instruction's difficulty: an instruction seen by few candidates is shrunk to 0. */
export const DIFFICULTY_RIDGE = 1;
/** Prior precision of a candidate's strength in the difficulty fit. */
export const STRENGTH_RIDGE = 0.01;
const DIFFICULTY_SWEEPS = 200;
const TOL = 1e-9;

export const LC_DEFINITION =
  "lc: AlpacaEval 2's length-controlled win rate against the baseline: per candidate a logistic GLM of its preference (win 1, tie 0.5, loss 0) on " +
  "theta (baseline term) + phi * tanh(delta_len / sd(delta_len)) + psi * difficulty, delta_len = candidate's answer length minus the baseline's, " +
  "difficulty of each instruction estimated across all candidates on the same instructions (logit p = strength + slope * tanh(...) - difficulty, ridge); " +
  "the LC win rate is the mean predicted preference with the length term set to zero; " +
  `in place of AlpacaEval's gamed-baseline rows, every other candidate's battles join each fit at weight ${REGULARIZE_LAMBDA} with their own baseline term; ` +
  `ridge ${GLM_RIDGE} on the GLM weights instead of AlpacaEval's cross-validated L1; ` +
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

/** One battle in the difficulty fit: its candidate, instruction, length feature and preference. */
export interface DifficultyRow {
  model: string;
  instruction: string;
  len: number;
  y: number;
}

/**
 * Instruction difficulties across all candidates: minimises the soft-label logistic loss of
 * logit p_mi = a_m + b * len_mi - d_i with ridges STRENGTH_RIDGE on a, GLM_RIDGE on b and
 * DIFFICULTY_RIDGE on d, by exact coordinate Newton sweeps (the loss is convex; each coordinate's
 * Newton step is 1-D). The pooled length slope b keeps the baseline's answer length on an
 * instruction, which moves every candidate's length difference at once, from being taken for the
 * instruction's difficulty (AlpacaEval's precomputed difficulty comes from a GLM with length terms).
 * Returns d by instruction key, and b.
 */
export function fitDifficulties(input: readonly DifficultyRow[]): { difficulty: Map<string, number>; lengthSlope: number } {
  const models = new Map<string, number>();
  const instr = new Map<string, number>();
  const rows = input.map((r) => {
    if (!models.has(r.model)) models.set(r.model, models.size);
    if (!instr.has(r.instruction)) instr.set(r.instruction, instr.size);
    return { m: models.get(r.model) ?? 0, i: instr.get(r.instruction) ?? 0, x: r.len, y: r.y };
  });
  const a = new Float64Array(models.size);
  const slope = new Float64Array(1);
  const d = new Float64Array(instr.size);
  /** One Newton step on every coordinate of `x`; `slot` picks a row's coordinate, `df` its derivative dz/dx. */
  const step = (x: Float64Array, ridge: number, slot: (r: (typeof rows)[number]) => number, df: (r: (typeof rows)[number]) => number): number => {
    const g = new Float64Array(x.length);
    const h = new Float64Array(x.length);
    for (const r of rows) {
      const p = sigmoid((a[r.m] ?? 0) + (slope[0] ?? 0) * r.x - (d[r.i] ?? 0));
      const k = slot(r);
      const f = df(r);
      g[k] = (g[k] ?? 0) + (p - r.y) * f;
      h[k] = (h[k] ?? 0) + p * (1 - p) * f * f;
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
    const moved = Math.max(
      step(a, STRENGTH_RIDGE, (r) => r.m, () => 1),
      step(slope, GLM_RIDGE, () => 0, (r) => r.x),
      step(d, DIFFICULTY_RIDGE, (r) => r.i, () => -1),
    );
    if (moved < TOL) break;
  }
  return { difficulty: new Map([...instr.entries()].map(([key, k]) => [key, d[k] ?? 0])), lengthSlope: slope[0] ?? 0 };
}

/** One candidate's design rows: preference y, length feature, difficulty. */
export interface GlmRows {
  y: Float64Array;
  len: Float64Array;
  diff: Float64Array;
}

/**
 * Fits one candidate's GLM by Newton on the logistic loss (soft labels) plus GLM_RIDGE / 2 * |w|^2.
 * Parameters: [theta, phi, psi, theta_1..theta_K]: the candidate's baseline term, the length and
 * difficulty weights, and one baseline term per other candidate. The candidate's own rows (those in
 * `idx`, default all) weigh 1; every other candidate's rows weigh `otherWeight` and have their own
 * baseline term, so they inform only phi and psi: the regularisation toward the board that stands in
 * for AlpacaEval's gamed-baseline rows (see the module header).
 */
export function fitGlm(own: GlmRows, others: readonly GlmRows[] = [], idx?: ArrayLike<number>, otherWeight = REGULARIZE_LAMBDA): Float64Array {
  const dim = 3 + others.length;
  const sets = [{ rows: own, weight: 1, slot: 0, idx }, ...others.map((rows, k) => ({ rows, weight: otherWeight, slot: 3 + k, idx: undefined }))];
  /** Calls `visit(slot, len, diff, y, weight)` for every row of every set. */
  const each = (visit: (slot: number, len: number, diff: number, y: number, weight: number) => void): void => {
    for (const set of sets) {
      const n = set.idx ? set.idx.length : set.rows.y.length;
      for (let k = 0; k < n; k++) {
        const r = set.idx ? (set.idx[k] ?? 0) : k;
        visit(set.slot, set.rows.len[r] ?? 0, set.rows.diff[r] ?? 0, set.rows.y[r] ?? 0, set.weight);
      }
    }
  };
  const z = (w: Float64Array, slot: number, len: number, diff: number): number => (w[slot] ?? 0) + (w[1] ?? 0) * len + (w[2] ?? 0) * diff;
  return minimiseNewton(
    {
      dim,
      objective: (w) => {
        let f = 0;
        for (let i = 0; i < dim; i++) f += (GLM_RIDGE / 2) * (w[i] ?? 0) ** 2;
        each((slot, len, diff, y, weight) => {
          const zz = z(w, slot, len, diff);
          f += weight * (softplus(zz) - y * zz);
        });
        return f;
      },
      gradHess: (w, grad, hess) => {
        grad.fill(0);
        hess.fill(0);
        each((slot, len, diff, y, weight) => {
          const p = sigmoid(z(w, slot, len, diff));
          const e = weight * (p - y);
          const v = weight * p * (1 - p);
          const f: [number, number][] = [[slot, 1], [1, len], [2, diff]];
          for (const [i, fi] of f) {
            grad[i] = (grad[i] ?? 0) + e * fi;
            for (const [j, fj] of f) hess[i * dim + j] = (hess[i * dim + j] ?? 0) + v * fi * fj;
          }
        });
        for (let i = 0; i < dim; i++) {
          grad[i] = (grad[i] ?? 0) + GLM_RIDGE * (w[i] ?? 0);
          hess[i * dim + i] = (hess[i * dim + i] ?? 0) + GLM_RIDGE;
        }
      },
    },
    new Float64Array(dim),
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

/** A candidate's rows: its preferences (win 1, tie 0.5, loss 0), length features and difficulties. */
function designRows(usable: readonly BaselineBattle[], len: readonly number[], difficulty: ReadonlyMap<string, number>): GlmRows {
  return {
    y: Float64Array.from(usable, (b) => winValue(b.outcome)),
    len: Float64Array.from(len),
    diff: Float64Array.from(usable, (b) => (b.instruction === undefined ? 0 : (difficulty.get(b.instruction) ?? 0))),
  };
}

export function lcScores(battles: readonly BaselineBattle[], rounds: number, rng: Rng): { items: ScoreItem[]; withoutLengths: number } {
  const groups = [...byModel(battles)].map(([model, list]) => {
    const usable = list.filter((b) => b.lengths !== undefined);
    return { model, usable, len: lengthFeatures(usable.map((b) => (b.lengths?.model ?? 0) - (b.lengths?.baseline ?? 0))) };
  });
  const { difficulty } = fitDifficulties(
    groups.flatMap((g) => g.usable.flatMap((b, k) => (b.instruction === undefined ? [] : [{ model: g.model, instruction: b.instruction, len: g.len[k] ?? 0, y: winValue(b.outcome) }]))),
  );
  const rowsOf = new Map(groups.filter((g) => g.usable.length > 0).map((g) => [g.model, designRows(g.usable, g.len, difficulty)]));
  const items: ScoreItem[] = [];
  for (const { model, usable } of groups) {
    const rows = rowsOf.get(model);
    if (!rows) {
      items.push(emptyItem(model, 0, "no battle carries answer lengths"));
      continue;
    }
    const others = [...rowsOf].filter(([m]) => m !== model).map(([, r]) => r);
    const w = fitGlm(rows, others);
    const score = lcRate(w, rows);
    const ci = intervalOf(rounds, rng, () => {
      const idx = resampleIndices(usable.length, rng);
      return lcRate(fitGlm(rows, others, idx), rows, idx);
    }, score);
    items.push({ model, score, ...ci, battles: usable.length, winRate: plainWinRate(usable), lengthWeight: w[1] ?? 0 });
  }
  return { items, withoutLengths: battles.length - groups.reduce((s, g) => s + g.usable.length, 0) };
}
