/**
 * Candidate rows of one scored instruction group, per kind, before the export-wide policies
 * (curriculum, dedup, per-category cap) in select.ts. The Arena Learning rules:
 * - SFT: where the target lost (see `lossRule`), its target text is the best opponent answer by
 *   pooled score, provided that answer scored above the target. Without a target (all-pairs
 *   rounds), the best answer is taken when it won on balance (pooled > 0.5).
 * - DPO: one pair per decisive battle, winner chosen and loser rejected, carrying that battle's
 *   margin; the target's own losing answers are thus on-policy rejected answers. With a target,
 *   opponent-vs-opponent battles are used only with `includeOpponentPairs`.
 * - Reward: every scored answer with its pooled score (at least two, or there is no contrast).
 * - KTO: every scored answer, good above 0.5 + epsilon, bad below 0.5 - epsilon, ties excluded.
 */

import { TIE_EPSILON } from "../../judges/index.js";
import {
  buildProvenance,
  involves,
  isTie,
  lostBy,
  maxMargin,
  modelLost,
  tally,
  wonBy,
  type GroupContext,
  type SkipTally,
} from "./select-score.js";
import type { DpoRow, KtoRow, RewardRow, RowAnswer, SftRow, SkipReason } from "./select-types.js";

export interface RowPolicy {
  lossRule: "pooled" | "any-loss";
  includeOpponentPairs: boolean;
  onlyTargetLoses: boolean;
  ktoEpsilon: number;
}

/** The group's answer itself (same three fields; rows only read it, so it is shared, not copied). */
function answerOf(ctx: GroupContext, model: string): RowAnswer {
  const a = ctx.answers.get(model);
  // prepareGroup keeps only battles whose two answers exist, so every scored model has one.
  if (a === undefined) throw new Error(`selection: no answer for scored model ${model}`);
  return a;
}

/** Highest pooled score among models passing `keep`; ties go to more battles, then name order. */
function best(ctx: GroupContext, keep: (model: string) => boolean): { model: string; score: number } | null {
  let top: { model: string; score: number } | null = null;
  for (const [model, score] of ctx.scores) {
    if (!keep(model)) continue;
    if (top === null || score > top.score + TIE_EPSILON) top = { model, score };
    else if (Math.abs(score - top.score) <= TIE_EPSILON) {
      const more = (ctx.battleCounts.get(model) ?? 0) - (ctx.battleCounts.get(top.model) ?? 0);
      if (more > 0 || (more === 0 && model < top.model)) top = { model, score };
    }
  }
  return top;
}

/** A multi-turn group's user turns, for its rows (nothing for a single-turn group). */
function turnsOf(ctx: GroupContext): { turns?: string[] } {
  const turns = ctx.group.instruction.turns;
  return turns !== undefined && turns.length > 1 ? { turns } : {};
}

function skip<T>(skips: SkipTally, reason: SkipReason): T[] {
  tally(skips, reason);
  return [];
}

function sftRow(ctx: GroupContext, model: string, margin: number): SftRow {
  const completion = answerOf(ctx, model);
  const provenance = buildProvenance(ctx, ctx.battles, margin);
  return { kind: "sft", prompt: ctx.group.instruction.messages, ...turnsOf(ctx), completion, provenance };
}

export function sftRows(ctx: GroupContext, policy: RowPolicy, skips: SkipTally): SftRow[] {
  const target = ctx.group.target;
  if (target === undefined) {
    const top = best(ctx, () => true);
    if (top === null || top.score <= 0.5 + TIE_EPSILON) return skip(skips, "no-clear-winner");
    const margin = maxMargin(wonBy(ctx, top.model));
    return [sftRow(ctx, top.model, margin)];
  }
  const targetScore = ctx.scores.get(target);
  if (targetScore === undefined) return skip(skips, "no-target-answer");
  if (!modelLost(ctx, target, policy.lossRule)) return skip(skips, "target-not-lost");
  const top = best(ctx, (m) => m !== target);
  if (top === null || top.score <= targetScore + TIE_EPSILON) return skip(skips, "no-better-opponent");
  const losses = lostBy(ctx, target);
  const direct = losses.filter((b) => involves(b, top.model));
  const margin = maxMargin(direct.length > 0 ? direct : losses);
  return [sftRow(ctx, top.model, margin)];
}

export function dpoRows(ctx: GroupContext, policy: RowPolicy, skips: SkipTally): DpoRow[] {
  const target = ctx.group.target;
  const rows: DpoRow[] = [];
  for (const b of ctx.battles) {
    if (isTie(b.outcome)) {
      tally(skips, "tie");
      continue;
    }
    const [winner, loser] = b.outcome > 0.5 ? [b.modelA, b.modelB] : [b.modelB, b.modelA];
    if (target !== undefined && !involves(b, target) && !policy.includeOpponentPairs) {
      tally(skips, "opponent-pair");
      continue;
    }
    if (policy.onlyTargetLoses && loser !== target) {
      tally(skips, "target-not-lost");
      continue;
    }
    rows.push({
      kind: "dpo",
      prompt: ctx.group.instruction.messages,
      ...turnsOf(ctx),
      chosen: answerOf(ctx, winner),
      rejected: answerOf(ctx, loser),
      provenance: buildProvenance(ctx, [b], b.margin),
    });
  }
  return rows;
}

export function rewardRows(ctx: GroupContext, skips: SkipTally): RewardRow[] {
  if (ctx.scores.size < 2) return skip(skips, "too-few-answers");
  const responses = [...ctx.scores]
    .map(([model, score]) => ({ ...answerOf(ctx, model), score, battles: ctx.battleCounts.get(model) ?? 0 }))
    .sort((x, y) => y.score - x.score || (x.model < y.model ? -1 : 1));
  const provenance = buildProvenance(ctx, ctx.battles, maxMargin(ctx.battles));
  return [{ kind: "reward", prompt: ctx.group.instruction.messages, ...turnsOf(ctx), responses, provenance }];
}

export function ktoRows(ctx: GroupContext, policy: RowPolicy, skips: SkipTally): KtoRow[] {
  const rows: KtoRow[] = [];
  for (const [model, score] of [...ctx.scores].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (Math.abs(score - 0.5) <= policy.ktoEpsilon) {
      tally(skips, "tie");
      continue;
    }
    const own = ctx.battles.filter((b) => involves(b, model));
    rows.push({
      kind: "kto",
      prompt: ctx.group.instruction.messages,
      ...turnsOf(ctx),
      completion: answerOf(ctx, model),
      label: score > 0.5,
      score,
      provenance: buildProvenance(ctx, own, maxMargin(own)),
    });
  }
  return rows;
}
