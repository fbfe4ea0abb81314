/**
 * One worker loop for every lease queue (battles, generator tasks): claim what fits under the
 * concurrency bound, run each job's handler, renew the leases of jobs in flight on a timer, poll
 * again after a pause when the queue is empty (calling `idle` then), and record each outcome on the
 * queue before the `after` hook sees it. `stop()` claims nothing more and resolves once the jobs in
 * flight have settled; `stop({ graceMs })` waits at most that long, then hands the jobs still running
 * back to the queue (their leases released, their attempts not counted) so another worker takes them
 * at once instead of after their lease expires. A released job's late completion writes nothing: every
 * finishing write is guarded by the lease owner.
 *
 * Outcomes: a handler returns `{ done }` (the queue completes the job with it) or `{ park }` (the job
 * goes back to the queue without counting the attempt: it could not run yet, e.g. its budget is
 * waiting on reservations, or a provider batch call has not come back). `after` runs once the outcome
 * is recorded and may enqueue more work (the next wave of an adaptive round, a run's next stage).
 *
 * The crash rule: a thrown `JobError` is a failure of that kind, retried while it is retryable and
 * attempts are left. Anything else thrown while running or completing a job is a crash: it is logged
 * at error and recorded as kind "internal", retryable until the job's attempts are spent (a crash may
 * be a passing fault, such as a lost connection; a bug fails the job after `maxAttempts` tries, with
 * its message kept on the job).
 */
import { JobError } from "./job-error.js";

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A lease queue bound to its database, owner and lease length. */
export interface LoopQueue<J, D> {
  claim(n: number): Promise<J[]>;
  renew(ids: number[]): Promise<void>;
  /** False when the lease was lost (another worker finished the job): nothing was written. */
  complete(job: J, done: D): Promise<boolean>;
  fail(job: J, err: JobError, maxAttempts: number): Promise<"retry" | "failed">;
  park(job: J): Promise<void>;
  /** Hands jobs this worker still holds back to the queue, attempts not counted (shutdown). */
  release?(ids: number[]): Promise<void>;
}

export type Outcome<D> = { done: D } | { park: string };

/** What became of a job: completed, lost to another worker, back in the queue, failed for good, parked. */
export type Fate = "done" | "lost" | "retry" | "failed" | "parked";

export interface JobHandler<J, C extends { maxAttempts: number }, D> {
  /** Loads what the job needs (its parent row, its budget); null leaves the job alone. */
  prepare(job: J): Promise<C | null>;
  run(job: J, ctx: C): Promise<Outcome<D>>;
  after?(job: J, ctx: C, fate: Fate): Promise<void>;
}

export interface JobLoopOptions<J extends { id: number }, C extends { maxAttempts: number }, D> {
  queue: LoopQueue<J, D>;
  handler: JobHandler<J, C, D>;
  concurrency: number;
  leaseMs: number;
  /** Pause between claims when the queue was empty. */
  pollMs: number;
  /** Pause before claiming again when a claim left slots free (default 20 ms). */
  refillMs?: number;
  /** Called when a claim found nothing and nothing is in flight. */
  idle?: () => Promise<void>;
  log: JobLog;
  /** Names jobs in log messages ("battle", "generator task"). */
  label: string;
  /** Log fields naming a job (default its id). */
  fields?: (job: J) => object;
}

export interface StopOptions {
  /** Longest wait for jobs in flight before they are released to the queue (default: wait for all). */
  graceMs?: number;
}

export interface JobLoop {
  /** Resolves when the loop has stopped and the jobs in flight have settled or, after `graceMs`, been released. */
  stop(opts?: StopOptions): Promise<void>;
  /** Jobs handed back by the last `stop()` because they outlasted its grace period. */
  readonly released: number;
  /** Jobs that reached a fate other than parked since the loop started. */
  readonly processed: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The failure a thrown value stands for, under the crash rule above. */
export function failureOf(e: unknown): JobError {
  if (e instanceof JobError) return e;
  return new JobError("internal", e instanceof Error ? e.message : String(e), true);
}

export function startJobLoop<J extends { id: number }, C extends { maxAttempts: number }, D>(o: JobLoopOptions<J, C, D>): JobLoop {
  const inFlight = new Map<number, Promise<void>>();
  const fields = o.fields ?? ((job: J) => ({ jobId: job.id }));
  let stopped = false;
  let processed = 0;
  let released = 0;
  let wake: (() => void) | null = null;

  const settle = async (job: J, ctx: C): Promise<Fate> => {
    let outcome: Outcome<D>;
    try {
      outcome = await o.handler.run(job, ctx);
      if ("done" in outcome) return (await o.queue.complete(job, outcome.done)) ? "done" : "lost";
    } catch (e) {
      const err = failureOf(e);
      if (!(e instanceof JobError)) o.log.error({ err: e, ...fields(job) }, `${o.label} crashed`);
      const fate = await o.queue.fail(job, err, ctx.maxAttempts);
      if (fate === "failed") o.log.warn({ ...fields(job), kind: err.kind, error: err.message }, `${o.label} failed`);
      return fate;
    }
    await o.queue.park(job);
    return "parked";
  };

  const handle = async (job: J): Promise<void> => {
    const ctx = await o.handler.prepare(job);
    if (!ctx) return;
    const fate = await settle(job, ctx);
    if (fate !== "parked") processed++;
    await o.handler.after?.(job, ctx, fate);
  };

  const renewTimer = setInterval(() => {
    void o.queue.renew([...inFlight.keys()]).catch((err: unknown) => o.log.warn({ err }, `${o.label} lease renewal failed`));
  }, Math.max(500, Math.floor(o.leaseMs / 3)));
  renewTimer.unref();

  const claim = async (): Promise<J[]> => {
    try {
      const free = o.concurrency - inFlight.size;
      const claimed = free > 0 ? await o.queue.claim(free) : [];
      if (claimed.length === 0 && inFlight.size === 0) await o.idle?.();
      return claimed;
    } catch (err) {
      o.log.warn({ err }, `${o.label} claim failed; retrying`);
      return [];
    }
  };

  const loop = async () => {
    while (!stopped) {
      const claimed = await claim();
      for (const job of claimed) {
        const p = handle(job)
          .catch((err: unknown) => o.log.error({ err, ...fields(job) }, `${o.label} handling failed`))
          .finally(() => {
            inFlight.delete(job.id);
            wake?.();
          });
        inFlight.set(job.id, p);
      }
      if (stopped) break;
      // Sleep until a slot frees up, or poll again after a pause when the queue was empty.
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (claimed.length === 0 || inFlight.size < o.concurrency) void sleep(claimed.length === 0 ? o.pollMs : (o.refillMs ?? 20)).then(resolve);
      });
      wake = null;
    }
  };
  const running = loop();

  return {
    get processed() {
      return processed;
    },
    get released() {
      return released;
    },
    stop: async (opts = {}) => {
      stopped = true;
      wake?.();
      await running;
      const settled = Promise.allSettled([...inFlight.values()]);
      if (opts.graceMs === undefined) await settled;
      else {
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<"grace">((r) => (timer = setTimeout(() => r("grace"), opts.graceMs)));
        const first = await Promise.race([settled.then(() => "settled" as const), graceOver]);
        clearTimeout(timer);
        const left = [...inFlight.keys()];
        if (first === "grace" && left.length > 0) {
          try {
            await o.queue.release?.(left);
            released = left.length;
            o.log.warn({ jobs: left.length }, `${o.label}s still running after the ${opts.graceMs} ms grace period were released to the queue`);
          } catch (err) {
            o.log.warn({ err, jobs: left.length }, `${o.label} release failed; their leases will expire`);
          }
        }
      }
      clearInterval(renewTimer);
    },
  };
}
