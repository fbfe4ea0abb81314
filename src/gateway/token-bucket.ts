/**
 * A token bucket refilled continuously at `perMinute / 60_000` tokens per ms. The level may go
 * negative: when a call used more tokens than were reserved for it, the debt delays later callers.
 * Pure: the caller passes the time on every operation.
 */

/** Burst window: a bucket holds at most this many ms of refill, so requests are spread, not bunched. */
export const BURST_WINDOW_MS = 1_000;

export class TokenBucket {
  private level: number;
  private last: number;
  private perMs: number;
  private cap: number;

  constructor(perMinute: number, nowMs: number) {
    this.perMs = perMinute / 60_000;
    this.cap = TokenBucket.capacityFor(perMinute);
    this.level = this.cap;
    this.last = nowMs;
  }

  /** Capacity: one burst window of refill, but at least one whole token so a single request can pass. */
  static capacityFor(perMinute: number): number {
    return Math.max(1, (perMinute * BURST_WINDOW_MS) / 60_000);
  }

  get capacity(): number {
    return this.cap;
  }

  /** Change the rate in place, keeping the current level (clamped to the new capacity). */
  setRate(perMinute: number, nowMs: number): void {
    this.refill(nowMs);
    this.perMs = perMinute / 60_000;
    this.cap = TokenBucket.capacityFor(perMinute);
    this.level = Math.min(this.level, this.cap);
  }

  /** Current level after refilling up to `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.level;
  }

  /** Take `n` tokens if the level allows it; returns whether it did. */
  tryTake(n: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.level + 1e-9 < n) return false;
    this.level -= n;
    return true;
  }

  /** Add (positive) or remove (negative) tokens, e.g. to settle a reservation against actual use. */
  adjust(delta: number, nowMs: number): void {
    this.refill(nowMs);
    this.level = Math.min(this.cap, this.level + delta);
  }

  /** Ms until `n` tokens will be available (0 if they are now). */
  msUntil(n: number, nowMs: number): number {
    this.refill(nowMs);
    if (this.level >= n) return 0;
    return Math.ceil((n - this.level) / this.perMs);
  }

  private refill(nowMs: number): void {
    const dt = nowMs - this.last;
    if (dt > 0) {
      this.level = Math.min(this.cap, this.level + dt * this.perMs);
      this.last = nowMs;
    }
  }
}
