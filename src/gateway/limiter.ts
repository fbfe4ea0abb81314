/**
 * Per-model admission control: a concurrency limit plus optional requests-per-minute and
 * tokens-per-minute buckets, with strict FIFO queueing (a waiting caller is never overtaken).
 * Acquire and release are O(1): the queue is a singly linked list and the buckets are arithmetic.
 * The clock and timer are injected so tests can drive time by hand.
 */
import { TokenBucket } from "./token-bucket.js";

export interface LimiterLimits {
  maxConcurrency: number;
  /** Requests per minute; null = unlimited. */
  rpm: number | null;
  /** Tokens per minute; null = unlimited. */
  tpm: number | null;
}

export interface LimiterClock {
  now(): number;
  /** Run `fn` after `ms`; the limiter keeps at most one timer pending. */
  setTimer(fn: () => void, ms: number): void;
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  next: Waiter | null;
}

export class ModelLimiter {
  private inFlight = 0;
  private head: Waiter | null = null;
  private tail: Waiter | null = null;
  private queued = 0;
  private timerPending = false;
  private rpmBucket: TokenBucket | null = null;
  private tpmBucket: TokenBucket | null = null;
  private limits: LimiterLimits;

  constructor(limits: LimiterLimits, private readonly clock: LimiterClock) {
    this.limits = { ...limits };
    this.applyBuckets(limits);
  }

  /** Calls running now and calls waiting for a slot. */
  get stats(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queued };
  }

  /** Update limits in place (a model re-registered with new limits); waiting callers keep their place. */
  setLimits(limits: LimiterLimits): void {
    const l = this.limits;
    if (l.maxConcurrency === limits.maxConcurrency && l.rpm === limits.rpm && l.tpm === limits.tpm) return;
    this.limits = { ...limits };
    this.applyBuckets(limits);
    this.pump();
  }

  /**
   * Wait for a slot. `tokens` is the caller's estimate of the call's token use (ignored without a
   * tpm limit); it is reserved now and settled by `release`. Resolves in FIFO order.
   */
  acquire(tokens = 0): Promise<void> {
    if (this.head === null && this.admit(tokens)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const w: Waiter = { tokens, resolve, next: null };
      if (this.tail) this.tail.next = w;
      else this.head = w;
      this.tail = w;
      this.queued++;
      this.pump();
    });
  }

  /** Free a slot; `reserved` and `actual` settle the tpm bucket (actual above the estimate is debt). */
  release(reserved = 0, actual = reserved): void {
    this.inFlight--;
    if (this.tpmBucket) {
      const refund = this.reservation(reserved) - actual;
      if (refund !== 0) this.tpmBucket.adjust(refund, this.clock.now());
    }
    this.pump();
  }

  private applyBuckets(limits: LimiterLimits): void {
    const now = this.clock.now();
    this.rpmBucket = updateBucket(this.rpmBucket, limits.rpm, now);
    this.tpmBucket = updateBucket(this.tpmBucket, limits.tpm, now);
  }

  /** A reservation never exceeds the bucket's capacity, or a large request would wait forever. */
  private reservation(tokens: number): number {
    return this.tpmBucket ? Math.min(tokens, this.tpmBucket.capacity) : 0;
  }

  /** Take a slot and bucket tokens if all are available right now. */
  private admit(tokens: number): boolean {
    if (this.inFlight >= this.limits.maxConcurrency) return false;
    const now = this.clock.now();
    const need = this.reservation(tokens);
    if (this.rpmBucket && this.rpmBucket.available(now) < 1) return false;
    if (this.tpmBucket && this.tpmBucket.available(now) < need) return false;
    this.rpmBucket?.tryTake(1, now);
    this.tpmBucket?.tryTake(need, now);
    this.inFlight++;
    return true;
  }

  /** Admit waiters from the head while possible; if a bucket blocks the head, wake up when it refills. */
  private pump(): void {
    while (this.head !== null) {
      const w = this.head;
      if (!this.admit(w.tokens)) {
        if (this.inFlight < this.limits.maxConcurrency) this.scheduleRefill(w.tokens);
        return;
      }
      this.head = w.next;
      if (this.head === null) this.tail = null;
      this.queued--;
      w.resolve();
    }
  }

  private scheduleRefill(tokens: number): void {
    if (this.timerPending) return;
    const now = this.clock.now();
    const wait = Math.max(
      this.rpmBucket?.msUntil(1, now) ?? 0,
      this.tpmBucket?.msUntil(this.reservation(tokens), now) ?? 0,
      1,
    );
    this.timerPending = true;
    this.clock.setTimer(() => {
      this.timerPending = false;
      this.pump();
    }, wait);
  }
}

function updateBucket(bucket: TokenBucket | null, perMinute: number | null, now: number): TokenBucket | null {
  if (perMinute === null || !(perMinute > 0)) return null;
  if (bucket === null) return new TokenBucket(perMinute, now);
  bucket.setRate(perMinute, now);
  return bucket;
}

/** Process-wide limiters keyed by model name + base URL, so every caller shares one set of limits. */
export class LimiterRegistry {
  private readonly limiters = new Map<string, ModelLimiter>();
  constructor(private readonly clock: LimiterClock) {}

  get(key: string, limits: LimiterLimits): ModelLimiter {
    let limiter = this.limiters.get(key);
    if (limiter === undefined) {
      limiter = new ModelLimiter(limits, this.clock);
      this.limiters.set(key, limiter);
    } else {
      limiter.setLimits(limits);
    }
    return limiter;
  }
}

export const REAL_CLOCK: LimiterClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    setTimeout(fn, ms);
  },
};

/** The registry shared by every gateway in this process unless a test passes its own. */
export const SHARED_LIMITERS = new LimiterRegistry(REAL_CLOCK);
