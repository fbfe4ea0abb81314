/**
 * Shared vocabulary of the judges module: the five arena-hard pairwise labels, the win/tie/loss
 * categories derived from outcomes, and the chat message shape that prompt templates produce
 * (structurally the gateway's `ChatMessage`, declared here because judges/ imports nothing internal).
 */

/** Arena-hard verdict labels, always relative to the positions *shown* to the judge. */
export type PairwiseLabel = "A>>B" | "A>B" | "A=B" | "B>A" | "B>>A";

/** In order from "A much better" to "B much better". */
export const PAIRWISE_LABELS: readonly PairwiseLabel[] = ["A>>B", "A>B", "A=B", "B>A", "B>>A"];

export function isPairwiseLabel(value: unknown): value is PairwiseLabel {
  return typeof value === "string" && (PAIRWISE_LABELS as readonly string[]).includes(value);
}

/** Direction of an outcome from model A's side. */
export type OutcomeCategory = "win" | "tie" | "loss";

/** Outcomes within this distance of 0.5 count as ties (guards against float noise such as 0.5000000001). */
export const TIE_EPSILON = 1e-9;

/** Maps a share in [0, 1] (model A's side) to win / tie / loss. */
export function outcomeCategory(outcome: number): OutcomeCategory {
  if (outcome > 0.5 + TIE_EPSILON) return "win";
  if (outcome < 0.5 - TIE_EPSILON) return "loss";
  return "tie";
}

/** How decisive a share is: 0 for a tie, 1 for a certain win or loss. */
export function marginOf(outcome: number): number {
  return Math.min(1, Math.abs(outcome - 0.5) * 2);
}

/** Single-grading scale (MT-bench): ratings outside it are invalid. */
export const MIN_RATING = 1;
export const MAX_RATING = 10;

export interface JudgeMessage {
  role: "system" | "user" | "assistant";
  content: string;
}
