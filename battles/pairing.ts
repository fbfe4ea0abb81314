/**
 * Pairing plans (pure): which models meet on each instruction.
 * - all-pairs: every unordered pair of candidates;
 * - target-vs-opponents: the model under training meets each other candidate (Arena Learning);
 * - vs-baseline: every other candidate meets the baseline (arena-hard).
 * Which model is stored as "A" is drawn with the injected random generator, so no model sits in one
 * slot by construction (judging is position-swapped anyway, this only keeps logs unbiased).
 */

export type PairingMode = "all-pairs" | "target-vs-opponents" | "vs-baseline";

export interface PairingInput {
  candidates: readonly string[];
  pairing: PairingMode;
  /** Required for target-vs-opponents: one of the candidates. */
  target?: string | null;
  /** Required for vs-baseline: one of the candidates. */
  baseline?: string | null;
}

export type PairingProblem = { field: string; message: string };

/** Checks a pairing request; returns the problems (empty when valid). */
export function checkPairing(p: PairingInput): PairingProblem[] {
  const problems: PairingProblem[] = [];
  const unique = new Set(p.candidates);
  if (unique.size !== p.candidates.length) problems.push({ field: "candidates", message: "must not repeat a model" });
  if (unique.size < 2) problems.push({ field: "candidates", message: "needs at least two models" });
  const anchor = p.pairing === "target-vs-opponents" ? "target" : p.pairing === "vs-baseline" ? "baseline" : null;
  if (anchor) {
    const value = anchor === "target" ? p.target : p.baseline;
    if (!value) problems.push({ field: anchor, message: `required for pairing '${p.pairing}'` });
    else if (!unique.has(value)) problems.push({ field: anchor, message: `'${value}' must be one of the candidates` });
  }
  return problems;
}

/** The unordered model pairs of a plan, in a stable order. */
export function planPairs(p: PairingInput): [string, string][] {
  const c = [...p.candidates];
  if (p.pairing === "all-pairs") {
    const pairs: [string, string][] = [];
    for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) pairs.push([c[i] as string, c[j] as string]);
    return pairs;
  }
  const anchor = (p.pairing === "target-vs-opponents" ? p.target : p.baseline) ?? "";
  return c.filter((m) => m !== anchor).map((m) => [anchor, m] as [string, string]);
}

export interface PlannedBattle {
  instructionId: number;
  modelA: string;
  modelB: string;
}

/** Crosses instructions with pairs; each battle's A/B slot is drawn with `random`. */
export function planBattles(
  instructionIds: readonly number[],
  pairs: readonly [string, string][],
  random: () => number,
): PlannedBattle[] {
  const out: PlannedBattle[] = [];
  for (const instructionId of instructionIds) {
    for (const [x, y] of pairs) {
      const flip = random() < 0.5;
      out.push({ instructionId, modelA: flip ? y : x, modelB: flip ? x : y });
    }
  }
  return out;
}
