/**
 * Adaptive rounds' wave selection (pure): given the battles each eligible pair has had, the current
 * Bradley-Terry log-strengths θ (natural scale) and a seeded generator, pick the pairs of the next wave.
 *
 * The board's uncertainty is read from the Fisher information of the BT likelihood, I = Σ n_ij·h_ij·
 * (e_i - e_j)(e_i - e_j)ᵀ (a weighted graph Laplacian), whose pseudo-inverse is the covariance of θ
 * with the mean pinned, as the board pins it. A battle's information h_ij is p(1-p) at the pair's
 * gap, but the gap is only estimated: h_ij is its expectation over the gap's normal posterior
 * (the estimate, and the variance of the difference from the information at the estimate). An early,
 * lopsided estimate resting on a few battles thus keeps some information, and a gap measured well
 * keeps exactly its own; far pairs on a wide board are not overrated (a fixed clamp on the gap
 * would make a 1,400 Elo pair look 20 times as informative as it is).
 *
 * The wave is chosen greedily, one battle at a time: the battle whose Sherman-Morrison update of
 * the covariance lowers the objective most is taken, the covariance updated, and the next one chosen
 * (Frank-Wolfe steps on the design; with the information known it reaches the minimax design that
 * optimalDesignRatio computes). The objective is Σ w_c·(s_c / s_max)^Q over contrasts c:
 * - board rounds: every model's own variance (its interval; the power Q = WIDTH_POWER makes the
 *   objective close to the widest interval, the stopping rule) and, for each pair of neighbours in
 *   the current order, half the variance of their difference weighted by RANK_WEIGHT times how
 *   likely the observed order is wrong (active ranking);
 * - rounds with a focus model (target-vs-opponents, vs-baseline): the variance of the focus model's
 *   difference with each opponent and its own variance, so battles go where its rating is least certain.
 * Pairs below MIN_PAIR_BATTLES come first (a warm-up, so no estimate rests on one battle). A pair's
 * `capacity` is how many instructions it has not met yet; a pair at capacity 0 is never picked.
 * Near an interval target (`targetShrink`) a wave ends once the plan expects the target to hold.
 *
 * Own code rather than a library: the matrices are n×n for n models (tens), the updates are rank
 * one, and nothing here touches I/O; a linear-algebra dependency would add weight for 60 lines.
 */
import { type Rng, shuffled } from "../lib/random.js";

/** Battles every eligible pair gets before the information criterion takes over. */
export const MIN_PAIR_BATTLES = 2;
/**
 * The power on each contrast's variance: large enough that the objective tracks the widest interval
 * (at 16 the greedy design is within 3% of the minimax one on 8-model ladders 350 to 1,400 Elo long),
 * small enough that a greedy step does not prefer a lopsided battle that nudges two tied widest
 * models over a close one that moves one of them a lot (32 does; the minimax design never would).
 */
export const WIDTH_POWER = 16;
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
  /**
   * Sums of the judged battles' outcomes (model i's share, 0..1) and of their squares: how noisy the
   * pair's outcomes are. Absent: outcomes are taken as Bernoulli (variance p(1-p)).
   */
  sumY?: number;
  sumY2?: number;
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
  /** Plan with p(1-p) at θ as if θ were exact (the oracle: strengths known); default false. */
  exact?: boolean;
  /** Per-pair outcome variances to plan with (the oracle's, measured); default: estimated from sumY and sumY2. */
  outcomeVariance?: ArrayLike<number>;
  /**
   * (target / current widest interval)²: the wave ends early, once the plan's widest variance has
   * fallen by this factor (the interval target is then expected to hold; the bootstrap interval
   * tracks the sandwich variance), but not under an eighth of waveSize, so a round near its target
   * does not overshoot it by most of a wave. Absent, or 1 or more: the full wave.
   */
  targetShrink?: number;
}

/**
 * Bootstrap rounds of the board an adaptive round's stopping rule reads (unless the round sets
 * adaptive.bootstrap). The board's default, 100, gives percentile intervals whose width varies by
 * about 10% from one draw to the next and runs short for a model with a skewed bootstrap distribution
 * (the 2.5% and 97.5% points of 100 draws sit inside the true ones): a rule reading it stops on a
 * low draw, at an interval narrower than the real one. 1,000 rounds cost ~30 ms for 8 models.
 */
export const ADAPTIVE_BOOTSTRAP_ROUNDS = 1000;
/** What rounds stored before adaptive.bootstrap existed read: the board's default of the time, 100 rounds. */
const BOOTSTRAP_BEFORE_OPTION = 100;
/** The bootstrap rounds of an adaptive round's board (new rounds store theirs; older ones read 100). */
export const adaptiveBootstrap = (o: { bootstrap?: number } | undefined): number => o?.bootstrap ?? BOOTSTRAP_BEFORE_OPTION;

/** Pseudo-battles of the pooled dispersion that each pair's own outcome variance is shrunk toward. */
export const VARIANCE_PRIOR_BATTLES = 8;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** p(1-p) of one battle of pair (i, j) at θ. */
export function battleInformation(theta: ArrayLike<number>, i: number, j: number): number {
  const p = sigmoid((theta[i] ?? 0) - (theta[j] ?? 0));
  return p * (1 - p);
}

/** Standard normal expectation on a grid: z from -8 to 8 in steps of 1/16, Simpson weights times φ(z), summing to 1. */
const GRID_Z: Float64Array = Float64Array.from({ length: 257 }, (_, k) => -8 + k / 16);
const GRID_W: Float64Array = (() => {
  const w = Float64Array.from(GRID_Z, (z, k) => (k === 0 || k === GRID_Z.length - 1 ? 1 : k % 2 === 1 ? 4 : 2) * Math.exp(-z * z / 2));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
})();

/**
 * E[p(1-p)] of one battle when the gap x ~ N(gap, variance): the Fisher information a battle is
 * expected to bring while the gap is uncertain. variance 0 gives p(1-p) at the gap.
 */
export function expectedInformation(gap: number, variance: number): number {
  const sd = Math.sqrt(Math.max(0, variance));
  if (!(sd > 0)) {
    const p = sigmoid(gap);
    return p * (1 - p);
  }
  let e = 0;
  for (let k = 0; k < GRID_Z.length; k++) {
    const p = sigmoid(gap + sd * (GRID_Z[k] ?? 0));
    e += (GRID_W[k] ?? 0) * p * (1 - p);
  }
  return e;
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
 * battles, `information` per pair in total: (I + λ·Id + J/n)⁻¹ minus the part along 1 that the gauge
 * term J/n adds. Row-major n×n.
 */
export function informationCovariance(nModels: number, pairs: readonly { i: number; j: number; information: number }[], prior = PLAN_PRIOR): Float64Array {
  const n = nModels;
  const a = new Float64Array(n * n);
  for (const p of pairs) {
    const h = p.information;
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

/** The covariance of θ after `count` battles per pair, each with p(1-p) at θ (the information if θ were exact). */
export function boardCovariance(nModels: number, pairs: readonly Pick<WavePair, "i" | "j" | "count">[], theta: ArrayLike<number>, prior = PLAN_PRIOR): Float64Array {
  return informationCovariance(nModels, pairs.map((p) => ({ i: p.i, j: p.j, information: p.count * battleInformation(theta, p.i, p.j) })), prior);
}

/** The widest variance on the diagonal of an n×n covariance. */
export function widestVariance(cov: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) m = Math.max(m, cov[k * n + k] ?? 0);
  return m;
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

/** out = M·(e_i - e_j) for a symmetric n×n M. */
function columnDifference(m: Float64Array, n: number, i: number, j: number, out: Float64Array): void {
  for (let k = 0; k < n; k++) out[k] = (m[k * n + i] ?? 0) - (m[k * n + j] ?? 0);
}

/**
 * Each pair's expected information per battle: p(1-p) averaged over the gap's normal posterior (its
 * variance `gapVariance`, one per pair); without variances, p(1-p) at θ.
 */
export function planningInformation(pairs: readonly Pick<WavePair, "i" | "j">[], theta: ArrayLike<number>, gapVariance?: ArrayLike<number>): Float64Array {
  return Float64Array.from(pairs, (p, k) => expectedInformation((theta[p.i] ?? 0) - (theta[p.j] ?? 0), gapVariance?.[k] ?? 0));
}

/**
 * Each pair's outcome variance around the fit, E[(y - p)²], from its judged battles (sumY, sumY2),
 * shrunk toward the pooled dispersion times p(1-p) with VARIANCE_PRIOR_BATTLES pseudo-battles. The
 * pooled dispersion is Σ(y - p)² / Σ p(1-p) over the judged battles (quasi-likelihood); 1 (Bernoulli)
 * when no pair has outcome sums. Graded verdicts (A>>B against A>B) and the two swapped games
 * averaged make outcomes far steadier than coin flips, unevenly across pairs: a lopsided pair whose
 * stronger side wins every game varies less than its p(1-p) says, a close pair with many ties too.
 */
export function outcomeVariances(pairs: readonly WavePair[], theta: ArrayLike<number>): Float64Array {
  const residual = new Float64Array(pairs.length);
  const judged = new Float64Array(pairs.length);
  const info = new Float64Array(pairs.length);
  let totalResidual = 0;
  let totalInfo = 0;
  pairs.forEach((pair, k) => {
    const p = sigmoid((theta[pair.i] ?? 0) - (theta[pair.j] ?? 0));
    info[k] = p * (1 - p);
    if (pair.sumY === undefined || pair.sumY2 === undefined || pair.count <= 0) return;
    residual[k] = Math.max(0, pair.sumY2 - 2 * p * pair.sumY + pair.count * p * p);
    judged[k] = pair.count;
    totalResidual += residual[k] ?? 0;
    totalInfo += pair.count * (info[k] ?? 0);
  });
  const dispersion = totalInfo > 0 ? totalResidual / totalInfo : 1;
  return Float64Array.from(pairs, (_, k) => ((residual[k] ?? 0) + VARIANCE_PRIOR_BATTLES * dispersion * (info[k] ?? 0)) / ((judged[k] ?? 0) + VARIANCE_PRIOR_BATTLES));
}

/** B = A·J·A for J = Σ n·s²·(e_i - e_j)(e_i - e_j)ᵀ: the sandwich covariance of θ. */
function sandwich(a: Float64Array, n: number, pairs: readonly { i: number; j: number; count: number }[], s2: ArrayLike<number>): Float64Array {
  const b = new Float64Array(n * n);
  const u = new Float64Array(n);
  pairs.forEach((p, k) => {
    const w = p.count * (s2[k] ?? 0);
    if (!(w > 0)) return;
    columnDifference(a, n, p.i, p.j, u);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) b[r * n + c] = (b[r * n + c] ?? 0) + w * (u[r] ?? 0) * (u[c] ?? 0);
  });
  return b;
}

/** A, the Fisher covariance from `information[k]` per battle, and B = A·J·A, the sandwich one (see sandwichCovariance). */
function planningCovariances(nModels: number, pairs: readonly { i: number; j: number; count: number }[], information: ArrayLike<number>, s2: ArrayLike<number>, prior = PLAN_PRIOR): { a: Float64Array; b: Float64Array } {
  const a = informationCovariance(nModels, pairs.map((p, k) => ({ i: p.i, j: p.j, information: p.count * (information[k] ?? 0) })), prior);
  return { a, b: sandwich(a, nModels, pairs, s2) };
}

/**
 * The sandwich covariance of θ (mean pinned) after `count` battles per pair, each with Fisher
 * information `information[k]` and outcome variance `s2[k]`: what the board's bootstrap estimates.
 */
export function sandwichCovariance(nModels: number, pairs: readonly { i: number; j: number; count: number }[], information: ArrayLike<number>, s2: ArrayLike<number>, prior = PLAN_PRIOR): Float64Array {
  return planningCovariances(nModels, pairs, information, s2, prior).b;
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
 * The planning state: A, the inverse of the information (the Fisher covariance of θ, mean pinned),
 * and B = A·J·A, the sandwich covariance the board's bootstrap estimates (J: the outcomes' own
 * variance). A battle of pair (i, j), information h and outcome variance s², moves them to
 *   A' = A - c·u·uᵀ,  B' = B - c·(u·gᵀ + g·uᵀ) + (c²·r + s²·(1 - c·q)²)·u·uᵀ,
 * with v = e_i - e_j, u = A·v, g = B·v, q = vᵀ·u, r = vᵀ·g, c = h / (1 + h·q) (Sherman-Morrison on A).
 */
interface Step {
  u: Float64Array;
  g: Float64Array;
  c: number;
  coef: number;
}

/** x^p, by squaring when p is a power of two (WIDTH_POWER is): the planner's innermost operation. */
function powerOf(p: number): (x: number) => number {
  if (p === 16) return (x) => ((x * x) ** 2) ** 2 * ((x * x) ** 2) ** 2;
  return (x) => x ** p;
}

function apply(a: Float64Array, b: Float64Array, n: number, st: Step): void {
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const ur = st.u[r] ?? 0;
      const uk = st.u[k] ?? 0;
      a[r * n + k] = (a[r * n + k] ?? 0) - st.c * ur * uk;
      b[r * n + k] = (b[r * n + k] ?? 0) - st.c * (ur * (st.g[k] ?? 0) + (st.g[r] ?? 0) * uk) + st.coef * ur * uk;
    }
  }
}

/**
 * A contrast whose term is under this share of the largest cannot move a gain that matters: the
 * candidates' gains are summed over the others only (with power 16, a model whose variance is under
 * a fifth of the widest), which keeps a pick at O(pairs × active contrasts) instead of O(pairs × n).
 */
const ACTIVE_SHARE = 1e-12;

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
  const counted = pairs.map((p, k) => ({ i: p.i, j: p.j, count: p.count + (added[k] ?? 0) }));
  // exact: Bernoulli outcomes (variance p(1-p)) and p(1-p) at θ as the information.
  const atTheta = planningInformation(pairs, theta);
  const s2 = input.outcomeVariance ?? (input.exact ? atTheta : outcomeVariances(pairs, theta));
  // The information at θ gives the gaps' variances; the expected information over them plans the wave.
  let weight = atTheta;
  if (!input.exact) {
    const b0 = sandwichCovariance(n, counted, atTheta, s2);
    weight = planningInformation(pairs, theta, pairs.map((p) => variance(b0, n, { a: p.i, b: p.j, weight: 1 })));
  }
  const { a, b } = planningCovariances(n, counted, weight, s2);
  const cs = contrasts(n, b, theta, input.focus ?? null, input.rankWeight ?? RANK_WEIGHT);
  const power = input.power ?? WIDTH_POWER;
  const current = Float64Array.from(cs, (c) => variance(b, n, c));
  // Scaled by the widest variance at the wave's start, so the power neither overflows nor underflows.
  // A difference's variance is about twice a model's own: halved, the two kinds weigh alike.
  const widestAtStart = widestVariance(b, n);
  const scale = Math.max(widestAtStart, 1e-300);
  const pow = powerOf(power);
  const term = (con: Contrast, v: number) => con.weight * pow(((con.b < 0 ? 1 : 0.5) * v) / scale);
  // Ties (equal gains) go to a seeded order of the pairs, not to their listing order.
  const order = shuffled(input.rng, pairs.map((_, k) => k));
  const shrink = input.targetShrink;
  const enough = shrink !== undefined && shrink < 1 ? shrink * widestAtStart : -1;
  const least = Math.max(1, Math.ceil(input.waveSize / 8));
  const best: Step = { u: new Float64Array(n), g: new Float64Array(n), c: 0, coef: 0 };
  const active: number[] = [];
  while (picks.length < input.waveSize) {
    const terms = cs.map((con, c) => term(con, current[c] ?? 0));
    const top = Math.max(...terms);
    active.length = 0;
    terms.forEach((t, c) => {
      if (t >= top * ACTIVE_SHARE) active.push(c);
    });
    let pick = -1;
    let bestGain = 0;
    for (const k of order) {
      if ((left[k] ?? 0) <= 0) continue;
      const { i, j } = pairs[k] as WavePair;
      // c and the u·uᵀ coefficient of the step (see Step), from four entries each of A and B.
      const h = weight[k] ?? 0;
      const q = (a[i * n + i] ?? 0) - 2 * (a[i * n + j] ?? 0) + (a[j * n + j] ?? 0);
      const r = (b[i * n + i] ?? 0) - 2 * (b[i * n + j] ?? 0) + (b[j * n + j] ?? 0);
      const cc = h / (1 + h * q);
      const coef = cc * cc * r + (s2[k] ?? 0) * (1 - cc * q) ** 2;
      // x·B'·x = x·B·x - 2c·(x·u)(x·g) + coef·(x·u)², u = A·(e_i - e_j), g = B·(e_i - e_j): entries read where needed.
      let g = 0;
      for (const c of active) {
        const con = cs[c] as Contrast;
        let xu = (a[con.a * n + i] ?? 0) - (a[con.a * n + j] ?? 0);
        let xg = (b[con.a * n + i] ?? 0) - (b[con.a * n + j] ?? 0);
        if (con.b >= 0) {
          xu -= (a[con.b * n + i] ?? 0) - (a[con.b * n + j] ?? 0);
          xg -= (b[con.b * n + i] ?? 0) - (b[con.b * n + j] ?? 0);
        }
        const before = current[c] ?? 0;
        g += (terms[c] ?? 0) - term(con, Math.max(before - 2 * cc * xu * xg + coef * xu * xu, 0));
      }
      if (pick < 0 || g > bestGain) {
        pick = k;
        bestGain = g;
        best.c = cc;
        best.coef = coef;
      }
    }
    if (pick < 0) break;
    const p = pairs[pick] as WavePair;
    columnDifference(a, n, p.i, p.j, best.u);
    columnDifference(b, n, p.i, p.j, best.g);
    apply(a, b, n, best);
    for (let c = 0; c < cs.length; c++) current[c] = variance(b, n, cs[c] as Contrast);
    left[pick] = (left[pick] ?? 0) - 1;
    picks.push(pick);
    if (picks.length >= least && widestVariance(b, n) <= enough) break;
  }
  return picks;
}

/** The default wave: two battles per eligible pair, at least 8, at most 256 (each pick is O(pairs × active contrasts + n²)). */
export function defaultWaveSize(eligiblePairs: number): number {
  return Math.max(8, Math.min(256, 2 * eligiblePairs));
}

/**
 * The best any plan can do with the strengths known: the shares of battles over all pairs that
 * minimise the widest variance (the minimax design), found by exponentiated-gradient descent on
 * Σ_k (s_k / s_max)^64, against equal shares. Variance falls as 1/battles, so `ratio` is the fraction
 * of a uniform all-pairs plan's battles that the best plan needs for the same widest interval: a
 * bound on what adaptive rounds can save on a board, whatever their estimates.
 */
export function optimalDesignRatio(theta: ArrayLike<number>, iterations = 3000): { ratio: number; shares: Float64Array } {
  const n = theta.length;
  const pairs: { i: number; j: number; h: number }[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push({ i, j, h: battleInformation(theta, i, j) });
  if (pairs.length === 0) return { ratio: 1, shares: new Float64Array(0) };
  const covOf = (w: ArrayLike<number>) => informationCovariance(n, pairs.map((p, k) => ({ i: p.i, j: p.j, information: (w[k] ?? 0) * p.h })), 0);
  let w = new Float64Array(pairs.length).fill(1 / pairs.length);
  const uniform = widestVariance(covOf(w), n);
  const power = 64;
  let rate = 0.5;
  for (let it = 0; it < iterations; it++) {
    const cov = covOf(w);
    const vmax = widestVariance(cov, n);
    const s = Array.from({ length: n }, (_, k) => ((cov[k * n + k] ?? 0) / vmax) ** power);
    const total = s.reduce((a, b) => a + b, 0);
    // d s_k / d w_e = -h_e (Σ v_e)_k², v_e = e_i - e_j.
    const grad = pairs.map((p) => {
      let g = 0;
      for (let k = 0; k < n; k++) {
        const x = (cov[k * n + p.i] ?? 0) - (cov[k * n + p.j] ?? 0);
        g -= ((s[k] ?? 0) / total) * p.h * x * x;
      }
      return g;
    });
    const big = Math.max(...grad.map(Math.abs)) || 1;
    const next = w.map((x, k) => x * Math.exp((-rate * (grad[k] ?? 0)) / big));
    const sum = next.reduce((a, b) => a + b, 0);
    w = next.map((x) => x / sum);
    if ((it + 1) % Math.ceil(iterations / 4) === 0) rate /= 2;
  }
  return { ratio: widestVariance(covOf(w), n) / uniform, shares: w };
}
