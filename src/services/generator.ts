/**
 * Generator services behind the HTTP routes: starting runs (models checked, feedback resolved and
 * recorded, first stage planned), and reading runs back with their progress.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { genRuns, genTasks } from "../../db/schema/index.js";
import { roundUsd } from "../../battles/budget.js";
import { type BudgetCaps, capProblem, readBudget } from "../../db/budget-ledger.js";
import { badRequest, notFound } from "../errors.js";
import { appliedFeedback, loadFeedback } from "../generator/stores/feedback-battles.js";
import { itemCounts } from "../generator/stores/items.js";
import type { PipelineContext } from "../generator/pipelines/pipeline.js";
import { type RunRow, resumeRun } from "../generator/engine/task-queue.js";
import type { PersonaGenerate, RunCreate, SimulationParams } from "../generator/requests.js";
import { createRun, type RunKind } from "../generator/engine/runner.js";

async function requireModel(ctx: PipelineContext, field: string, name: string | null | undefined): Promise<void> {
  if (name && !(await ctx.llm.spec(name))) throw badRequest(`${field}: model '${name}' is not registered`);
}

export async function startPersonaRun(ctx: PipelineContext, body: PersonaGenerate, createdBy: string | null = null): Promise<RunRow> {
  await requireModel(ctx, "model", body.model);
  return createRun(ctx, { kind: "personas", name: body.name, params: body, createdBy });
}

export async function startSimulation(ctx: PipelineContext, body: SimulationParams, createdBy: string | null = null): Promise<RunRow> {
  await requireModel(ctx, "model", body.model);
  await requireModel(ctx, "embeddingModel", body.embeddingModel);
  return createRun(ctx, { kind: "simulation", name: body.name, params: body, createdBy });
}

/** Starts a MATRIX-Gen, AgentInstruct or Evol run; `feedbackFrom` is resolved now and recorded on the run. */
export async function startGenerationRun(ctx: PipelineContext, body: RunCreate, createdBy: string | null = null): Promise<RunRow> {
  await requireModel(ctx, "model", body.model);
  if (body.type === "matrix-gen" && body.simulationId) {
    const sim = await findRun(ctx.db, body.simulationId);
    if (!sim || sim.kind !== "simulation") throw badRequest(`simulationId: no simulation '${body.simulationId}'`);
  }
  if (body.type === "evol" && body.fromRun && !(await findRun(ctx.db, body.fromRun))) throw badRequest(`fromRun: no run '${body.fromRun}'`);
  const feedback = body.type === "matrix-gen" && body.feedbackFrom ? appliedFeedback(await loadFeedback(ctx.db, body.feedbackFrom)) : null;
  const { type, name, ...params } = body;
  return createRun(ctx, { kind: type as RunKind, name, params: { type, ...params }, feedback, createdBy });
}

export async function findRun(db: Db, id: string): Promise<RunRow | null> {
  const [row] = await db.select().from(genRuns).where(eq(genRuns.id, id));
  return row ?? null;
}

export async function requireRun(db: Db, id: string, kind?: RunKind): Promise<RunRow> {
  const run = await findRun(db, id);
  if (!run || (kind && run.kind !== kind)) throw notFound(kind === "simulation" ? "simulation" : "run", id);
  return run;
}

export async function listRuns(db: Db, q: { kind?: string; limit: number }): Promise<RunRow[]> {
  return db.select().from(genRuns).where(q.kind ? eq(genRuns.kind, q.kind) : undefined).orderBy(desc(genRuns.createdAt)).limit(q.limit);
}

const COUNT_KEYS = ["pending", "running", "done", "failed", "cancelled"] as const;

/** A run with its progress: task counts overall and per stage, errors by kind, item counts. */
export async function runView(db: Db, run: RunRow) {
  const rows = await db
    .select({ stage: genTasks.stage, status: genTasks.status, errorKind: genTasks.errorKind, n: sql<number>`count(*)::int` })
    .from(genTasks)
    .where(eq(genTasks.runId, run.id))
    .groupBy(genTasks.stage, genTasks.status, genTasks.errorKind);
  const counts: Record<string, number> = { total: 0, ...Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) };
  const stages: Record<string, Record<string, number>> = {};
  const errors: Record<string, number> = {};
  for (const r of rows) {
    counts.total = (counts.total ?? 0) + r.n;
    counts[r.status] = (counts[r.status] ?? 0) + r.n;
    const s = (stages[r.stage] ??= { total: 0 });
    s.total = (s.total ?? 0) + r.n;
    s[r.status] = (s[r.status] ?? 0) + r.n;
    if (r.status === "failed") errors[r.errorKind ?? "unknown"] = (errors[r.errorKind ?? "unknown"] ?? 0) + r.n;
  }
  const state = run.state as { agents?: unknown[]; groups?: number[]; groupingMethod?: string };
  const summary = state.agents ? { agents: state.agents.length, groupSizes: groupSizes(state.groups), groupingMethod: state.groupingMethod ?? null } : {};
  return {
    id: run.id,
    kind: run.kind,
    name: run.name,
    status: run.status,
    stage: run.stage,
    counts,
    stages,
    errors,
    items: await itemCounts(db, run.id),
    params: run.params,
    feedback: run.feedback,
    state: summary,
    error: run.error,
    budget: await runBudgetView(db, run.id),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

function groupSizes(groups: number[] | undefined): number[] {
  if (!groups) return [];
  const out: number[] = [];
  for (const g of groups) out[g] = (out[g] ?? 0) + 1;
  return Array.from(out, (x) => x ?? 0);
}

export async function listTasks(db: Db, runId: string, q: { status?: string; stage?: string; limit: number }) {
  const conds = [eq(genTasks.runId, runId), q.status ? eq(genTasks.status, q.status) : undefined, q.stage ? eq(genTasks.stage, q.stage) : undefined];
  const rows = await db.select().from(genTasks).where(and(...conds)).orderBy(genTasks.id).limit(q.limit);
  return rows.map((t) => ({ ...t, leaseOwner: undefined, leaseExpiresAt: undefined, createdAt: t.createdAt.toISOString(), finishedAt: t.finishedAt?.toISOString() ?? null }));
}

/** The run's caps, settled spend, reservations in flight and overshoot; null without a budget. */
async function runBudgetView(db: Db, runId: string) {
  const b = await readBudget(db, { scope: "run", ownerId: runId });
  if (!b) return null;
  return {
    maxCostUsd: b.maxCostUsd,
    maxTokens: b.maxTokens,
    spentCostUsd: roundUsd(b.spentCostUsd),
    spentTokens: b.spentTokens,
    reservedCostUsd: roundUsd(b.reservedCostUsd),
    reservedTokens: b.reservedTokens,
    overshoot: { calls: b.overshootCalls, costUsd: roundUsd(b.overshootCostUsd), tokens: b.overshootTokens },
  };
}

/** Resumes a run, raising its budget first when asked; a cap not above what is spent is a 400 naming it. */
export async function resumeRunWith(db: Db, runId: string, body: { budget?: BudgetCaps }): Promise<void> {
  if (body.budget) {
    const b = await readBudget(db, { scope: "run", ownerId: runId });
    const problem = capProblem(body.budget, { costUsd: roundUsd(b?.spentCostUsd ?? 0), tokens: b?.spentTokens ?? 0 });
    if (problem) throw badRequest(problem.message, { field: problem.field });
  }
  await resumeRun(db, runId, body.budget);
}
