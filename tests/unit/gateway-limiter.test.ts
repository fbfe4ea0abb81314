// Limiter: concurrency, FIFO order, rpm / tpm token buckets, driven by a hand-advanced clock.
// Expected admission times are worked out by hand from the bucket rules: capacity = one second of
// refill (at least 1), refill rate = limit / 60_000 per ms, strict FIFO (no overtaking).
import { describe, expect, it } from "vitest";
import { LimiterRegistry, ModelLimiter, type LimiterClock, type LimiterLimits } from "../../src/gateway/limiter.js";
import { TokenBucket } from "../../src/gateway/token-bucket.js";

class ManualClock implements LimiterClock {
  t = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): void => {
    this.timers.push({ at: this.t + ms, fn });
  };
  /** Advance to `until`, firing due timers in time order (each may schedule more). */
  async advanceTo(until: number): Promise<void> {
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > until) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = until;
    await flush();
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const limits = (l: Partial<LimiterLimits>): LimiterLimits => ({ maxConcurrency: 1000, rpm: null, tpm: null, ...l });

/** Acquire for each label in order; record [label, admission time] as each is admitted. */
function acquireAll(lim: ModelLimiter, clock: ManualClock, reqs: { label: string; tokens?: number; releaseActual?: number }[]) {
  const log: [string, number][] = [];
  for (const r of reqs) {
    void lim.acquire(r.tokens ?? 0).then(() => {
      log.push([r.label, clock.t]);
      if (r.releaseActual !== undefined) lim.release(r.tokens ?? 0, r.releaseActual);
    });
  }
  return log;
}

describe("ModelLimiter concurrency", () => {
  it("admits up to the limit, then one per release, in FIFO order", async () => {
    const clock = new ManualClock();
    const lim = new ModelLimiter(limits({ maxConcurrency: 2 }), clock);
    const log = acquireAll(lim, clock, ["a", "b", "c", "d", "e"].map((label) => ({ label })));
    await flush();
    expect(log.map((x) => x[0])).toEqual(["a", "b"]);
    expect(lim.stats).toEqual({ inFlight: 2, queued: 3 });
    lim.release();
    await flush();
    expect(log.map((x) => x[0])).toEqual(["a", "b", "c"]);
    lim.release();
    lim.release();
    await flush();
    expect(log.map((x) => x[0])).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("raising the limit admits waiters at once", async () => {
    const clock = new ManualClock();
    const lim = new ModelLimiter(limits({ maxConcurrency: 1 }), clock);
    const log = acquireAll(lim, clock, [{ label: "a" }, { label: "b" }, { label: "c" }]);
    await flush();
    expect(log.length).toBe(1);
    lim.setLimits(limits({ maxConcurrency: 3 }));
    await flush();
    expect(log.length).toBe(3);
  });
});

describe("ModelLimiter rate buckets", () => {
  const cases: {
    name: string;
    limits: Partial<LimiterLimits>;
    reqs: { label: string; tokens?: number; releaseActual?: number }[];
    want: [string, number][];
  }[] = [
    {
      // rpm 120: capacity 2, one token per 500 ms.
      name: "rpm spaces requests after the burst",
      limits: { rpm: 120 },
      reqs: ["a", "b", "c", "d", "e"].map((label) => ({ label, releaseActual: 0 })),
      want: [["a", 0], ["b", 0], ["c", 500], ["d", 1000], ["e", 1500]],
    },
    {
      // tpm 6000: capacity 100, 0.1 token/ms. a reserves 60 but used 160: level 40 - 100 = -60;
      // b needs 60 -> 120 tokens short -> 1200 ms.
      name: "tpm debt from under-estimated calls delays the next caller",
      limits: { tpm: 6000 },
      reqs: [{ label: "a", tokens: 60, releaseActual: 160 }, { label: "b", tokens: 60, releaseActual: 60 }],
      want: [["a", 0], ["b", 1200]],
    },
    {
      // a drains the bucket; b (80) waits 800 ms; c (10) may not overtake b, then waits 100 ms more.
      name: "a small request never overtakes a waiting large one",
      limits: { tpm: 6000 },
      reqs: [
        { label: "a", tokens: 100, releaseActual: 100 },
        { label: "b", tokens: 80, releaseActual: 80 },
        { label: "c", tokens: 10, releaseActual: 10 },
      ],
      want: [["a", 0], ["b", 800], ["c", 900]],
    },
    {
      // tpm 600: capacity 10; a 1000-token estimate reserves only 10 so it can ever run.
      name: "a reservation above capacity is capped",
      limits: { tpm: 600 },
      reqs: [{ label: "a", tokens: 1000 }],
      want: [["a", 0]],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const clock = new ManualClock();
      const lim = new ModelLimiter(limits(tc.limits), clock);
      const log = acquireAll(lim, clock, tc.reqs);
      await clock.advanceTo(10_000);
      expect(log).toEqual(tc.want);
    });
  }
});

describe("TokenBucket", () => {
  const cases = [
    { perMinute: 60, cap: 1 }, // 1/s -> capacity max(1, 1)
    { perMinute: 30, cap: 1 }, // 0.5/s -> at least one token
    { perMinute: 6000, cap: 100 },
  ];
  for (const tc of cases) {
    it(`capacity for ${tc.perMinute}/min is ${tc.cap}`, () => expect(TokenBucket.capacityFor(tc.perMinute)).toBe(tc.cap));
  }
  it("reports the wait for missing tokens", () => {
    const b = new TokenBucket(6000, 0); // 0.1 token/ms
    expect(b.tryTake(100, 0)).toBe(true);
    expect(b.msUntil(25, 0)).toBe(250);
    expect(b.available(100)).toBeCloseTo(10, 9);
  });
});

describe("LimiterRegistry", () => {
  it("shares one limiter per key and updates its limits", async () => {
    const clock = new ManualClock();
    const reg = new LimiterRegistry(clock);
    const a = reg.get("m\u0000u", limits({ maxConcurrency: 1 }));
    expect(reg.get("m\u0000u", limits({ maxConcurrency: 1 }))).toBe(a);
    expect(reg.get("m\u0000v", limits({ maxConcurrency: 1 }))).not.toBe(a);
    await a.acquire();
    const second = a.acquire();
    reg.get("m\u0000u", limits({ maxConcurrency: 2 }));
    await second;
    expect(a.stats.inFlight).toBe(2);
  });
});

describe("ModelLimiter cost", () => {
  it("queues and drains 100k waiters in well under the time an O(n) queue would take (O(1) per operation)", async () => {
    const lim = new ModelLimiter(limits({ maxConcurrency: 1 }), new ManualClock());
    const n = 100_000;
    let done = 0;
    const t0 = performance.now();
    const all: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      all.push(lim.acquire().then(() => {
        done++;
        lim.release();
      }));
    }
    await Promise.all(all);
    const ms = performance.now() - t0;
    expect(done).toBe(n);
    expect(lim.stats).toEqual({ inFlight: 0, queued: 0 });
    expect(ms).toBeLessThan(2500);
  });
});
