/**
 * Arena Learning training-data selection (pure, streaming). `createSelector(kind, options, rng)`
 * returns a stateful selector: feed it one `InstructionGroup` at a time (`next`), it returns that
 * group's rows; `summary()` reports counts. Memory is constant apart from the dedup Set of 53-bit
 * hashes and a few small Sets (categories, models, judges, prompt versions, rounds).
 *
 * Per group, in order: basic checks and scoring (select-score.ts, `minMargin` drops weak
 * battles before pooling) -> `onlyTargetLoses` -> curriculum -> candidate rows (select-rows.ts)
 * -> dedup -> per-category cap. The cap is applied after dedup so duplicates never use up a quota.
 *
 * Curriculum: with progress p = (iteration - 1) / (totalIterations - 1) in [0, 1], a group of
 * complexity c (1..5, null counts as 3) is accepted with probability 1 - p * (5 - c) / 5, one draw
 * of `rng` per group that reaches this step. Iteration 1 takes everything; the last iteration takes
 * complexity 5 always and complexity 1 one time in five, so easy items thin out but never vanish.
 */

import type { Rng } from "../../lib/random.js";
import { rowKey } from "./select-key.js";
import { dpoRows, ktoRows, rewardRows, sftRows, type RowPolicy } from "./select-rows.js";
import { modelLost, prepareGroup, tally, type GroupContext, type SkipTally } from "./select-score.js";
import type {
  InstructionGroup,
  RowAnswer,
  RowOfKind,
  SelectionKind,
  SelectionOptions,
  SelectionRow,
  SelectionSummary,
  SkipReason,
} from "./select-types.js";

export type * from "./select-types.js";

export const DEFAULT_KTO_EPSILON = 0.05;
export const CURRICULUM_NULL_COMPLEXITY = 3;
const MAX_COMPLEXITY = 5;

export interface Selector<K extends SelectionKind> {
  next(group: InstructionGroup): RowOfKind[K][];
  summary(): SelectionSummary;
}

/** The options with their defaults filled in: what a selector applies, and what a dataset card reports. */
export type ResolvedOptions = Required<Omit<SelectionOptions, "perCategoryCap" | "curriculum">> &
  Pick<SelectionOptions, "perCategoryCap" | "curriculum">;

export function withDefaults(o: SelectionOptions): ResolvedOptions {
  return {
    minMargin: o.minMargin ?? 0,
    onlyTargetLoses: o.onlyTargetLoses ?? false,
    perCategoryCap: o.perCategoryCap,
    curriculum: o.curriculum,
    dedup: o.dedup ?? false,
    includeOpponentPairs: o.includeOpponentPairs ?? false,
    lossRule: o.lossRule ?? "pooled",
    ktoEpsilon: o.ktoEpsilon ?? DEFAULT_KTO_EPSILON,
  };
}

/** Probability that the curriculum keeps a group of this complexity at this iteration (see header). */
export function curriculumAcceptance(complexity: number | null, iteration: number, totalIterations: number): number {
  const p = totalIterations <= 1 ? 0 : Math.min(1, Math.max(0, (iteration - 1) / (totalIterations - 1)));
  const c = Math.min(MAX_COMPLEXITY, Math.max(1, complexity ?? CURRICULUM_NULL_COMPLEXITY));
  return 1 - (p * (MAX_COMPLEXITY - c)) / MAX_COMPLEXITY;
}

/** An answer's texts for dedup: a multi-turn answer's earlier turns, then its last. */
function answerParts(a: RowAnswer): string {
  return a.earlier === undefined ? a.text : [...a.earlier.map((e) => e.text), a.text].join("\u0003");
}

/** Text parts that identify a row for dedup, besides its prompt (and a multi-turn row's user turns). */
function dedupParts(row: SelectionRow): string[] {
  const turns = row.turns === undefined ? [] : [row.turns.join("\u0003")];
  switch (row.kind) {
    case "sft":
      return [...turns, answerParts(row.completion)];
    case "dpo":
      return [...turns, answerParts(row.chosen), answerParts(row.rejected)];
    case "reward":
      return [...turns, ...row.responses.map(answerParts).sort()];
    case "kto":
      return [...turns, answerParts(row.completion), row.label ? "good" : "bad"];
  }
}

function checkOptions(o: SelectionOptions): void {
  const bad = (name: string) => new RangeError(`selection option ${name} is out of range`);
  if (o.minMargin !== undefined && !(o.minMargin >= 0 && o.minMargin <= 1)) throw bad("minMargin");
  if (o.perCategoryCap !== undefined && !(Number.isInteger(o.perCategoryCap) && o.perCategoryCap >= 0)) {
    throw bad("perCategoryCap");
  }
  if (o.ktoEpsilon !== undefined && !(o.ktoEpsilon >= 0 && o.ktoEpsilon < 0.5)) throw bad("ktoEpsilon");
  const c = o.curriculum;
  if (c !== undefined && !(c.totalIterations >= 1 && c.iteration >= 1)) throw bad("curriculum");
}

function refuse(skips: SkipTally, reason: SkipReason): false {
  tally(skips, reason);
  return false;
}

type Builders = { [P in SelectionKind]: (ctx: GroupContext, skips: SkipTally) => RowOfKind[P][] };

/** A stateful selector for one export (see the module header for the rules and their order). */
export function createSelector<K extends SelectionKind>(kind: K, options: SelectionOptions, rng: Rng): Selector<K> {
  checkOptions(options);
  const o = withDefaults(options);
  const policy: RowPolicy = o;
  const builders: Builders = {
    sft: (ctx, skips) => sftRows(ctx, policy, skips),
    dpo: (ctx, skips) => dpoRows(ctx, policy, skips),
    reward: (ctx, skips) => rewardRows(ctx, skips),
    kto: (ctx, skips) => ktoRows(ctx, policy, skips),
  };
  const build = builders[kind];
  const state = createState(kind);

  /** Group gates: `onlyTargetLoses` (reward/KTO here; SFT needs a loss anyway, DPO filters per pair), then curriculum. */
  const admit = (ctx: GroupContext): boolean => {
    const target = ctx.group.target;
    if (policy.onlyTargetLoses && target === undefined) return refuse(state.skips, "no-target");
    if (policy.onlyTargetLoses && target !== undefined && kind !== "dpo" && kind !== "sft") {
      if (!modelLost(ctx, target, policy.lossRule)) return refuse(state.skips, "target-not-lost");
    }
    const cur = o.curriculum;
    if (cur === undefined) return true;
    const accept = curriculumAcceptance(ctx.group.instruction.complexity, cur.iteration, cur.totalIterations);
    if (rng() < accept) return true;
    return refuse(state.skips, "curriculum");
  };

  return {
    next(group) {
      state.groups += 1;
      const ctx = prepareGroup(group, o.minMargin, kind === "dpo", state.skips);
      if (ctx === null || !admit(ctx)) return [];
      return build(ctx, state.skips).filter((row) => state.accept(row, o));
    },
    summary: () => state.summary(),
  };
}

/** The export-wide state: dedup hashes, per-category counts, skip tallies and the names seen. */
function createState(kind: SelectionKind) {
  const seen = new Set<number>();
  const perCategory = new Map<string, number>();
  const names = { models: new Set<string>(), judges: new Set<string>(), promptVersions: new Set<string>() };
  const rounds = { roundIds: new Set<string>(), iterationIds: new Set<string>() };
  const skips: SkipTally = {};
  const state = {
    groups: 0,
    rows: 0,
    multiTurnRows: 0,
    humanLabelRows: 0,
    skips,
    accept(row: SelectionRow, o: ResolvedOptions): boolean {
      const key = o.dedup ? rowKey(row.prompt, dedupParts(row)) : null;
      if (key !== null && seen.has(key)) return refuse(skips, "duplicate");
      const category = row.provenance.category;
      const count = perCategory.get(category) ?? 0;
      if (o.perCategoryCap !== undefined && count >= o.perCategoryCap) return refuse(skips, "category-cap");
      if (key !== null) seen.add(key);
      perCategory.set(category, count + 1);
      state.rows += 1;
      if (row.turns !== undefined) state.multiTurnRows += 1;
      if (row.provenance.humanLabel === true) state.humanLabelRows += 1;
      const p = row.provenance;
      for (const m of p.models) names.models.add(m);
      for (const j of p.judges) names.judges.add(j);
      for (const v of p.promptVersions) names.promptVersions.add(v);
      for (const r of p.roundIds) rounds.roundIds.add(r);
      for (const i of p.iterationIds) if (i !== null) rounds.iterationIds.add(i);
      return true;
    },
    summary(): SelectionSummary {
      const sorted = (s: Set<string>) => [...s].sort();
      return {
        kind,
        groups: state.groups,
        rows: state.rows,
        ...(state.multiTurnRows > 0 ? { multiTurnRows: state.multiTurnRows } : {}),
        ...(state.humanLabelRows > 0 ? { humanLabelRows: state.humanLabelRows } : {}),
        perCategory: Object.fromEntries([...perCategory].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
        skipped: { ...skips },
        models: sorted(names.models),
        judges: sorted(names.judges),
        promptVersions: sorted(names.promptVersions),
        roundIds: sorted(rounds.roundIds),
        iterationIds: sorted(rounds.iterationIds),
        dedupHashes: seen.size,
      };
    },
  };
  return state;
}
