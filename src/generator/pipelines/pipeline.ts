/**
 * What every generation pipeline (personas, simulation, MATRIX-Gen, AgentInstruct, Evol) provides:
 * its first stage, a handler per task, and the next stage once every task of the current one has
 * settled. Stages are planned from stored task outputs only, so a restarted worker continues where
 * the last one stopped.
 */
import type { z } from "zod";
import type { Db } from "../../../db/client.js";
import type { JobLog } from "../../../lib/job-loop.js";
import type { Embedder } from "../engine/embedder.js";
import type { GenLlm } from "../engine/llm.js";
import type { RunRow, TaskRow } from "../engine/task-queue.js";

export interface PipelineContext {
  db: Db;
  llm: GenLlm;
  /** An embedder for a registered model name, or the TF-IDF fallback for null. */
  embedder(model: string | null): Promise<Embedder>;
  /** Where a run's lifecycle (created, finished, failed) is logged. */
  log: JobLog;
}

export interface NewTask {
  kind: string;
  /** Unique within the run. */
  key: string;
  input: Record<string, unknown>;
}

export interface StagePlan {
  stage: string;
  tasks: NewTask[];
  /** Merged into the run's state. */
  state?: Record<string, unknown>;
}

export interface TaskResult {
  output: Record<string, unknown>;
  /** Rows to write with the task's completion, in the same transaction (idempotent by unique keys). */
  write?: (tx: Db) => Promise<void>;
}

export interface Pipeline {
  start(ctx: PipelineContext, run: RunRow): Promise<StagePlan>;
  handle(ctx: PipelineContext, run: RunRow, task: TaskRow): Promise<TaskResult>;
  /** The stage after `run.stage`, or null when the run is complete. Reads through `tx`. */
  next(ctx: PipelineContext, run: RunRow, tx: Db): Promise<StagePlan | null>;
}

/**
 * A task's input, read back through the schema of the pipeline that wrote it. The jsonb column holds
 * any object, so the type comes from the check, not a cast; a row that fails it is a bug, and its
 * task fails as `internal` like any other unexpected exception.
 */
export function inputOf<S extends z.ZodType>(task: TaskRow, schema: S): z.output<S> {
  return schema.parse(task.input);
}

/** A run's params, read back through the request schema that validated them when the run was created. */
export function paramsOf<S extends z.ZodType>(run: RunRow, schema: S): z.output<S> {
  return schema.parse(run.params);
}
