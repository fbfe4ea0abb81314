/**
 * Rounds in the database: the plan (round + every battle) written in one transaction, reads,
 * cancel and resume. Instruction sampling is seeded and done in SQL (md5 of id and seed), so the
 * same request picks the same instructions on PGlite and PostgreSQL.
 */
import { requestCancel } from "../db/batch-store.js";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, type RoundOptions, rounds } from "../db/schema/index.js";
import { type BudgetCaps, readBudget, setBudgetCaps } from "../db/budget-ledger.js";
import { findTemplate } from "../db/judge-templates.js";
import { DEFAULT_PAIRWISE_VERSION, DEFAULT_SINGLE_VERSION, getPromptTemplate, multiTurnTemplate, parseTemplateRef } from "../judges/index.js";
import { type PairingMode, planBattles, planPairs } from "./pairing.js";
import { roundSpend } from "./spend.js";
import { mulberry32 } from "../lib/random.js";
import { poolStatsOf, writeFirstWave } from "./adaptive-store.js";
import { poolQuery } from "./instruction-pool.js";

export type JudgeMode = "pairwise" | "single" | "reward";
/** The options a round was created with (its `options` column; the shape is declared beside the table). */
export type { RoundOptions };

export interface NewRound {
  id: string;
  name?: string | null;
  candidates: string[];
  judges: string[];
  pairing: PairingMode;
  target?: string | null;
  baseline?: string | null;
  judgeMode: JudgeMode;
  iterationId?: string | null;
  /** The API key whose request started the round (null in local mode). */
  createdBy?: string | null;
  options: RoundOptions;
  /** Caps on the round's spend (db/schema/budget.ts); none when absent. */
  budget?: BudgetCaps;
}

export type RoundRow = typeof rounds.$inferSelect;

/** The version reward-model scores are stored under (a reward model has no prompt template to version). */
export const REWARD_PROMPT_VERSION = "reward@1";

/**
 * The judge prompt version a round's battles are judged with: the template it was created with, else
 * its judge mode's default. The judging (process-battle.ts, judging.ts) and the export's provenance
 * (src/exports/groups.ts) both read it here.
 */
export function roundPromptVersion(round: Pick<RoundRow, "judgeMode"> & { options: Pick<RoundOptions, "promptVersion"> }): string {
  const byMode = round.judgeMode === "single" ? DEFAULT_SINGLE_VERSION : round.judgeMode === "reward" ? REWARD_PROMPT_VERSION : DEFAULT_PAIRWISE_VERSION;
  return round.options.promptVersion ?? byMode;
}

/**
 * The built-in multi-turn template a multi-turn instruction of this round is judged with (by the round's
 * mode and `judgeTurns`), or null when its battles use the round's own template: a reward round, or a
 * round naming a user template (which shows the conversations through its placeholders).
 */
export function multiTurnPromptVersion(round: Pick<RoundRow, "judgeMode"> & { options: Pick<RoundOptions, "promptVersion" | "judgeTurns"> }): string | null {
  if (round.judgeMode !== "pairwise" && round.judgeMode !== "single") return null;
  const v = round.options.promptVersion;
  if (v !== undefined && getPromptTemplate(v) === null) return null;
  const turns = round.options.judgeTurns ?? "conversation";
  return round.judgeMode === "pairwise" ? multiTurnTemplate("pairwise", turns).version : multiTurnTemplate("single", turns).version;
}

/** No instruction matched the round's filter; the transaction is rolled back. */
export class EmptyPlanError extends Error {
  constructor() {
    super("no instructions match the round's instruction filter");
    this.name = "EmptyPlanError";
  }
}

/** The round names a user template version that does not exist (any more); the transaction is rolled back. */
export class MissingTemplateError extends Error {
  constructor(readonly promptVersion: string) {
    super(`judge template '${promptVersion}' not found`);
    this.name = "MissingTemplateError";
  }
}

/**
 * A round on a user template holds a share lock on its version row until the round is written, so
 * an edit of that version (which takes the row for update) either commits before the round exists or
 * sees the round and makes a new version instead.
 */
async function lockUserTemplate(tx: Pick<Db, "select">, promptVersion: string | undefined): Promise<void> {
  if (promptVersion === undefined || getPromptTemplate(promptVersion)) return;
  const ref = parseTemplateRef(promptVersion);
  const row = ref && ref.version !== null ? await findTemplate(tx, ref.name, ref.version, "share") : null;
  if (!row) throw new MissingTemplateError(promptVersion);
}

/** Writes the round and its battles in one transaction; returns the round and the battle count. */
export async function createRoundPlan(db: Db, r: NewRound): Promise<{ round: RoundRow; battles: number; instructions: number }> {
  const seed = r.options.instructions.seed ?? 0;
  return db.transaction(async (tx) => {
    await lockUserTemplate(tx, r.options.promptVersion);
    const picked = await poolQuery(tx, r.options, r.options.instructions.limit);
    const ids = picked.map((x) => x.id);
    const categoryOf = new Map(picked.map((x) => [x.id, x.category]));
    if (ids.length === 0) throw new EmptyPlanError();
    const [round] = await tx
      .insert(rounds)
      .values({
        id: r.id,
        name: r.name ?? null,
        status: "pending",
        pairing: r.pairing,
        target: r.target ?? null,
        baseline: r.baseline ?? null,
        candidates: r.candidates,
        judges: r.judges,
        judgeMode: r.judgeMode,
        options: r.options,
        iterationId: r.iterationId ?? null,
        createdBy: r.createdBy ?? null,
      })
      .returning();
    if (!round) throw new Error("round insert returned nothing");
    if (r.budget && (r.budget.maxCostUsd != null || r.budget.maxTokens != null)) await setBudgetCaps(tx, { scope: "round", ownerId: r.id }, r.budget);
    if (r.options.sampling === "adaptive") {
      const first = await writeFirstWave(tx, round, poolStatsOf(picked));
      return { round, battles: first, instructions: ids.length };
    }
    const plan = planBattles(ids, planPairs(r), mulberry32(seed ^ 0x5bd1e995));
    for (let i = 0; i < plan.length; i += 1000) {
      const chunk = plan.slice(i, i + 1000);
      await tx.insert(battles).values(chunk.map((b) => ({ ...b, roundId: r.id, status: "pending", category: categoryOf.get(b.instructionId) ?? null })));
    }
    return { round, battles: plan.length, instructions: ids.length };
  });
}

export async function findRound(db: Db, id: string): Promise<RoundRow | null> {
  const [row] = await db.select().from(rounds).where(eq(rounds.id, id));
  return row ?? null;
}

/** Stops a round: pending battles become cancelled; battles in flight finish and are kept. */
export async function cancelRound(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(rounds).set({ status: "cancelled", finishedAt: new Date() }).where(eq(rounds.id, id));
    await tx
      .update(battles)
      .set({ status: "cancelled", leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(battles.roundId, id), eq(battles.status, "pending")));
  });
  // Provider batches carrying only this round's calls are cancelled by the batch coordinator.
  await requestCancel(db, id);
}

/**
 * Restarts a stopped round: cancelled and failed battles go back to the queue, and a round stopped by
 * its budget continues. `caps` replaces the caps it names (the others are kept); a round without a
 * budget gets one, starting from what it has spent so far.
 */
export async function resumeRound(db: Db, id: string, caps?: BudgetCaps): Promise<number> {
  return db.transaction(async (tx) => {
    // The round row first, as the budget stop and every spend-settling insert take it before the
    // budget row: the other order deadlocks against a settling worker on PostgreSQL.
    const [row] = await tx.select({ options: rounds.options, adaptive: rounds.adaptive }).from(rounds).where(eq(rounds.id, id)).for("update");
    if (caps && (caps.maxCostUsd != null || caps.maxTokens != null)) {
      const key = { scope: "round" as const, ownerId: id };
      const current = await readBudget(tx, key);
      const spent = await roundSpend(tx, id);
      const merged = { maxCostUsd: caps.maxCostUsd ?? current?.maxCostUsd, maxTokens: caps.maxTokens ?? current?.maxTokens };
      await setBudgetCaps(tx, key, merged, { tokens: spent?.tokens.total ?? 0, costUsd: spent?.costUsd ?? 0 });
    }
    const requeued = await tx
      .update(battles)
      .set({ status: "pending", attempts: 0, error: null, errorKind: null, leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(battles.roundId, id), inArray(battles.status, ["cancelled", "failed"])))
      .returning({ id: battles.id });
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(battles)
      .where(and(eq(battles.roundId, id), inArray(battles.status, ["pending", "running"])));
    // An adaptive round with nothing open waits for its scheduler (a worker's idle hook) to decide its next wave.
    const adaptive = row?.options.sampling === "adaptive";
    const status = (open?.n ?? 0) > 0 || adaptive ? "pending" : "done";
    const state = adaptive && row.adaptive ? { adaptive: { ...row.adaptive, stoppedBy: null } } : {};
    await tx.update(rounds).set({ status, finishedAt: status === "done" ? new Date() : null, error: null, ...state }).where(eq(rounds.id, id));
    return requeued.length;
  });
}
