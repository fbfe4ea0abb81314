/**
 * Types of the Arena Learning training-data selection: what the database side feeds in (one
 * `InstructionGroup` per instruction), the options, the rows that come out, and the summary.
 * Shapes only; the logic lives in select.ts, select-rows.ts and select-score.ts.
 */

export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface GroupAnswer {
  model: string;
  responseId: string;
  /** The final answer (the reasoning trace apart). */
  text: string;
  /** The reasoning trace; loaded only for an export that keeps traces (`traces=keep`). */
  trace?: string | null;
  /**
   * A multi-turn instruction: this candidate's answers to the user turns before the last (`text` and
   * `trace` are the last turn's), each trace loaded only for `traces=keep`.
   */
  earlier?: EarlierAnswer[];
}

/** One answer to an earlier user turn of a multi-turn instruction. */
export interface EarlierAnswer {
  text: string;
  trace?: string | null;
}

export interface GroupBattle {
  battleId: string;
  roundId: string;
  iterationId: string | null;
  modelA: string;
  modelB: string;
  /** Model A's pooled share in [0, 1] (1 = A wins, 0.5 = tie). */
  outcome: number;
  /** Judge confidence in [0, 1]. */
  margin: number;
  judges: string[];
  promptVersions: string[];
  judgeScores?: { judge: string; outcome: number }[];
  /** True when `outcome` is people's review verdict, not the judges' (a round with humanOverride). */
  humanLabel?: boolean;
}

/** Everything known about one instruction: its prompt, the answers, and the battles between them. */
export interface InstructionGroup {
  instruction: {
    id: string;
    /** The prompt, possibly multi-turn; must end with a user turn. */
    messages: PromptMessage[];
    /**
     * A multi-turn instruction's user turns (`messages` ends with the first one); each candidate answered
     * them in turn, so its conversation is `messages` + its earlier answers and the later user turns.
     */
    turns?: string[];
    category: string | null;
    /** 1..5, or null when unknown (treated as 3 by the curriculum). */
    complexity: number | null;
    source: string | null;
  };
  /** Name of the model under training; absent for rounds without a target. */
  target?: string;
  answers: GroupAnswer[];
  battles: GroupBattle[];
}

export type SelectionKind = "sft" | "dpo" | "reward" | "kto";

export interface SelectionOptions {
  /** Battles whose margin is below this are ignored before anything is pooled (default 0). */
  minMargin?: number;
  /** Keep only rows where the target lost (DPO: the target is the rejected answer). */
  onlyTargetLoses?: boolean;
  /** At most this many rows per category across the whole export. */
  perCategoryCap?: number;
  /** Later iterations accept low-complexity instructions less often (see select.ts). 1-based. */
  curriculum?: { iteration: number; totalIterations: number };
  /** Drop rows whose normalised prompt + answer(s) hash was already emitted. */
  dedup?: boolean;
  /** DPO with a target: also emit pairs from opponent-vs-opponent battles (default false). */
  includeOpponentPairs?: boolean;
  /** When the target "lost" an instruction: pooled share < 0.5 (default) or any single lost battle. */
  lossRule?: "pooled" | "any-loss";
  /** KTO: good if pooled > 0.5 + epsilon, bad if < 0.5 - epsilon, else excluded (default 0.05). */
  ktoEpsilon?: number;
}

/** A compact reference to one battle, kept in every row's provenance. */
export interface BattleRef {
  battleId: string;
  roundId: string;
  iterationId: string | null;
  modelA: string;
  modelB: string;
  outcome: number;
  margin: number;
  judgeScores?: { judge: string; outcome: number }[];
  /** Present (true) when `outcome` is people's review verdict, not the judges'. */
  humanLabel?: boolean;
}

export interface Provenance {
  instructionId: string;
  category: string;
  complexity: number | null;
  source: string | null;
  target: string | null;
  iterationIds: (string | null)[];
  roundIds: string[];
  battles: BattleRef[];
  models: string[];
  judges: string[];
  promptVersions: string[];
  /** Pooled share of every scored model on this instruction. */
  scores: Record<string, number>;
  /** The largest judge margin among the battles that decided this row. */
  margin: number;
  /** Present (true) when a person's review verdict decided one of the row's battles. */
  humanLabel?: boolean;
}

export interface RowAnswer {
  model: string;
  responseId: string;
  text: string;
  trace?: string | null;
  /** A multi-turn answer's earlier turns (GroupAnswer `earlier`). */
  earlier?: EarlierAnswer[];
}

/**
 * Every row of a multi-turn instruction carries its user turns: `prompt` is then the prefix all
 * candidates shared (system messages and the first user turn), and each answer's conversation goes on
 * with its own earlier answers (format-turns.ts `conversationMessages`).
 */
interface MultiTurn {
  turns?: string[];
}

export interface SftRow extends MultiTurn {
  kind: "sft";
  prompt: PromptMessage[];
  completion: RowAnswer;
  provenance: Provenance;
}

export interface DpoRow extends MultiTurn {
  kind: "dpo";
  prompt: PromptMessage[];
  chosen: RowAnswer;
  rejected: RowAnswer;
  provenance: Provenance;
}

export interface RewardRow extends MultiTurn {
  kind: "reward";
  prompt: PromptMessage[];
  /** Best first. */
  responses: (RowAnswer & { score: number; battles: number })[];
  provenance: Provenance;
}

export interface KtoRow extends MultiTurn {
  kind: "kto";
  prompt: PromptMessage[];
  completion: RowAnswer;
  label: boolean;
  score: number;
  provenance: Provenance;
}

export type SelectionRow = SftRow | DpoRow | RewardRow | KtoRow;

export interface RowOfKind {
  sft: SftRow;
  dpo: DpoRow;
  reward: RewardRow;
  kto: KtoRow;
}

export type SkipReason =
  | "bad-prompt"
  | "no-battles"
  | "missing-answer"
  | "min-margin"
  | "no-target"
  | "no-target-answer"
  | "target-not-lost"
  | "no-better-opponent"
  | "no-clear-winner"
  | "tie"
  | "opponent-pair"
  | "too-few-answers"
  | "curriculum"
  | "category-cap"
  | "duplicate";

/**
 * Counts of one selector's work. `skipped` counts candidates at the level the decision was made:
 * groups (bad-prompt, no-battles, curriculum, ...), battles (DPO tie, opponent-pair, min-margin)
 * or rows (category-cap, duplicate, KTO tie).
 */
export interface SelectionSummary {
  kind: SelectionKind;
  groups: number;
  rows: number;
  /** Rows of multi-turn instructions (whole conversations); absent when there were none. */
  multiTurnRows?: number;
  /** Rows a person's review verdict decided (provenance `humanLabel`); absent when there were none. */
  humanLabelRows?: number;
  perCategory: Record<string, number>;
  skipped: Partial<Record<SkipReason, number>>;
  models: string[];
  judges: string[];
  promptVersions: string[];
  roundIds: string[];
  iterationIds: string[];
  dedupHashes: number;
}
