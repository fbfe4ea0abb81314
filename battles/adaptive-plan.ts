/**
 * Adaptive rounds' wave selection (pure): given the battles each eligible pair has had, the current
 * Bradley-Terry log-strengths θ (natural scale) and a seeded generator, pick the pairs of the next wave.
 *
 * The board's uncertainty is read from the Fisher information of the BT likelihood, I = Σ n_ij·p(1-p)·
 * (e_i - e_j)(e_i - e_j)ᵀ (a weighted graph Laplacian), whose pseudo-inverse is the covariance of θ
 * with the mean pinned, as the board pins it. The wave is chosen greedily, one battle at a time: the
 * battle whose Sherman-Morrison update of the covariance lowers the objective most is taken, the
 * covariance updated, and the next one chosen. The objective is Σ s_c^Q over contrasts c:
 * - board rounds: every model's own variance (its interval; the power Q = WIDTH_POWER puts the weight
 *   on the widest ones) and, for each pair of neighbours in the current order, half the variance of
 *   their difference weighted by RANK_WEIGHT times how likely the observed order is wrong (active ranking);
 * - rounds with a focus model (target-vs-opponents, vs-baseline): the variance of the focus model's
 *   difference with each opponent and its own variance, so battles go where its rating is least certain.
 * Pairs below MIN_PAIR_BATTLES come first (a warm-up, so no estimate rests on one battle). A pair's
 * `capacity` is how many instructions it has not met yet; a pair at capacity 0 is never picked.
 */
import { type Rng, shuffled } from "../lib/random.js";

/** Battles every eligible pair gets before the information criterion takes over. */
export const MIN_PAIR_BATTLES = 2;
/** The power on each contrast's variance: large enough that the widest intervals dominate. */
export const WIDTH_POWER = 8;
/** |θi - θj| is clamped here (p ≈ 0.018, ~700 Elo) so an early lopsided estimate does not rule a pair out for good. */
export const MAX_GAP = 4;
/** The Gaussian prior of the board's fit (reports/bradley-terry.ts BT_PRIOR), keeping I invertible. */
export const PLAN_PRIOR = 1e-3;
/** Weight of a neighbour pair's order against a model's own interval (board rounds). */
export const RANK_WEIGHT = 0.3;

export interface WavePair {
  /** Model indices, i < j not required. */
  i: number;
  j: number;
  /** Judged battles the pair already has (outcomes counted on the board). */
  count: number;
  /** Battles the pair can still get (unseen instructions). */
  capacity: number;
}

export interface WaveInput {
  nModels: number;
  pairs: readonly WavePair[];
  /** Current log-strengths (natural scale), one per model; zeros before any result. */
  theta: ArrayLike<number>;
  waveSize: number;
  /** The focus model's index (target-vs-opponents, vs-baseline); null or absent: the whole board. */
  focus?: number | null;
  rng: Rng;
  /** The power on each contrast's variance (default WIDTH_POWER). */
  power?: number;
  /** Weight of the neighbour-order contrasts against the models' own variances (default RANK_WEIGHT). */
  rankWeight?: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** p(1-p) of one battle of pair (i, j) at θ, the gap clamped at MAX_GAP. */
export function battleInformation(theta: ArrayLike<number>, i: number, j: number, maxGap = MAX_GAP): number {
  const gap = Math.max(-maxGap, Math.min(maxGap, (theta[i] ?? 0) - (theta[j] ?? 0)));
  const p = sigmoid(gap);
  return p * (1 - p);
}

/** In-place inverse of a symmetric positive definite n×n matrix (Gauss-Jordan); false when singular. */
function invertInPlace(a: Float64Array, n: number): boolean {
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const pivot = a[c * n + c] ?? 0;
    if (!(Math.abs(pivot) > 1e-300)) return false;
    for (let k = 0; k < n; k++) {
      a[c * n + k] = (a[c * n + k] ?? 0) / pivot;
      inv[c * n + k] = (inv[c * n + k] ?? 0) / pivot;
    }
    for (let r = 0; r < n; r++) {
      const f = r === c ? 0 : (a[r * n + c] ?? 0);
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] = (a[r * n + k] ?? 0) - f * (a[c * n + k] ?? 0);
        inv[r * n + k] = (inv[r * n + k] ?? 0) - f * (inv[c * n + k] ?? 0);
      }
    }
  }
  a.set(inv);
  return true;
}

/**
 * Covariance of θ (natural scale, mean pinned at zero) from the Fisher information of the pairs'
 * battles: (I + λ·Id + J/n)⁻¹ minus the part along 1 that the gauge term J/n adds. Row-major n×n.
 * `maxGap` clamps each pair's gap as planning does; Infinity gives the exact information.
 */
export function boardCovariance(nModels: number, pairs: readonly Pick<WavePair, "i" | "j" | "count">[], theta: ArrayLike<number>, prior = PLAN_PRIOR, maxGap = MAX_GAP): Float64Array {
  const n = nModels;
  const a = new Float64Array(n * n);
  for (const p of pairs) {
    const h = p.count * battleInformation(theta, p.i, p.j, maxGap);
    a[p.i * n + p.i] = (a[p.i * n + p.i] ?? 0) + h;
    a[p.j * n + p.j] = (a[p.j * n + p.j] ?? 0) + h;
    a[p.i * n + p.j] = (a[p.i * n + p.j] ?? 0) - h;
    a[p.j * n + p.i] = (a[p.j * n + p.i] ?? 0) - h;
  }
  const gauge = 1 / n;
  for (let k = 0; k < n * n; k++) a[k] = (a[k] ?? 0) + gauge;
  for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] ?? 0) + prior;
  if (!invertInPlace(a, n)) throw new Error("information matrix is singular");
  // The eigenvalue along 1 is prior + gauge·n; its share of the inverse is 11ᵀ / (n·(prior + gauge·n)).
  const along = 1 / (n * (prior + gauge * n));
  for (let k = 0; k < n * n; k++) a[k] = (a[k] ?? 0) - along;
  return a;
}

/** A contrast: the variance of θa (b < 0) or of θa - θb, weighted. */
interface Contrast {
  a: number;
  b: number;
  weight: number;
}

/** Standard normal upper tail (Abramowitz-Stegun 7.1.26 through erfc), enough for a weight. */
function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

const variance = (cov: Float64Array, n: number, c: Contrast): number =>
  c.b < 0 ? (cov[c.a * n + c.a] ?? 0) : (cov[c.a * n + c.a] ?? 0) + (cov[c.b * n + c.b] ?? 0) - 2 * (cov[c.a * n + c.b] ?? 0);

/** The objective's contrasts at the wave's start (their weights stay fixed through the wave). */
function contrasts(n: number, cov: Float64Array, theta: ArrayLike<number>, focus: number | null, rankWeight: number): Contrast[] {
  if (focus !== null) {
    const out: Contrast[] = [{ a: focus, b: -1, weight: 1 }];
    for (let k = 0; k < n; k++) if (k !== focus) out.push({ a: focus, b: k, weight: 1 });
    return out;
  }
  const out: Contrast[] = [];
  for (let k = 0; k < n; k++) out.push({ a: k, b: -1, weight: 1 });
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => (theta[y] ?? 0) - (theta[x] ?? 0) || x - y);
  for (let r = 0; r + 1 < order.length; r++) {
    const a = order[r] ?? 0;
    const b = order[r + 1] ?? 0;
    const c = { a, b, weight: 0 };
    const sd = Math.sqrt(Math.max(variance(cov, n, c), 1e-300));
    // Twice the chance the observed order is wrong: 1 for a coin flip, ~0 once the gap is several sd.
    c.weight = rankWeight * 2 * upperTail(Math.abs((theta[a] ?? 0) - (theta[b] ?? 0)) / sd);
    if (c.weight > 0) out.push(c);
  }
  return out;
}

/** (uᵀ·cov·v) for contrast u and the pair vector v = e_i - e_j, from cov·v (`mv`). */
const cross = (mv: Float64Array, c: Contrast): number => (c.b < 0 ? (mv[c.a] ?? 0) : (mv[c.a] ?? 0) - (mv[c.b] ?? 0));

function pairVector(cov: Float64Array, n: number, i: number, j: number, out: Float64Array): void {
  for (let k = 0; k < n; k++) out[k] = (cov[k * n + i] ?? 0) - (cov[k * n + j] ?? 0);
}

/** Objective drop if one battle of weight w is added along v (Sherman-Morrison on each contrast). */
function gain(mv: Float64Array, vMv: number, w: number, cs: readonly Contrast[], current: Float64Array, power: number): number {
  const denom = 1 + w * vMv;
  let g = 0;
  for (let c = 0; c < cs.length; c++) {
    const con = cs[c] as Contrast;
    const s = current[c] ?? 0;
    const x = cross(mv, con);
    const after = Math.max(s - (w * x * x) / denom, 0);
    // A difference's variance is about twice a model's own: halved, the two kinds weigh alike.
    const half = con.b < 0 ? 1 : 0.5;
    g += con.weight * ((half * s) ** power - (half * after) ** power);
  }
  return g;
}

/** cov ← cov - w·(cov v)(cov v)ᵀ / (1 + w·vᵀ cov v). */
function updateCovariance(cov: Float64Array, n: number, mv: Float64Array, vMv: number, w: number): void {
  const f = w / (1 + w * vMv);
  for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) cov[r * n + k] = (cov[r * n + k] ?? 0) - f * (mv[r] ?? 0) * (mv[k] ?? 0);
}

/** Warm-up picks: pairs under MIN_PAIR_BATTLES, in a seeded order, one battle per pair per pass. */
function warmUp(pairs: readonly WavePair[], left: Float64Array, added: Int32Array, budget: number, rng: Rng): number[] {
  const out: number[] = [];
  const order = shuffled(rng, pairs.map((_, k) => k));
  for (let pass = 0; pass < MIN_PAIR_BATTLES && out.length < budget; pass++) {
    for (const k of order) {
      const p = pairs[k] as WavePair;
      if (out.length >= budget || (left[k] ?? 0) <= 0 || p.count + (added[k] ?? 0) >= MIN_PAIR_BATTLES) continue;
      out.push(k);
      added[k] = (added[k] ?? 0) + 1;
      left[k] = (left[k] ?? 0) - 1;
    }
  }
  return out;
}

/**
 * The next wave: indices into `pairs`, one per battle (a pair may repeat), at most `waveSize` and at
 * most the pairs' capacities. Deterministic for a given input and generator state.
 */
export function pickWave(input: WaveInput): number[] {
  const { nModels: n, pairs, theta } = input;
  const left = Float64Array.from(pairs, (p) => Math.max(0, p.capacity));
  const added = new Int32Array(pairs.length);
  const picks = warmUp(pairs, left, added, input.waveSize, input.rng);
  if (picks.length >= input.waveSize) return picks;
  const cov = boardCovariance(n, pairs.map((p, k) => ({ i: p.i, j: p.j, count: p.count + (added[k] ?? 0) })), theta);
  const cs = contrasts(n, cov, theta, input.focus ?? null, input.rankWeight ?? RANK_WEIGHT);
  const power = input.power ?? WIDTH_POWER;
  const current = Float64Array.from(cs, (c) => variance(cov, n, c));
  const weight = Float64Array.from(pairs, (p) => battleInformation(theta, p.i, p.j));
  // Ties (equal gains) go to a seeded order of the pairs, not to their listing order.
  const order = shuffled(input.rng, pairs.map((_, k) => k));
  const mv = new Float64Array(n);
  while (picks.length < input.waveSize) {
    let best = -1;
    let bestGain = 0;
    for (const k of order) {
      if ((left[k] ?? 0) <= 0) continue;
      const p = pairs[k] as WavePair;
      pairVector(cov, n, p.i, p.j, mv);
      const g = gain(mv, (mv[p.i] ?? 0) - (mv[p.j] ?? 0), weight[k] ?? 0, cs, current, power);
      if (best < 0 || g > bestGain) [best, bestGain] = [k, g];
    }
    if (best < 0) break;
    const p = pairs[best] as WavePair;
    pairVector(cov, n, p.i, p.j, mv);
    updateCovariance(cov, n, mv, (mv[p.i] ?? 0) - (mv[p.j] ?? 0), weight[best] ?? 0);
    for (let c = 0; c < cs.length; c++) current[c] = variance(cov, n, cs[c] as Contrast);
    left[best] = (left[best] ?? 0) - 1;
    picks.push(best);
  }
  return picks;
}

/** The default wave: two battles per eligible pair, at least 8, at most 256 (each pick is O(pairs·n)). */
export function defaultWaveSize(eligiblePairs: number): number {
  return Math.max(8, Math.min(256, 2 * eligiblePairs));
}
