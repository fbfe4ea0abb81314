/**
 * What every generation pipeline (personas, simulation, MATRIX-Gen, AgentInstruct, Evol) provides:
 * its first stage, a handler per task, and the next stage once every task of the current one has
 * settled. Stages are planned from stored task outputs only, so a restarted worker continues where
 * the last one stopped.
 */
import type { Db } from "../../../db/client.js";
import type { Embedder } from "../engine/embedder.js";
import type { GenLlm } from "../engine/llm.js";
import type { RunRow, TaskRow } from "../engine/task-queue.js";

export interface PipelineContext {
  db: Db;
  llm: GenLlm;
  /** An embedder for a registered model name, or the TF-IDF fallback for null. */
  embedder(model: string | null): Promise<Embedder>;
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

/** A task's input field, typed by the caller (inputs are written by the same pipeline). */
export function inputOf<T>(task: TaskRow): T {
  return task.input as unknown as T;
}

/** A run's params, typed by the caller (validated by the request schema before the run was created). */
export function paramsOf<T>(run: RunRow): T {
  return run.params as unknown as T;
}
