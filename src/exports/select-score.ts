/**
 * Scoring one instruction group for selection: which battles count (both answers present, margin
 * at least `minMargin`), each answer's pooled score (mean share over its battles on this
 * instruction, from its own side), whether the target lost, and the provenance every row carries.
 */

import { outcomeCategory, TIE_EPSILON } from "../../judges/index.js";
import { memoLast } from "./memo-last.js";
import type { BattleRef, GroupAnswer, GroupBattle, InstructionGroup, Provenance, SkipReason } from "./select-types.js";

export const UNCATEGORISED = "uncategorized";

export type SkipTally = Partial<Record<SkipReason, number>>;

export function tally(t: SkipTally, reason: SkipReason, n = 1): void {
  if (n > 0) t[reason] = (t[reason] ?? 0) + n;
}

/** A group that passed the basic checks, with its usable battles and pooled scores. */
export interface GroupContext {
  group: InstructionGroup;
  category: string;
  answers: Map<string, GroupAnswer>;
  battles: GroupBattle[];
  /** Pooled share per model that played at least one usable battle. */
  scores: Map<string, number>;
  /** `scores` as a plain object, built once per group and shared by its rows' provenance (read-only). */
  scoresObject?: Record<string, number>;
  battleCounts: Map<string, number>;
}

/** Share of `model` in `battle`: the outcome from its own side. */
export function shareOf(battle: GroupBattle, model: string): number {
  return battle.modelA === model ? battle.outcome : 1 - battle.outcome;
}

/**
 * Outcomes within judges/ `TIE_EPSILON` of 0.5 are ties (shares are averages of judge votes, so exact
 * 0.5 is common). Measured as a distance, which at the two boundary values themselves can differ
 * from judges/ `outcomeCategory` by one rounding; DPO pairs have always used this form.
 */
export function isTie(outcome: number): boolean {
  return Math.abs(outcome - 0.5) <= TIE_EPSILON;
}

/** A prompt is usable when it has a user turn last (every format appends the assistant answer). */
export function isValidPrompt(messages: readonly { role: string; content: string }[]): boolean {
  const last = messages[messages.length - 1];
  return last !== undefined && last.role === "user";
}

/**
 * Checks a group and scores it. Battles naming a model without an answer are counted as
 * `missing-answer`; battles under `minMargin` are dropped (counted per battle when `perBattle`,
 * the DPO case, otherwise as one `min-margin` group skip when nothing is left).
 */
export function prepareGroup(
  group: InstructionGroup,
  minMargin: number,
  perBattle: boolean,
  skips: SkipTally,
): GroupContext | null {
  if (!isValidPrompt(group.instruction.messages)) {
    tally(skips, "bad-prompt");
    return null;
  }
  if (group.battles.length === 0) {
    tally(skips, "no-battles");
    return null;
  }
  const answers = new Map<string, GroupAnswer>();
  for (const a of group.answers) if (!answers.has(a.model)) answers.set(a.model, a);
  const complete = group.battles.filter((b) => answers.has(b.modelA) && answers.has(b.modelB));
  tally(skips, "missing-answer", group.battles.length - complete.length);
  const battles = complete.filter((b) => b.margin >= minMargin);
  if (perBattle) tally(skips, "min-margin", complete.length - battles.length);
  else if (battles.length === 0 && complete.length > 0) tally(skips, "min-margin");
  if (battles.length === 0) return null;
  const { scores, counts } = poolScores(battles);
  const category = group.instruction.category ?? UNCATEGORISED;
  return { group, category, answers, battles, scores, battleCounts: counts };
}

/** Mean share of each model over the given battles. */
export function poolScores(battles: readonly GroupBattle[]): {
  scores: Map<string, number>;
  counts: Map<string, number>;
} {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const b of battles) {
    const a = b.modelA;
    const m = b.modelB;
    sums.set(a, (sums.get(a) ?? 0) + b.outcome);
    counts.set(a, (counts.get(a) ?? 0) + 1);
    // A self-battle (modelA = modelB) counts from both sides, as shareOf gives A's share to both.
    sums.set(m, (sums.get(m) ?? 0) + (a === m ? b.outcome : 1 - b.outcome));
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const scores = new Map<string, number>();
  for (const [m, s] of sums) scores.set(m, s / (counts.get(m) ?? 1));
  return { scores, counts };
}

/** Did `model` lose this instruction? "pooled": its pooled share is a loss; "any-loss": it lost a battle. */
export function modelLost(ctx: GroupContext, model: string, rule: "pooled" | "any-loss"): boolean {
  const score = ctx.scores.get(model);
  if (score === undefined) return false;
  if (rule === "pooled") return outcomeCategory(score) === "loss";
  return ctx.battles.some((b) => decidedFor(b, model, "loss"));
}

export function involves(battle: GroupBattle, model: string): boolean {
  return battle.modelA === model || battle.modelB === model;
}

/** Whether `model` played `battle` and it went `way` from its side (judges/ `outcomeCategory` of its share). */
function decidedFor(battle: GroupBattle, model: string, way: "win" | "loss"): boolean {
  return involves(battle, model) && outcomeCategory(shareOf(battle, model)) === way;
}

/** The group's usable battles `model` lost, and those it won. */
export const lostBy = (ctx: GroupContext, model: string): GroupBattle[] => ctx.battles.filter((b) => decidedFor(b, model, "loss"));
export const wonBy = (ctx: GroupContext, model: string): GroupBattle[] => ctx.battles.filter((b) => decidedFor(b, model, "win"));

function toRef(b: GroupBattle): BattleRef {
  const ref: BattleRef = {
    battleId: b.battleId,
    roundId: b.roundId,
    iterationId: b.iterationId,
    modelA: b.modelA,
    modelB: b.modelB,
    outcome: b.outcome,
    margin: b.margin,
  };
  if (b.judgeScores !== undefined) ref.judgeScores = b.judgeScores.map((j) => ({ ...j }));
  if (b.humanLabel === true) ref.humanLabel = true;
  return ref;
}

const distinct = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

const sortedCopy = (xs: readonly string[]): string[] => (xs.length < 2 ? [...xs] : distinct(xs).sort());

/**
 * `sortedCopy` shared while the source array stays the same: every battle of a round carries the
 * same judges and prompt-version arrays, so the single-battle rows of a large export share one
 * frozen sorted copy instead of sorting a fresh one per row.
 */
const sortedJudges = memoLast((xs: readonly string[]) => sortedCopy(xs));
const sortedVersions = memoLast((xs: readonly string[]) => sortedCopy(xs));

/**
 * Provenance of a row decided by `battles` (all of them, or the one for a DPO pair), marked
 * `humanLabel` when a person's review verdict decided one of them (a round with humanOverride).
 */
export function buildProvenance(ctx: GroupContext, battles: readonly GroupBattle[], margin: number): Provenance {
  const p = provenanceOf(ctx, battles, margin);
  if (battles.some((b) => b.humanLabel === true)) p.humanLabel = true;
  return p;
}

function provenanceOf(ctx: GroupContext, battles: readonly GroupBattle[], margin: number): Provenance {
  const ins = ctx.group.instruction;
  ctx.scoresObject ??= Object.fromEntries(ctx.scores);
  const only = battles.length === 1 ? battles[0] : undefined;
  if (only) {
    // One battle (every DPO pair): the same fields without the set/flatten passes, the export's hot path.
    return {
      instructionId: ins.id,
      category: ctx.category,
      complexity: ins.complexity,
      source: ins.source,
      target: ctx.group.target ?? null,
      iterationIds: [only.iterationId],
      roundIds: [only.roundId],
      battles: [toRef(only)],
      models: only.modelA === only.modelB ? [only.modelA] : only.modelA < only.modelB ? [only.modelA, only.modelB] : [only.modelB, only.modelA],
      judges: sortedJudges(only.judges),
      promptVersions: sortedVersions(only.promptVersions),
      scores: ctx.scoresObject,
      margin,
    };
  }
  return {
    instructionId: ins.id,
    category: ctx.category,
    complexity: ins.complexity,
    source: ins.source,
    target: ctx.group.target ?? null,
    iterationIds: distinct(battles.map((b) => b.iterationId)),
    roundIds: distinct(battles.map((b) => b.roundId)),
    battles: battles.map(toRef),
    models: distinct(battles.flatMap((b) => [b.modelA, b.modelB])).sort(),
    judges: distinct(battles.flatMap((b) => b.judges)).sort(),
    promptVersions: distinct(battles.flatMap((b) => b.promptVersions)).sort(),
    scores: ctx.scoresObject,
    margin,
  };
}

/** Largest margin among `battles`, 0 for none. */
export function maxMargin(battles: readonly GroupBattle[]): number {
  return battles.reduce((m, b) => Math.max(m, b.margin), 0);
}
