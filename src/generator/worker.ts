/**
 * The generator worker: claims tasks of active runs, runs them with bounded concurrency (renewing
 * leases while they run), records results or errors, and advances runs whose stage has settled.
 * Idle polls also advance stalled runs, so a run interrupted between a task and its stage change
 * (a crash, a restart) continues. Any number of workers may share one PostgreSQL database.
 */
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import { genRuns } from "../../db/schema/index.js";
import type { Deps } from "../deps.js";
import { createModelCaller } from "../services/model-caller.js";
import { createEmbedder } from "./embedder.js";
import { JobError } from "../../lib/job-error.js";
import { createGenLlm } from "./llm.js";
import type { PipelineContext } from "./pipeline.js";
import { loadRunGuard, runBudgetStop } from "./budget.js";
import { claimTasks, completeTask, failTask, renewTaskLeases, requeueTask, stalledRuns, type TaskRow } from "./queue.js";
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
  stop(): Promise<void>;
}

/** The pipeline context on `deps`: LLM calls and embeddings through the registry and gateway. */
export function pipelineContext(deps: Pick<Deps, "db" | "gateway" | "config">): PipelineContext {
  const llm = createGenLlm(deps.db, deps.gateway);
  const caller = createModelCaller(deps.db, deps.gateway);
  return {
    db: deps.db,
    llm,
    embedder: async (model) => {
      const spec = model ? await caller.spec(model) : null;
      if (model && !spec) throw new JobError("config", `embedding model '${model}' is not registered`, false);
      return createEmbedder(spec, deps.gateway);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

type WorkerDeps = Pick<Deps, "db" | "gateway" | "config" | "logger">;

/** The claim loop with its in-flight tasks; `stop` lets running tasks finish. */
class GeneratorLoop {
  private readonly ctx: PipelineContext;
  private readonly inFlight = new Map<number, Promise<void>>();
  private stopped = false;
  private wake: (() => void) | null = null;
  readonly running: Promise<void>;
  private readonly renewTimer: NodeJS.Timeout;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly o: Required<GeneratorWorkerOptions>,
  ) {
    this.ctx = pipelineContext(deps);
    this.renewTimer = setInterval(() => {
      void renewTaskLeases(deps.db, o.owner, [...this.inFlight.keys()], o.leaseMs).catch((err: unknown) => deps.logger.warn({ err }, "generator lease renewal failed"));
    }, Math.max(500, Math.floor(o.leaseMs / 3)));
    this.renewTimer.unref();
    this.running = this.loop();
  }

  /** Runs one task, records its result or error, then advances its run if the stage has settled. */
  private async handle(task: TaskRow): Promise<void> {
    const { db, logger } = this.deps;
    const [run] = await db.select().from(genRuns).where(eq(genRuns.id, task.runId));
    if (!run) return;
    const guard = await loadRunGuard(db, run.id);
    const ctx = guard ? { ...this.ctx, llm: createGenLlm(db, this.deps.gateway, guard) } : this.ctx;
    try {
      const result = await handleTask(ctx, run, task);
      await completeTask(db, task.id, this.o.owner, result.output, result.write);
    } catch (e) {
      if (e instanceof JobError && e.kind === "budget") {
        // Not a failure: the task waits in the queue (its attempt not counted) for room or a raised budget.
        await requeueTask(db, task.id, this.o.owner);
        if (await runBudgetStop(db, run.id, guard?.exhausted === true ? "never" : "wait")) logger.info({ runId: run.id }, "run stopped by its budget");
        else await sleep(500);
        return;
      }
      const err = e instanceof JobError ? { message: e.message, kind: e.kind, retryable: e.retryable } : { message: e instanceof Error ? e.message : String(e), kind: "internal", retryable: false };
      if (!(e instanceof JobError)) logger.error({ err: e, taskId: task.id }, "generator task crashed");
      const fate = await failTask(db, task, this.o.owner, err, this.o.maxAttempts);
      if (fate === "failed") logger.warn({ runId: run.id, task: task.key, kind: err.kind, error: err.message }, "generator task failed");
    }
    if (guard) await runBudgetStop(db, run.id, "ended");
    await advanceRun(this.ctx, run.id);
  }

  /** Claims what fits; when idle, advances runs left between stages (after a crash or restart). */
  private async claim(): Promise<TaskRow[]> {
    try {
      const claimed = await claimTasks(this.deps.db, this.o.owner, this.o.concurrency - this.inFlight.size, this.o.leaseMs);
      if (claimed.length === 0 && this.inFlight.size === 0) for (const id of await stalledRuns(this.deps.db)) await advanceRun(this.ctx, id);
      return claimed;
    } catch (err) {
      this.deps.logger.warn({ err }, "generator claim failed; retrying");
      return [];
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.claim();
      for (const t of claimed) {
        const p = this.handle(t)
          .catch((err: unknown) => this.deps.logger.error({ err, taskId: t.id }, "generator task handling failed"))
          .finally(() => {
            this.inFlight.delete(t.id);
            this.wake?.();
          });
        this.inFlight.set(t.id, p);
      }
      if (this.stopped) break;
      // Sleep until a slot frees up, or poll again after a pause when the queue was empty.
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (claimed.length === 0 || this.inFlight.size < this.o.concurrency) void sleep(claimed.length === 0 ? this.o.pollMs : 10).then(resolve);
      });
      this.wake = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    await Promise.allSettled([...this.inFlight.values()]);
    clearInterval(this.renewTimer);
  }
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
  const loop = new GeneratorLoop(deps, o);
  deps.logger.info({ owner: o.owner, concurrency: o.concurrency }, "generator worker started");
  return { stop: () => loop.stop() };
}
