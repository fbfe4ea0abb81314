/**
 * Generation plans (pure): how many items of each kind and category a MATRIX-Gen run writes, at which
 * complexity, from which scenario. Counts are apportioned exactly (largest remainder), so a category
 * with twice the weight gets twice the items, not merely twice the odds; feedback adjusts category
 * weights and shifts complexity per category.
 */
import { KIND_COMPLEXITY, type InstructionKind } from "../taxonomy.js";
import { randomIntBetween, shuffled } from "../../../lib/random.js";

/**
 * Split `total` into integer parts proportional to `weights` (Hamilton / largest remainder): floors
 * first, then one more to the largest fractional remainders, ties to the lower index. Zero weights get 0.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + Math.max(0, w), 0);
  if (!(sum > 0)) throw new RangeError("apportion: weights must have a positive sum");
  const quotas = weights.map((w) => (Math.max(0, w) / sum) * total);
  const out = quotas.map(Math.floor);
  let left = total - out.reduce((s, x) => s + x, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

/**
 * Category weights for a run, normalised to sum 1: uniform without feedback; with feedback, each
 * category's feedback weight, and the mean of those for a category the feedback did not cover.
 */
export function categoryWeights(categories: readonly string[], feedback?: Readonly<Record<string, number>>): number[] {
  const known = categories.map((c) => feedback?.[c]).filter((w): w is number => w !== undefined && w >= 0);
  const fill = known.length > 0 ? known.reduce((s, w) => s + w, 0) / known.length : 1;
  const raw = categories.map((c) => {
    const w = feedback?.[c];
    return w !== undefined && w >= 0 ? w : fill;
  });
  const sum = raw.reduce((s, w) => s + w, 0);
  return sum > 0 ? raw.map((w) => w / sum) : categories.map(() => 1 / categories.length);
}

export interface PlanInput {
  count: number;
  kinds: readonly { kind: InstructionKind; weight: number }[];
  categories: readonly string[];
  /** Same order as `categories`. */
  weights: readonly number[];
  /** Complexity shift per category (-1 easier, +1 harder). */
  adjustments?: Readonly<Record<string, number>>;
  /** Number of scenarios to draw from (items cycle through them in shuffled order). */
  scenarios: number;
  random: () => number;
  /**
   * The run's target complexity before feedback shifts it: one level for every kind, a distribution
   * over levels, or either of those per kind (kinds left out keep their default range). Absent: each
   * kind's default range (KIND_COMPLEXITY).
   */
  complexity?: ComplexityTarget;
}

/** Relative weights of complexity levels 1-5 ("1".."5"), apportioned exactly over a kind's items. */
export interface ComplexityDistribution {
  distribution: Readonly<Partial<Record<"1" | "2" | "3" | "4" | "5", number>>>;
}
/** A level (1-5) or a distribution of levels. */
export type ComplexitySpec = number | ComplexityDistribution;
export type ComplexityTarget = ComplexitySpec | Readonly<Partial<Record<InstructionKind, ComplexitySpec>>>;

const LEVELS = ["1", "2", "3", "4", "5"] as const;

const isSpec = (t: ComplexityTarget): t is ComplexitySpec => typeof t === "number" || "distribution" in t;

/** The target of one kind: the run-wide spec, the kind's own entry, or undefined (its default range). */
export function complexitySpecFor(target: ComplexityTarget | undefined, kind: InstructionKind): ComplexitySpec | undefined {
  if (target === undefined) return undefined;
  return isSpec(target) ? target : target[kind];
}

/**
 * `n` levels in the proportions of a distribution, exactly (largest remainder over levels 1-5),
 * shuffled with `random` so which item gets which level is seeded but not ordered.
 */
export function levelsOf(d: ComplexityDistribution, n: number, random: () => number): number[] {
  const counts = apportion(n, LEVELS.map((l) => d.distribution[l] ?? 0));
  return shuffled(random, LEVELS.flatMap((l, i) => new Array<number>(counts[i] ?? 0).fill(Number(l))));
}

export interface PlannedItem {
  kind: InstructionKind;
  category: string;
  /** 1-5. */
  complexity: number;
  scenarioIndex: number;
  /** A uniform draw in [0, 1) for choosing a persona among the scenario's participants. */
  personaDraw: number;
}

const expand = <T>(values: readonly T[], counts: readonly number[]): T[] => values.flatMap((v, i) => new Array<T>(counts[i] ?? 0).fill(v));

/**
 * The item slots of a run, `count` of them. Kinds, categories, scenarios and personas are drawn exactly
 * as without a complexity target (the default range's draw is made either way), so changing the target
 * changes only the levels; levels of a distribution are dealt after every other draw. The feedback's
 * shift for the item's category applies on top of the target, clamped to 1-5.
 */
export function planInstructions(p: PlanInput): PlannedItem[] {
  if (p.scenarios < 1) throw new RangeError("planInstructions: needs at least one scenario");
  const kinds = expand(
    p.kinds.map((k) => k.kind),
    apportion(p.count, p.kinds.map((k) => k.weight)),
  );
  const categories = shuffled(p.random, expand(p.categories, apportion(p.count, p.weights)));
  const scenarioOrder = shuffled(p.random, Array.from({ length: p.scenarios }, (_, i) => i));
  const slots = kinds.map((kind, i) => {
    const category = categories[i] ?? p.categories[0] ?? "general";
    const [lo, hi] = KIND_COMPLEXITY[kind];
    const drawn = randomIntBetween(p.random, lo, hi);
    const spec = complexitySpecFor(p.complexity, kind);
    return { kind, category, complexity: typeof spec === "number" ? spec : drawn, scenarioIndex: scenarioOrder[i % p.scenarios] ?? 0, personaDraw: p.random() };
  });
  // Distributions: each kind's slots get its levels in exact proportions, in seeded order.
  for (const { kind } of p.kinds) {
    const spec = complexitySpecFor(p.complexity, kind);
    if (spec === undefined || typeof spec === "number") continue;
    const mine = slots.filter((s) => s.kind === kind);
    const levels = levelsOf(spec, mine.length, p.random);
    mine.forEach((s, j) => (s.complexity = levels[j] ?? s.complexity));
  }
  for (const s of slots) s.complexity = Math.min(5, Math.max(1, s.complexity + (p.adjustments?.[s.category] ?? 0)));
  return slots;
}
