import type { Rng } from "../lib/random.js";
/**
 * Exact binomial and multinomial sampling for the counts bootstrap. Binomial(n, p) uses cdf inversion
 * (BINV) when n·p < 10 and Hörmann's BTRS transformed rejection otherwise (Hörmann 1993,
 * "The generation of binomial random variates"; the same split PyTorch uses), so a draw costs O(1)
 * expected time however large n is. Multinomial draws are chained conditional binomials.
 */

// log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(sqrt(2π))], exact for k < 10 (Hörmann's table).
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

function stirlingTail(k: number): number {
  if (k < 10) return STIRLING_TAIL[k] ?? 0;
  const kp1 = k + 1;
  const inv2 = 1 / (kp1 * kp1);
  return (1 / 12 - (1 / 360 - inv2 / 1260) * inv2) / kp1;
}

/**
 * BINV (Kachitvichyanukul & Schmeiser 1988): walks the cdf from 0 with the pmf recurrence
 * f(k) = f(k-1)·((n+1)/k - 1)·p/q, O(n·p) cheap steps; restarts past a far tail bound, where rounding
 * could otherwise leave the walk short of u.
 */
function inversion(n: number, p: number, rng: Rng): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  const f0 = Math.exp(n * Math.log1p(-p));
  const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * q + 1));
  for (;;) {
    let u = rng();
    let f = f0;
    let k = 0;
    while (u > f) {
      u -= f;
      k++;
      if (k > bound) break;
      f *= a / k - s;
    }
    if (k <= bound) return k;
  }
}

/** BTRS for p <= 1/2 and n·p >= 10. */
function btrs(n: number, p: number, rng: Rng): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const twoA = 2 * a;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  // Terms of the log-density bound at the mode, computed on the first slow-path trial only.
  let ready = false;
  let mode = 0;
  let logR = 0;
  let alpha = 0;
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((twoA / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    if (!ready) {
      const m = Math.floor((n + 1) * p);
      logR = Math.log(p / q);
      alpha = (2.83 + 5.1 / b) * spq;
      mode = (m + 0.5) * (Math.log((m + 1) / (n - m + 1)) - logR) + (n + 1) * Math.log(n - m + 1) + stirlingTail(m) + stirlingTail(n - m);
      ready = true;
    }
    const nk1 = n - k + 1;
    const bound = mode - (n + 1) * Math.log(nk1) + (k + 0.5) * (logR + Math.log(nk1 / (k + 1))) - stirlingTail(k) - stirlingTail(n - k);
    if (Math.log((v * alpha) / (a / (us * us) + b)) <= bound) return k;
  }
}

/** One Binomial(n, p) draw; n a non-negative integer. */
export function sampleBinomial(n: number, p: number, rng: Rng): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(n, 1 - p, rng);
  return n * p < 10 ? inversion(n, p, rng) : btrs(n, p, rng);
}

/**
 * Multinomial(total, probabilities ∝ mass) written into `out`: cell k gets Binomial(remaining total,
 * mass_k / remaining mass), which is exactly the multinomial's conditional law.
 */
export function sampleMultinomial(total: number, mass: Float64Array, rng: Rng, out = new Float64Array(mass.length)): Float64Array {
  let remainingMass = 0;
  for (let k = 0; k < mass.length; k++) remainingMass += mass[k] ?? 0;
  let remaining = total;
  const last = mass.length - 1;
  for (let k = 0; k < mass.length; k++) {
    const m = mass[k] ?? 0;
    if (remaining <= 0 || remainingMass <= 0) {
      out[k] = 0;
      continue;
    }
    const draw = k === last ? remaining : sampleBinomial(remaining, m >= remainingMass ? 1 : m / remainingMass, rng);
    out[k] = draw;
    remaining -= draw;
    remainingMass -= m;
  }
  return out;
}
