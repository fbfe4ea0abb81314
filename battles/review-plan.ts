/**
 * The review queue's pure part: which battles people should look at first, and the blind order each
 * reviewer sees them in. Priority (issue 17): the jury disagrees (two judges' combined verdicts fall
 * in different win/tie/loss categories) > a judge's two orders disagree (swap inconsistency) > a
 * seeded random sample of the rest. Within a tier the order is a hash of (reviewer, round, battle),
 * so each reviewer gets their own stable random order and two reviewers spread over different
 * battles first. Whether a reviewer sees model A first is another hash of (reviewer, battle): stable
 * (the POST maps the choice back without storing anything) and unguessable from the position alone.
 */
import { combinePairwise, gameScore, outcomeCategory, type OutcomeCategory, type PairwiseLabel, type SwapRule } from "../judges/index.js";
import { hashString32Parts } from "../lib/hash.js";

export type ReviewPriority = "jury-disagreement" | "swap-inconsistency" | "sample";
const TIER: Readonly<Record<ReviewPriority, number>> = { "jury-disagreement": 0, "swap-inconsistency": 1, sample: 2 };

/** One pairwise game of a battle: `label` relative to the shown positions, null when unparsable. */
export interface ReviewGame {
  judge: string;
  order: "AB" | "BA";
  label: PairwiseLabel | null;
}

/** The priority of one battle from its pairwise games (single-grading battles have none: a sample). */
export function reviewPriority(games: readonly ReviewGame[], rule: SwapRule = "soft"): ReviewPriority {
  const byJudge = new Map<string, { ab: PairwiseLabel | null; ba: PairwiseLabel | null }>();
  for (const g of games) {
    const j = byJudge.get(g.judge) ?? { ab: null, ba: null };
    if (g.order === "AB") j.ab = g.label;
    else j.ba = g.label;
    byJudge.set(g.judge, j);
  }
  const categories = new Set<OutcomeCategory>();
  let swapInconsistent = false;
  for (const { ab, ba } of byJudge.values()) {
    const { outcome } = combinePairwise(ab, ba, rule);
    if (outcome !== null) categories.add(outcomeCategory(outcome));
    const s1 = gameScore(ab, "AB");
    const s2 = gameScore(ba, "BA");
    if (s1 !== null && s2 !== null && outcomeCategory(s1) !== outcomeCategory(s2)) swapInconsistent = true;
  }
  if (categories.size > 1) return "jury-disagreement";
  return swapInconsistent ? "swap-inconsistency" : "sample";
}

/** A battle waiting for review. */
export interface ReviewCandidate {
  battleId: number;
  priority: ReviewPriority;
}

/** The candidates in queue order for this reviewer (tier first, then the reviewer's seeded order). */
export function orderQueue<T extends ReviewCandidate>(candidates: readonly T[], roundId: string, reviewer: string): T[] {
  const key = (c: T) => hashString32Parts(["queue", reviewer, roundId, String(c.battleId)]);
  return candidates
    .map((c) => ({ c, tier: TIER[c.priority], k: key(c) }))
    .sort((x, y) => x.tier - y.tier || x.k - y.k || x.c.battleId - y.c.battleId)
    .map((x) => x.c);
}

/** True when this reviewer is shown model B's answer as "A" (and model A's as "B") for this battle. */
export function blindSwapped(reviewer: string, battleId: number): boolean {
  return (hashString32Parts(["blind", reviewer, String(battleId)]) & 1) === 1;
}

export type BlindChoice = "A" | "B" | "tie" | "both-bad";

/** The reviewer's choice between the shown positions as a verdict on the real models A and B. */
export function unblind(choice: BlindChoice, swapped: boolean): BlindChoice {
  if (!swapped || choice === "tie" || choice === "both-bad") return choice;
  return choice === "A" ? "B" : "A";
}
