/**
 * The worker loop (lib/job-loop.ts) over an in-memory queue: its crash rule (an unexpected exception
 * is kind "internal", logged at error, retried until the attempts are spent; a JobError keeps its
 * kind and retryability), park not counting an attempt, the concurrency bound, the idle hook, lease
 * renewal of jobs in flight, and stop() letting in-flight work settle before it resolves.
 */
import { afterEach, describe, expect, it } from "vitest";
import { JobError } from "../../lib/job-error.js";
import { type Fate, type JobHandler, type JobLoop, type LoopQueue, type Outcome, startJobLoop } from "../../lib/job-loop.js";

interface Job {
  id: number;
  attempts: number;
}

/** A lease queue in memory: claim takes pending jobs in id order and counts the attempt. */
class MemoryQueue implements LoopQueue<Job, string> {
  status = new Map<number, "pending" | "running" | "done" | "failed">();
  attempts = new Map<number, number>();
  results = new Map<number, string>();
  errors = new Map<number, { kind: string; message: string; retryable: boolean }>();
  renewed: number[][] = [];
  claims = 0;

  constructor(n: number) {
    for (let id = 1; id <= n; id++) this.add(id);
  }
  add(id: number) {
    this.status.set(id, "pending");
    this.attempts.set(id, 0);
  }
  async claim(n: number): Promise<Job[]> {
    this.claims++;
    const ids = [...this.status].filter(([, s]) => s === "pending").map(([id]) => id).slice(0, n);
    return ids.map((id) => {
      const attempts = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempts);
      this.status.set(id, "running");
      return { id, attempts };
    });
  }
  async renew(ids: number[]) {
    this.renewed.push(ids);
  }
  async complete(job: Job, done: string) {
    if (this.status.get(job.id) !== "running") return false;
    this.status.set(job.id, "done");
    this.results.set(job.id, done);
    return true;
  }
  async fail(job: Job, err: JobError, maxAttempts: number) {
    const again = err.retryable && job.attempts < maxAttempts;
    this.status.set(job.id, again ? "pending" : "failed");
    this.errors.set(job.id, { kind: err.kind, message: err.message, retryable: err.retryable });
    return again ? ("retry" as const) : ("failed" as const);
  }
  async park(job: Job) {
    this.status.set(job.id, "pending");
    this.attempts.set(job.id, job.attempts - 1);
  }
  settled() {
    return [...this.status.values()].every((s) => s === "done" || s === "failed");
  }
}

interface Logged {
  level: "info" | "warn" | "error";
  msg: string;
  obj: object;
}
const logger = (into: Logged[]) => ({
  info: (obj: object, msg: string) => void into.push({ level: "info", obj, msg }),
  warn: (obj: object, msg: string) => void into.push({ level: "warn", obj, msg }),
  error: (obj: object, msg: string) => void into.push({ level: "error", obj, msg }),
});

const until = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
};

let loops: JobLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.map((l) => l.stop()));
  loops = [];
});

function start(queue: MemoryQueue, run: (job: Job) => Promise<Outcome<string>>, extra: { concurrency?: number; maxAttempts?: number; leaseMs?: number; idle?: () => Promise<void> } = {}) {
  const log: Logged[] = [];
  const fates: [number, Fate][] = [];
  const handler: JobHandler<Job, { maxAttempts: number }, string> = {
    prepare: async () => ({ maxAttempts: extra.maxAttempts ?? 3 }),
    run,
    after: async (job, _ctx, fate) => void fates.push([job.id, fate]),
  };
  const loop = startJobLoop({ queue, handler, concurrency: extra.concurrency ?? 4, leaseMs: extra.leaseMs ?? 60_000, pollMs: 5, refillMs: 1, log: logger(log), label: "job", ...(extra.idle ? { idle: extra.idle } : {}) });
  loops.push(loop);
  return { loop, log, fates };
}

describe("job loop: the crash rule", () => {
  const cases = [
    { name: "a crash (plain Error) is internal, retryable, logged at error", thrown: () => new Error("bug"), kind: "internal", tries: 3, errorLogs: 3 },
    { name: "a thrown non-Error value is a crash too", thrown: () => "oops", kind: "internal", tries: 3, errorLogs: 3 },
    { name: "a retryable JobError is retried until the attempts are spent, not logged at error", thrown: () => new JobError("timeout", "slow", true), kind: "timeout", tries: 3, errorLogs: 0 },
    { name: "a non-retryable JobError fails at once", thrown: () => new JobError("config", "no model", false), kind: "config", tries: 1, errorLogs: 0 },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const q = new MemoryQueue(1);
      const { loop, log, fates } = start(q, async () => {
        throw tc.thrown();
      });
      await until(() => q.settled());
      await loop.stop();
      expect(q.status.get(1)).toBe("failed");
      expect(q.attempts.get(1)).toBe(tc.tries);
      expect(q.errors.get(1)?.kind).toBe(tc.kind);
      expect(log.filter((l) => l.level === "error")).toHaveLength(tc.errorLogs);
      expect(log.filter((l) => l.level === "warn" && l.msg === "job failed")).toHaveLength(1);
      expect(fates).toEqual([...Array.from({ length: tc.tries - 1 }, () => [1, "retry"]), [1, "failed"]]);
      expect(loop.processed).toBe(tc.tries);
    });
  }

  it("a crash in completing the job follows the same rule", async () => {
    const q = new MemoryQueue(1);
    let n = 0;
    q.complete = async () => {
      if (n++ === 0) throw new Error("connection lost");
      q.status.set(1, "done");
      return true;
    };
    const { loop, fates, log } = start(q, async () => ({ done: "ok" }));
    await until(() => q.settled());
    await loop.stop();
    expect(fates).toEqual([
      [1, "retry"],
      [1, "done"],
    ]);
    expect(q.errors.get(1)).toEqual({ kind: "internal", message: "connection lost", retryable: true });
    expect(log.filter((l) => l.level === "error")).toHaveLength(1);
  });
});

describe("job loop: outcomes and scheduling", () => {
  it("completes jobs with the handler's result; a lost lease is 'lost'", async () => {
    const q = new MemoryQueue(3);
    const { loop, fates } = start(q, async (job) => {
      if (job.id === 2) q.status.set(2, "done"); // another worker finished it first
      return { done: `r${job.id}` };
    });
    await until(() => fates.length === 3);
    await loop.stop();
    expect(q.results).toEqual(new Map([[1, "r1"], [3, "r3"]]));
    expect(new Map(fates)).toEqual(new Map<number, Fate>([[1, "done"], [2, "lost"], [3, "done"]]));
  });

  it("a parked job goes back without counting its attempt and is claimed again", async () => {
    const q = new MemoryQueue(1);
    let runs = 0;
    const { loop, fates } = start(q, async () => (++runs < 4 ? { park: "budget" } : { done: "ok" }), { maxAttempts: 1 });
    await until(() => q.settled());
    await loop.stop();
    expect(q.status.get(1)).toBe("done");
    expect(q.attempts.get(1)).toBe(1);
    expect(fates.map(([, f]) => f)).toEqual(["parked", "parked", "parked", "done"]);
    expect(loop.processed).toBe(1);
  });

  it("the after hook may enqueue more work (waves), which the loop then claims", async () => {
    const q = new MemoryQueue(2);
    const log: Logged[] = [];
    const loop = startJobLoop<Job, { maxAttempts: number }, string>({
      queue: q,
      handler: {
        prepare: async () => ({ maxAttempts: 3 }),
        run: async (job) => ({ done: `r${job.id}` }),
        after: async (job) => {
          if (job.id < 6) q.add(job.id + 2);
        },
      },
      concurrency: 2,
      leaseMs: 60_000,
      pollMs: 5,
      log: logger(log),
      label: "job",
    });
    loops.push(loop);
    await until(() => q.status.size === 7 && q.settled());
    await loop.stop();
    expect([...q.results.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("never runs more than `concurrency` jobs at once, and calls idle only when nothing is in flight", async () => {
    const q = new MemoryQueue(12);
    let running = 0;
    let peak = 0;
    const idleAt: number[] = [];
    const { loop } = start(
      q,
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return { done: "ok" };
      },
      { concurrency: 3, idle: async () => void idleAt.push(running) },
    );
    await until(() => q.settled() && idleAt.length > 0);
    await loop.stop();
    expect(peak).toBe(3);
    expect(idleAt.every((r) => r === 0)).toBe(true);
  });

  it("renews the leases of the jobs in flight", async () => {
    const q = new MemoryQueue(2);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { loop } = start(q, async () => (await gate, { done: "ok" }), { leaseMs: 300 });
    await until(() => q.renewed.some((ids) => ids.length === 2), 3000);
    expect(q.renewed.find((ids) => ids.length === 2)?.sort()).toEqual([1, 2]);
    release();
    await loop.stop();
  });
});

describe("job loop: stop", () => {
  it("lets jobs in flight settle (their outcome recorded, after called) and claims nothing more", async () => {
    const q = new MemoryQueue(5);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { loop, fates } = start(q, async (job) => (await gate, { done: `r${job.id}` }), { concurrency: 2 });
    await until(() => q.claims > 0 && [...q.status.values()].filter((s) => s === "running").length === 2);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    const claimsAtStop = q.claims;
    release();
    await stopping;
    expect(fates).toEqual([
      [1, "done"],
      [2, "done"],
    ]);
    expect(q.claims).toBe(claimsAtStop);
    expect([3, 4, 5].map((id) => q.status.get(id))).toEqual(["pending", "pending", "pending"]);
  });

  it("resolves at once when nothing is in flight", async () => {
    const q = new MemoryQueue(0);
    const { loop } = start(q, async () => ({ done: "ok" }));
    await until(() => q.claims > 0);
    await loop.stop();
    const claims = q.claims;
    await new Promise((r) => setTimeout(r, 30));
    expect(q.claims).toBe(claims);
  });
});
