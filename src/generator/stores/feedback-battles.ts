/**
 * Feedback from stored battles: the rounds of a round id or an iteration, their target, the target's
 * finished battles and their valid judge games, into the pure `computeFeedback`. Also the compact
 * form a generation run records (category weights and complexity shifts).
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { battles, judgments, rounds } from "../../../db/schema/index.js";
import { AppError, notFound } from "../../errors.js";
import { computeFeedback, type Feedback, type FeedbackBattle, type FeedbackOptions } from "../algorithms/category-feedback.js";
import type { FeedbackSource } from "../requests.js";

/** Feedback as recorded on a run (gen_runs.feedback, beside what it was computed from): category weights and complexity shifts. */
export const AppliedFeedbackSchema = z.looseObject({ weights: z.record(z.string(), z.number()), adjustments: z.record(z.string(), z.number()) });
export type AppliedFeedback = z.infer<typeof AppliedFeedbackSchema>;

export interface FeedbackView extends Feedback {
  source: FeedbackSource;
  rounds: string[];
  targets: string[];
}

async function roundsOf(db: Db, source: FeedbackSource) {
  if (source.roundId) {
    const rows = await db.select().from(rounds).where(eq(rounds.id, source.roundId));
    if (rows.length === 0) throw notFound("round", source.roundId);
    return rows;
  }
  const rows = await db.select().from(rounds).where(eq(rounds.iterationId, source.iterationId ?? ""));
  if (rows.length === 0) throw notFound("iteration", source.iterationId ?? "");
  return rows;
}

/** Feedback for the target of a round, or of every round of an iteration (rounds without a target are skipped). */
export async function loadFeedback(db: Db, source: FeedbackSource, opts: FeedbackOptions = {}): Promise<FeedbackView> {
  const all = await roundsOf(db, source);
  const targeted = all.filter((r) => r.target !== null);
  if (targeted.length === 0) throw new AppError("unprocessable", "feedback needs a round with a target (pairing target-vs-opponents, or a target given)");
  const targetOf = new Map(targeted.map((r) => [r.id, r.target ?? ""]));
  const ids = [...targetOf.keys()];
  const rows = await db
    .select({ id: battles.id, roundId: battles.roundId, modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome, margin: battles.margin, category: battles.category })
    .from(battles)
    .where(and(inArray(battles.roundId, ids), eq(battles.status, "done"), isNotNull(battles.outcome)));
  const games = await db
    .select({ battleId: judgments.battleId, score: judgments.score })
    .from(judgments)
    .innerJoin(battles, eq(battles.id, judgments.battleId))
    .where(and(inArray(battles.roundId, ids), eq(judgments.valid, true), isNotNull(judgments.score)));
  const scoresOf = new Map<number, number[]>();
  for (const g of games) scoresOf.set(g.battleId, [...(scoresOf.get(g.battleId) ?? []), g.score ?? 0.5]);
  const list: FeedbackBattle[] = [];
  for (const b of rows) {
    const target = targetOf.get(b.roundId ?? "");
    if (!target || (b.modelA !== target && b.modelB !== target) || b.outcome === null) continue;
    const forTarget = (s: number) => (b.modelA === target ? s : 1 - s);
    list.push({
      category: b.category ?? "general",
      targetScore: forTarget(b.outcome),
      margin: b.margin ?? Math.abs(b.outcome - 0.5) * 2,
      judgeScores: (scoresOf.get(b.id) ?? []).map(forTarget),
    });
  }
  return { source, rounds: ids, targets: [...new Set(targetOf.values())], ...computeFeedback(list, opts) };
}

/** What a generation run records and its plan uses. */
export function appliedFeedback(fb: FeedbackView): AppliedFeedback & Record<string, unknown> {
  return {
    from: fb.source,
    rounds: fb.rounds,
    targets: fb.targets,
    battles: fb.battles,
    weights: Object.fromEntries(fb.categories.map((c) => [c.category, c.weight])),
    adjustments: Object.fromEntries(fb.complexity.map((c) => [c.category, c.adjustment])),
    lossRates: Object.fromEntries(fb.categories.map((c) => [c.category, c.lossRate])),
  };
}
