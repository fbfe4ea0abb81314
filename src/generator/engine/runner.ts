/**
 * Runs: creation (the run row and its first stage's tasks in one transaction), task handling through
 * the run kind's pipeline, and stage advancement. Advancement locks the run row, so exactly one
 * worker plans the next stage; it happens only when no task of the run is open. A run's creation and
 * end (finished, or failed with the reason) are logged at info (warn for a failure) with ids and counts.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { type BudgetCaps, setBudgetCaps } from "../../../db/budget-ledger.js";
import { genRuns, genTasks } from "../../../db/schema/index.js";
import type { JobLog } from "../../../lib/job-loop.js";
import type { NewTask, Pipeline, PipelineContext, StagePlan } from "../pipelines/pipeline.js";
import { agentInstructPipeline } from "../pipelines/agentinstruct.js";
import { evolPipeline } from "../pipelines/evol.js";
import { matrixGenPipeline } from "../pipelines/matrix-gen.js";
import { personasPipeline } from "../pipelines/personas.js";
import { simulationPipeline } from "../pipelines/simulation.js";
import { ACTIVE_RUN, OPEN_TASK, type RunRow, taskCounts, type TaskRow } from "./task-queue.js";

export type RunKind = "personas" | "simulation" | "matrix-gen" | "agentinstruct" | "evol";

export const PIPELINES: Record<RunKind, Pipeline> = {
  personas: personasPipeline,
  simulation: simulationPipeline,
  "matrix-gen": matrixGenPipeline,
  agentinstruct: agentInstructPipeline,
  evol: evolPipeline,
};

const isRunKind = (k: string): k is RunKind => Object.hasOwn(PIPELINES, k);

function pipelineOf(run: RunRow): Pipeline {
  const p = isRunKind(run.kind) ? PIPELINES[run.kind] : undefined;
  if (!p) throw new Error(`unknown run kind '${run.kind}'`);
  return p;
}

async function insertTasks(db: Db, runId: string, stage: string, tasks: NewTask[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += 500) {
    const rows = tasks.slice(i, i + 500).map((t) => ({ runId, stage, kind: t.kind, key: t.key, input: t.input }));
    await db.insert(genTasks).values(rows).onConflictDoNothing();
  }
}

export interface NewRun {
  kind: RunKind;
  name?: string | null;
  /** The validated request; its `budget` goes to the ledger, the rest is what pipelines read back. */
  params: Record<string, unknown> & { budget?: BudgetCaps };
  feedback?: Record<string, unknown> | null;
  /** The API key whose request started the run (null in local mode). */
  createdBy?: string | null;
}

/** Plans the first stage (it may read the database and throw a 400) and writes run and tasks together. */
export async function createRun(ctx: PipelineContext, r: NewRun): Promise<RunRow> {
  // The budget lives on its ledger row (raised there on resume), not in the params pipelines read.
  const { budget, ...params } = r.params;
  const draft: RunRow = {
    id: randomUUID(),
    kind: r.kind,
    name: r.name ?? null,
    status: "pending",
    stage: "",
    params,
    feedback: r.feedback ?? null,
    state: {},
    error: null,
    createdBy: r.createdBy ?? null,
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
  };
  const plan = await PIPELINES[r.kind].start(ctx, draft);
  const run = await ctx.db.transaction(async (tx) => {
    const { createdAt: _c, ...values } = draft;
    const [row] = await tx
      .insert(genRuns)
      .values({ ...values, stage: plan.stage, state: plan.state ?? {} })
      .returning();
    if (!row) throw new Error("run insert returned nothing");
    if (budget && (budget.maxCostUsd != null || budget.maxTokens != null)) await setBudgetCaps(tx, { scope: "run", ownerId: row.id }, budget);
    await insertTasks(tx, row.id, plan.stage, plan.tasks);
    return row;
  });
  ctx.log.info({ runId: run.id, kind: run.kind, name: run.name, stage: run.stage, tasks: plan.tasks.length, budgeted: budget?.maxCostUsd != null || budget?.maxTokens != null }, "generator run created");
  return run;
}

async function openTasks(tx: Db, runId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(genTasks)
    .where(and(eq(genTasks.runId, runId), inArray(genTasks.status, OPEN_TASK)));
  return row?.n ?? 0;
}

/** How a run ended, for its lifecycle log: its final status and task counts (all stages). */
export interface RunEnd {
  runId: string;
  kind: string;
  status: "done" | "failed";
  stage: string;
  done: number;
  failed: number;
  cancelled: number;
  error: string | null;
}

async function finish(tx: Db, run: RunRow): Promise<RunEnd> {
  const counts = await taskCounts(tx, run.id);
  const ok = counts.done > 0;
  const error = ok ? null : "every task failed";
  await tx
    .update(genRuns)
    .set({ status: ok ? "done" : "failed", error, finishedAt: sql`now()` })
    .where(eq(genRuns.id, run.id));
  return { runId: run.id, kind: run.kind, status: ok ? "done" : "failed", stage: run.stage, done: counts.done, failed: counts.failed, cancelled: counts.cancelled, error };
}

function logEnd(log: JobLog, end: RunEnd): void {
  if (end.status === "done") log.info(end, "generator run finished");
  else log.warn(end, `generator run failed: ${end.error ?? "unknown"}`);
}

/**
 * Moves a run whose tasks have all settled to its next stage (stages without tasks are passed
 * through) or finishes it. A no-op while any task is open or when the run is not active.
 */
export async function advanceRun(ctx: PipelineContext, runId: string): Promise<RunEnd | null> {
  let end: RunEnd | null;
  try {
    end = await advanceLocked(ctx, runId);
  } catch (e) {
    // A stage that cannot be planned fails the run visibly (resume plans it again) instead of retrying forever.
    const error = `planning the next stage failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 2000);
    const [row] = await ctx.db
      .update(genRuns)
      .set({ status: "failed", error, finishedAt: sql`now()` })
      .where(and(eq(genRuns.id, runId), inArray(genRuns.status, ACTIVE_RUN)))
      .returning({ kind: genRuns.kind, stage: genRuns.stage });
    end = row ? { runId, kind: row.kind, status: "failed", stage: row.stage, done: 0, failed: 0, cancelled: 0, error } : null;
  }
  if (end) logEnd(ctx.log, end);
  return end;
}

async function advanceLocked(ctx: PipelineContext, runId: string): Promise<RunEnd | null> {
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(genRuns).where(eq(genRuns.id, runId)).for("update");
    let run = locked;
    while (run && ACTIVE_RUN.includes(run.status) && (await openTasks(tx, run.id)) === 0) {
      const plan: StagePlan | null = await pipelineOf(run).next(ctx, run, tx);
      if (!plan) return finish(tx, run);
      const state = { ...run.state, ...plan.state };
      const [updated] = await tx.update(genRuns).set({ stage: plan.stage, state }).where(eq(genRuns.id, run.id)).returning();
      await insertTasks(tx, run.id, plan.stage, plan.tasks);
      run = updated;
    }
    return null;
  });
}

/** Runs one claimed task through its pipeline; the result is written by the caller. */
export async function handleTask(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  return pipelineOf(run).handle(ctx, run, task);
}
