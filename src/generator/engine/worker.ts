/**
 * The generator worker: the gen_tasks queue (src/generator/engine/task-queue.ts) run by the one job loop
 * (lib/job-loop.ts). Its handler runs a task through its run's pipeline (the result and the items it
 * writes are recorded in one transaction); its hooks stop a budgeted run and advance runs whose stage
 * has settled. Idle polls also advance stalled runs, so a run interrupted between a task and its
 * stage change (a crash, a restart) continues. Any number of workers may share one PostgreSQL database.
 */
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { genRuns } from "../../../db/schema/index.js";
import { JobError } from "../../../lib/job-error.js";
import { type JobHandler, type JobLoop, type LoopQueue, startJobLoop, type StopOptions } from "../../../lib/job-loop.js";
import type { Deps } from "../../deps.js";
import { loadRunGuard, type RunGuard, runBudgetStop } from "./run-budget.js";
import { createGenLlm } from "./llm.js";
import { pipelineContext } from "./context.js";
import type { PipelineContext } from "../pipelines/pipeline.js";
import { type RunRow, stalledRuns, taskCounts, type TaskRow, taskQueue } from "./task-queue.js";
import { advanceRun, handleTask } from "./runner.js";

export interface GeneratorWorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Attempts per task before its failure is final (default 3). */
  maxAttempts?: number;
  owner?: string;
}

export interface GeneratorWorker {
  stop(opts?: StopOptions): Promise<void>;
  /** Tasks handed back by `stop()` because they outlasted its grace period. */
  readonly released: number;
}

/** What a finished task hands the queue: its output, and the rows it writes in the same transaction. */
interface TaskDone {
  output: Record<string, unknown>;
  write?: (tx: Db) => Promise<void>;
}

interface TaskContext {
  run: RunRow;
  guard: RunGuard | null;
  ctx: PipelineContext;
  maxAttempts: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

type WorkerDeps = Pick<Deps, "db" | "gateway" | "config" | "logger">;

/** The gen_tasks queue bound to one worker. */
function boundQueue(db: Db, owner: string, leaseMs: number, log: WorkerDeps["logger"]): LoopQueue<TaskRow, TaskDone> {
  return {
    claim: (n) => taskQueue.claim(db, owner, n, leaseMs, (ids) => log.info({ runIds: ids, owner }, ids.length === 1 ? "generator run started" : "generator runs started")),
    renew: (ids) => taskQueue.renew(db, owner, ids, leaseMs),
    complete: (t, done) => taskQueue.complete(db, t.id, owner, { set: { output: done.output }, ...(done.write ? { write: done.write } : {}) }),
    fail: (t, err, maxAttempts) => taskQueue.fail(db, t, owner, err, maxAttempts),
    park: (t) => taskQueue.park(db, t.id, owner),
    release: (ids) => taskQueue.release(db, ids, owner),
  };
}

function taskHandler(deps: WorkerDeps, base: PipelineContext, maxAttempts: number, owner: string): JobHandler<TaskRow, TaskContext, TaskDone> {
  const { db, logger } = deps;
  return {
    prepare: async (task) => {
      const [run] = await db.select().from(genRuns).where(eq(genRuns.id, task.runId));
      if (!run) return null;
      const guard = await loadRunGuard(db, run.id, { job: task.id, owner });
      const ctx = guard ? pipelineContext(deps, guard) : base;
      return { run, guard, ctx, maxAttempts };
    },
    run: async (task, { run, ctx }) => {
      try {
        const result = await handleTask(ctx, run, task);
        return { done: { output: result.output, ...(result.write ? { write: result.write } : {}) } };
      } catch (e) {
        // Not a failure: the task waits in the queue (its attempt not counted) for room or a raised budget.
        if (e instanceof JobError && e.kind === "budget") return { park: "budget" };
        throw e;
      }
    },
    after: async (_task, { run, guard }, fate) => {
      if (fate === "parked") {
        if (await runBudgetStop(db, run.id, guard?.exhausted === true ? "never" : "wait")) logger.info({ runId: run.id, kind: run.kind, ...(await taskCounts(db, run.id)) }, "generator run stopped by its budget");
        else await sleep(500);
        return;
      }
      if (guard) await runBudgetStop(db, run.id, "ended");
      await advanceRun(base, run.id);
    },
  };
}

/** Starts a generator worker on `deps` (the embedded one in `serve`, or one per `worker` process). */
export function startGeneratorWorker(deps: WorkerDeps, opts: GeneratorWorkerOptions = {}): GeneratorWorker {
  const o: Required<GeneratorWorkerOptions> = {
    concurrency: opts.concurrency ?? Math.min(16, deps.config.workerConcurrency),
    leaseMs: opts.leaseMs ?? deps.config.leaseMs,
    pollMs: opts.pollMs ?? 200,
    maxAttempts: opts.maxAttempts ?? 3,
    owner: opts.owner ?? `${hostname()}:${process.pid}:generator`,
  };
  const base = pipelineContext(deps);
  const loop: JobLoop = startJobLoop({
    queue: boundQueue(deps.db, o.owner, o.leaseMs, deps.logger),
    handler: taskHandler(deps, base, o.maxAttempts, o.owner),
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    pollMs: o.pollMs,
    refillMs: 10,
    // Runs left between stages (after a crash or restart) are advanced when there is nothing else to do.
    idle: async () => {
      for (const id of await stalledRuns(deps.db)) await advanceRun(base, id);
    },
    log: deps.logger,
    label: "generator task",
    fields: (t) => ({ runId: t.runId, taskId: t.id, task: t.key }),
  });
  deps.logger.info({ owner: o.owner, concurrency: o.concurrency }, "generator worker started");
  return {
    stop: (opts) => loop.stop(opts),
    get released() {
      return loop.released;
    },
  };
}
