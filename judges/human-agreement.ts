/**
 * Human review verdicts as votes, and how well judges agree with people (and people with each other).
 *
 * A human verdict is in terms of the battle's real models: "A" (model A better), "B", "tie", or
 * "both-bad"; as a vote from model A's side it is win / loss / tie, "both-bad" counting as a tie (as
 * Chatbot Arena's "tie (bothbad)" does). Agreement follows MT-bench (Zheng et al. 2023,
 * fastchat/llm_judge/compute_agreement.py):
 *   - judge-human: every (judge vote, human vote) pair on a battle both rated is one comparison;
 *     "with ties" counts all of them, "without ties" drops each pair where either vote is a tie;
 *   - human-human: every pair of two different reviewers' votes on the same battle, the same way.
 * Cohen's kappa (judges/kappa.ts) is over the judge-human pairs with ties, three categories.
 * The majority of a battle's human votes is the category with the most votes; with no single such
 * category (one A and one B, or one A and one tie) the people are split and the outcome is a tie.
 */
import { cohenKappa } from "./kappa.js";
import type { OutcomeCategory } from "./labels.js";

export const HUMAN_VERDICTS = ["A", "B", "tie", "both-bad"] as const;
export type HumanVerdict = (typeof HUMAN_VERDICTS)[number];

export function isHumanVerdict(value: unknown): value is HumanVerdict {
  return typeof value === "string" && (HUMAN_VERDICTS as readonly string[]).includes(value);
}

/** A human verdict as a vote from model A's side. */
export function humanVote(v: HumanVerdict): OutcomeCategory {
  return v === "A" ? "win" : v === "B" ? "loss" : "tie";
}

const CATEGORY_OUTCOME: Readonly<Record<OutcomeCategory, number>> = { win: 1, tie: 0.5, loss: 0 };

/** Model A's share by the majority of the verdicts (see the header); null when there are none. */
export function humanMajority(verdicts: readonly HumanVerdict[]): number | null {
  if (verdicts.length === 0) return null;
  const counts = new Map<OutcomeCategory, number>();
  for (const v of verdicts) counts.set(humanVote(v), (counts.get(humanVote(v)) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const leaders = [...counts.entries()].filter(([, n]) => n === top);
  const only = leaders.length === 1 ? leaders[0] : undefined;
  return only ? CATEGORY_OUTCOME[only[0]] : CATEGORY_OUTCOME.tie;
}

/** One human vote on one battle. */
export interface HumanVoteRecord {
  battleId: string;
  reviewer: string;
  vote: OutcomeCategory;
}

/** MT-bench agreement counts over vote pairs. */
export interface AgreementCounts {
  /** Pairs compared with ties, and the share of them that agree (null when none). */
  pairs: number;
  withTies: number | null;
  /** Pairs where neither vote is a tie, and the share of them that agree (null when none). */
  pairsWithoutTies: number;
  withoutTies: number | null;
}

export interface JudgeHumanAgreement extends AgreementCounts {
  /** Battles with both a vote of this judge and at least one human vote. */
  battles: number;
  /** Cohen's kappa over the pairs with ties; null when undefined. */
  kappa: number | null;
}

/** Agreement counts of aligned vote pairs (`a[i]` and `b[i]` rate the same battle). */
export function agreementCounts(a: readonly OutcomeCategory[], b: readonly OutcomeCategory[]): AgreementCounts {
  let agree = 0;
  let pairsNoTie = 0;
  let agreeNoTie = 0;
  a.forEach((x, i) => {
    const y = b[i];
    if (y === undefined) return;
    if (x === y) agree += 1;
    if (x === "tie" || y === "tie") return;
    pairsNoTie += 1;
    if (x === y) agreeNoTie += 1;
  });
  const pairs = Math.min(a.length, b.length);
  return {
    pairs,
    withTies: pairs === 0 ? null : agree / pairs,
    pairsWithoutTies: pairsNoTie,
    withoutTies: pairsNoTie === 0 ? null : agreeNoTie / pairsNoTie,
  };
}

/** One judge's (or the jury's) votes by battle against every human vote on those battles. */
export function judgeHumanAgreement(judgeVotes: ReadonlyMap<string, OutcomeCategory>, humans: readonly HumanVoteRecord[]): JudgeHumanAgreement {
  const xs: OutcomeCategory[] = [];
  const ys: OutcomeCategory[] = [];
  const battles = new Set<string>();
  for (const h of humans) {
    const j = judgeVotes.get(h.battleId);
    if (j === undefined) continue;
    xs.push(j);
    ys.push(h.vote);
    battles.add(h.battleId);
  }
  return { ...agreementCounts(xs, ys), battles: battles.size, kappa: cohenKappa(xs, ys) };
}

export interface HumanHumanAgreement extends AgreementCounts {
  /** Battles that two or more reviewers reviewed. */
  battles: number;
}

/** Agreement between people: every pair of two reviewers' votes on the same battle. */
export function humanHumanAgreement(humans: readonly HumanVoteRecord[]): HumanHumanAgreement {
  const byBattle = new Map<string, Map<string, OutcomeCategory>>();
  for (const h of humans) {
    let votes = byBattle.get(h.battleId);
    if (!votes) byBattle.set(h.battleId, (votes = new Map()));
    votes.set(h.reviewer, h.vote);
  }
  const xs: OutcomeCategory[] = [];
  const ys: OutcomeCategory[] = [];
  let battles = 0;
  for (const votes of byBattle.values()) {
    const vs = [...votes.values()];
    if (vs.length < 2) continue;
    battles += 1;
    vs.forEach((x, i) => {
      for (const y of vs.slice(i + 1)) {
        xs.push(x);
        ys.push(y);
      }
    });
  }
  return { ...agreementCounts(xs, ys), battles };
}
