/** Round progress as one JSON object: counts, tokens, cost, errors by kind, ETA, budget (shape in progress-schema.ts). */
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles } from "../db/schema/index.js";
import { readBudget } from "../db/budget-ledger.js";
import { adaptiveBootstrap } from "./adaptive-plan.js";
import { roundUsd } from "./budget.js";
import { roundPromptVersion, type RoundRow } from "./round-store.js";
import type { RoundProgress, RoundStatus } from "./progress-schema.js";
import { roundSpend, type RoundSpend } from "./spend.js";

export type { RoundProgress, RoundStatus };

const num = (x: unknown) => Number(x ?? 0);

const NO_SPEND: RoundSpend = { responses: 0, judgments: { total: 0, invalid: 0 }, tokens: { prompt: 0, completion: 0, total: 0 }, costUsd: 0 };

export async function roundProgress(db: Db, round: RoundRow, now: Date = new Date()): Promise<RoundProgress> {
  const byStatus = await db
    .select({ status: battles.status, n: sql<number>`count(*)::int`, invalid: sql<number>`count(*) filter (where ${battles.status} = 'done' and ${battles.outcome} is null)::int` })
    .from(battles)
    .where(eq(battles.roundId, round.id))
    .groupBy(battles.status);
  const counts = { total: 0, done: 0, failed: 0, pending: 0, running: 0, cancelled: 0, invalid: 0 };
  for (const row of byStatus) {
    const n = num(row.n);
    counts.total += n;
    counts.invalid += num(row.invalid);
    if (row.status in counts) counts[row.status as "done"] += n;
  }
  const errRows = await db
    .select({ kind: battles.errorKind, n: sql<number>`count(*)::int` })
    .from(battles)
    .where(and(eq(battles.roundId, round.id), isNotNull(battles.errorKind)))
    .groupBy(battles.errorKind);
  const errors: Record<string, number> = {};
  for (const e of errRows) errors[e.kind ?? "unknown"] = num(e.n);
  const spend = (await roundSpend(db, round.id)) ?? NO_SPEND;
  const ledger = await readBudget(db, { scope: "round", ownerId: round.id });
  if (spend.judgments.invalid > 0) errors.invalid_verdict = spend.judgments.invalid;
  const finished = counts.done + counts.failed;
  const remaining = counts.pending + counts.running;
  let etaSeconds: number | null = null;
  if (round.startedAt && finished > 0 && remaining > 0) {
    const elapsed = (now.getTime() - round.startedAt.getTime()) / 1000;
    etaSeconds = Math.round((elapsed / finished) * remaining);
  } else if (remaining === 0) etaSeconds = 0;
  return {
    id: round.id,
    name: round.name,
    status: round.status as RoundStatus,
    pairing: round.pairing,
    judgeMode: round.judgeMode,
    promptVersion: roundPromptVersion(round),
    candidates: round.candidates,
    judges: round.judges,
    target: round.target,
    baseline: round.baseline,
    iterationId: round.iterationId,
    options: {
      jury: round.options.jury ?? "mean",
      swapRule: round.options.swapRule ?? "soft",
      useReference: round.options.useReference === true,
      maxAttempts: round.options.maxAttempts ?? 3,
      invalidRetries: round.options.invalidRetries ?? 2,
      humanOverride: round.options.humanOverride === true,
      judgeSeesTraces: round.options.judgeSeesTraces === true,
      judgeTurns: round.options.judgeTurns ?? "conversation",
    },
    error: round.error,
    counts: { ...counts, pending: counts.pending + counts.running },
    ...spend,
    costUsd: roundUsd(spend.costUsd),
    errors,
    etaSeconds,
    budget: ledger && {
      maxCostUsd: ledger.maxCostUsd,
      maxTokens: ledger.maxTokens,
      reservedCostUsd: roundUsd(ledger.reservedCostUsd),
      reservedTokens: ledger.reservedTokens,
      overshoot: { calls: ledger.overshootCalls, costUsd: roundUsd(ledger.overshootCostUsd), tokens: ledger.overshootTokens },
    },
    adaptive:
      round.options.sampling === "adaptive"
        ? {
            wave: round.adaptive?.wave ?? 0,
            ciWidth: round.adaptive?.ciWidth ?? null,
            targetCiWidth: round.options.adaptive?.ciWidth ?? null,
            bootstrap: adaptiveBootstrap(round.options.adaptive),
            maxBattles: round.options.adaptive?.maxBattles ?? null,
            battles: counts.total,
            stoppedBy: round.adaptive?.stoppedBy ?? null,
          }
        : null,
    createdAt: round.createdAt.toISOString(),
    startedAt: round.startedAt?.toISOString() ?? null,
    finishedAt: round.finishedAt?.toISOString() ?? null,
  };
}
