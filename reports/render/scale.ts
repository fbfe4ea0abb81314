/**
 * Axis scales for the SVG charts: "nice" tick steps (1, 2 or 5 times a power of ten), a domain
 * widened to whole steps, and a linear map from data to pixels.
 */

export interface NiceDomain {
  lo: number;
  hi: number;
  step: number;
}

/** The smallest step of the form {1, 2, 5} x 10^k that is at least span / targetTicks. */
export function niceStep(span: number, targetTicks = 5): number {
  const raw = span / Math.max(1, targetTicks);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    // The small tolerance keeps e.g. 20.000000001 from jumping to 50.
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

/**
 * Widens [min, max] to whole multiples of a nice step. A zero-width extent (e.g. intervals from
 * zero bootstrap rounds, or one model) is padded by `pad` on each side first.
 */
export function niceDomain(min: number, max: number, targetTicks = 5, pad = 50): NiceDomain {
  let a = Math.min(min, max);
  let b = Math.max(min, max);
  if (!Number.isFinite(a) || !Number.isFinite(b)) [a, b] = [0, 1];
  if (b - a < 1e-9) [a, b] = [a - pad, b + pad];
  const step = niceStep(b - a, targetTicks);
  return { lo: Math.floor(a / step + 1e-9) * step, hi: Math.ceil(b / step - 1e-9) * step, step };
}

/** Tick values lo, lo + step, ..., hi (computed by index so floating error does not accumulate). */
export function ticks(d: NiceDomain): number[] {
  const n = Math.round((d.hi - d.lo) / d.step);
  return Array.from({ length: n + 1 }, (_, i) => d.lo + i * d.step);
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}
