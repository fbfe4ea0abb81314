/**
 * Arena tables: rounds, the battles work queue, candidate responses and judgments.
 * Unique keys on every result row make a retried write a no-op (nothing counted twice).
 */
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { instructions } from "./core.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** What a round was created with beyond its columns (the `options` column). */
export interface RoundOptions {
  instructions: { category?: string; source?: string; limit?: number; seed?: number; ids?: number[] };
  jury: "mean" | "majority";
  swapRule: "soft" | "strict";
  promptVersion?: string;
  /** Use instructions' reference answers in judge prompts (reference-guided grading). */
  useReference: boolean;
  /** Attempts per battle before it is recorded as failed. */
  maxAttempts: number;
  /** Extra judge calls when a verdict cannot be parsed, before it is recorded as invalid. */
  invalidRetries: number;
  /** Instructions held out of this round (an iteration's evaluation set), by id. */
  excludeIds?: number[];
  /**
   * Human review verdicts (human_verdicts) replace the judges' outcome of a reviewed battle in this
   * round's ratings and exports; absent means false.
   */
  humanOverride?: boolean;
  /** Show judges the candidates' reasoning traces before their final answers; absent means false. */
  judgeSeesTraces?: boolean;
  /**
   * Multi-turn instructions: judges decide on the whole conversation ("conversation", the default)
   * or on the last turn only ("last", the earlier turns shown as context).
   */
  judgeTurns?: "conversation" | "last";
  /** "adaptive": battles are planned in waves until the stopping rule holds; absent means "fixed". */
  sampling?: "fixed" | "adaptive";
  /** An adaptive round's stopping rule and wave size (the budget, when set, stops it too). */
  adaptive?: AdaptiveOptions;
}

/** An adaptive round's stopping rule: the widest 95% interval it reports (Elo points) and/or a battle cap. */
export interface AdaptiveOptions {
  ciWidth?: number;
  maxBattles?: number;
  waveSize: number;
  /** Bootstrap rounds of the board the rule reads; absent (rounds from before the option): the board's default, 100. */
  bootstrap?: number;
}

/** Where an adaptive round stands, written with each wave (the `adaptive` column; null for fixed rounds). */
export interface AdaptiveState {
  /** Waves written so far (the first is written with the round). */
  wave: number;
  /** The widest 95% interval of the round's board after the last settled wave; null before any. */
  ciWidth: number | null;
  /** Why it stopped: the interval target, the battle cap, no unseen instructions left, or every battle of a wave failed. */
  stoppedBy: "target" | "max_battles" | "exhausted" | "failed" | null;
}

/** One answered turn of a multi-turn conversation, as `responses.turns` keeps it. */
export interface ResponseTurn {
  /** The turn's final answer (no trace): what the next turn's request carried as the assistant message. */
  text: string;
  trace: string | null;
  traceStatus: "none" | "closed" | "unclosed";
}

/**
 * An answer's style features as a battle stores them (reports/style-features.ts computes them): its
 * length in characters and its markdown header, list item and bold counts.
 */
export interface StoredStyle {
  length: number;
  headers: number;
  listItems: number;
  bold: number;
}

export const rounds = pgTable("rounds", {
  id: text("id").primaryKey(),
  name: text("name"),
  status: text("status").notNull().default("pending"),
  pairing: text("pairing").notNull(),
  target: text("target"),
  baseline: text("baseline"),
  candidates: jsonb("candidates").$type<string[]>().notNull(),
  judges: jsonb("judges").$type<string[]>().notNull(),
  judgeMode: text("judge_mode").notNull().default("pairwise"),
  /** Everything else the round was created with (instruction filter, pooling, limits, budget). */
  options: jsonb("options").$type<RoundOptions>().notNull().default(sql`'{}'::jsonb`),
  iterationId: text("iteration_id"),
  error: text("error"),
  /**
   * Base figures of the round's running spend: what was counted here before the counts moved to
   * round_spend_stripes (battles/spend.ts adds the stripes to these; nothing adds to them any more).
   */
  spentPromptTokens: bigint("spent_prompt_tokens", { mode: "number" }).notNull().default(0),
  spentCompletionTokens: bigint("spent_completion_tokens", { mode: "number" }).notNull().default(0),
  spentCostUsd: doublePrecision("spent_cost_usd").notNull().default(0),
  /** Stored answers, judgments and invalid judgments: base figures likewise. */
  answerCount: bigint("answer_count", { mode: "number" }).notNull().default(0),
  judgmentCount: bigint("judgment_count", { mode: "number" }).notNull().default(0),
  invalidJudgmentCount: bigint("invalid_judgment_count", { mode: "number" }).notNull().default(0),
  /** Id of the API key whose request created the row (null in local mode); shown to admins only. */
  createdBy: text("created_by"),
  /** An adaptive round's wave state (null for fixed rounds), updated in the transaction that writes a wave. */
  adaptive: jsonb("adaptive").$type<AdaptiveState>(),
  createdAt: ts("created_at").notNull().defaultNow(),
  startedAt: ts("started_at"),
  finishedAt: ts("finished_at"),
});

export const battles = pgTable(
  "battles",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    roundId: text("round_id").references(() => rounds.id, { onDelete: "cascade" }),
    instructionId: bigint("instruction_id", { mode: "number" }).references(() => instructions.id),
    modelA: text("model_a").notNull(),
    modelB: text("model_b").notNull(),
    /** pending | running | done | failed | cancelled; imported battles are born done. */
    status: text("status").notNull().default("pending"),
    /** Model A's share in [0, 1]; null until judged (or when every verdict was invalid). */
    outcome: doublePrecision("outcome"),
    margin: doublePrecision("margin"),
    category: text("category"),
    /** For imported battles: the judge or voter named in the log. */
    judge: text("judge"),
    source: text("source").notNull().default("round"),
    externalId: text("external_id"),
    tstamp: doublePrecision("tstamp"),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    /** The worker that recorded the result (for audits and multi-worker checks). */
    finishedBy: text("finished_by"),
    leaseExpiresAt: ts("lease_expires_at"),
    error: text("error"),
    errorKind: text("error_kind"),
    styleA: jsonb("style_a").$type<StoredStyle>(),
    styleB: jsonb("style_b").$type<StoredStyle>(),
    /** Model A's share by the majority of the battle's human verdicts; null until someone reviewed it. */
    humanOutcome: doublePrecision("human_outcome"),
    /** Where `outcome` came from: "judge" (the judges, or an imported log) or "human" (review override). */
    labelSource: text("label_source").$type<"judge" | "human">().notNull().default("judge"),
    /** The judges' outcome and margin, kept when a human override replaced `outcome`/`margin`. */
    judgeOutcome: doublePrecision("judge_outcome"),
    judgeMargin: doublePrecision("judge_margin"),
    /** The wave of an adaptive round that planned the battle (1 = the first); null for fixed rounds. */
    wave: integer("wave"),
    createdAt: ts("created_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    index("battles_round_status_idx").on(t.roundId, t.status),
    index("battles_status_lease_idx").on(t.status, t.leaseExpiresAt),
    uniqueIndex("battles_round_plan_idx").on(t.roundId, t.instructionId, t.modelA, t.modelB),
    uniqueIndex("battles_source_external_idx").on(t.source, t.externalId),
  ],
);

/** Whose answer a row holds: the round, the instruction and the candidate (responses and response_turns). */
const answerKey = () => ({
  roundId: text("round_id")
    .notNull()
    .references(() => rounds.id, { onDelete: "cascade" }),
  instructionId: bigint("instruction_id", { mode: "number" })
    .notNull()
    .references(() => instructions.id),
  model: text("model").notNull(),
});

/** An answer and what it cost (responses and response_turns). */
const answerColumns = () => ({
  /** The final answer (no reasoning trace): what judges, style features and default exports see. */
  text: text("text").notNull(),
  /** The reasoning trace, apart from the answer; null when the model gave none. */
  trace: text("trace"),
  /** "none" | "closed" | "unclosed" (the output ended inside the trace: `text` is empty). */
  traceStatus: text("trace_status").$type<"none" | "closed" | "unclosed">().notNull().default("none"),
  promptTokens: integer("prompt_tokens").notNull().default(0),
  /** Every generated token, reasoning included. */
  completionTokens: integer("completion_tokens").notNull().default(0),
  /** The part of completion_tokens spent on the trace. */
  reasoningTokens: integer("reasoning_tokens").notNull().default(0),
  costUsd: doublePrecision("cost_usd").notNull().default(0),
  latencyMs: integer("latency_ms").notNull().default(0),
  cached: boolean("cached").notNull().default(false),
});

export const responses = pgTable(
  "responses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ...answerKey(),
    ...answerColumns(),
    /**
     * A multi-turn instruction's answers, turn by turn (`text`/`trace` above are the last turn's, the
     * spend columns the sum over turns); null for a single-turn instruction.
     */
    turns: jsonb("turns").$type<ResponseTurn[]>(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("responses_round_instr_model_idx").on(t.roundId, t.instructionId, t.model)],
);

/**
 * Each answered turn of a multi-turn conversation, stored (with its spend added to the round and its
 * budget reservation settled) as soon as it comes back, so a battle retried after a crash between
 * turns asks only for the turns not stored yet and counts each turn's spend once. The `responses` row
 * is written when the last turn is in. Turn numbers start at 1.
 */
export const responseTurns = pgTable(
  "response_turns",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ...answerKey(),
    turn: integer("turn").notNull(),
    ...answerColumns(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("response_turns_key_idx").on(t.roundId, t.instructionId, t.model, t.turn)],
);

export const judgments = pgTable(
  "judgments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    battleId: bigint("battle_id", { mode: "number" })
      .notNull()
      .references(() => battles.id, { onDelete: "cascade" }),
    judge: text("judge").notNull(),
    /** "AB": model A shown first; "BA": swapped; "A"/"B": single grading of one answer. */
    order: text("order").notNull(),
    promptVersion: text("prompt_version").notNull(),
    /** sha256 (hex) of the reference answer a reference-guided prompt showed; null when none was shown. */
    referenceHash: text("reference_hash"),
    /** The judge's final answer (its reasoning trace apart): the verdict is parsed from this only. */
    rawText: text("raw_text"),
    /** The judge's reasoning trace; null when it gave none. */
    trace: text("trace"),
    /** Parsed label ("A>>B".."B>>A") or rating ("7"); null when invalid. */
    verdict: text("verdict"),
    /** Model A's share implied by this single game, null when invalid. */
    score: doublePrecision("score"),
    valid: boolean("valid").notNull(),
    attempts: integer("attempts").notNull().default(1),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    /** The part of completion_tokens spent on reasoning traces. */
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    error: text("error"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("judgments_battle_judge_order_idx").on(t.battleId, t.judge, t.order)],
);

/**
 * Running counts of finished battles by (round, category, pair, outcome): Bradley-Terry needs only
 * these counts, so leaderboards over millions of battles read a few thousand rows. Updated in the
 * same transaction that records a battle (round results and imports), exactly once per battle.
 * Imported battles use round_id ''.
 */
export const battleCells = pgTable(
  "battle_cells",
  {
    roundId: text("round_id").notNull().default(""),
    category: text("category").notNull().default(""),
    modelA: text("model_a").notNull(),
    modelB: text("model_b").notNull(),
    outcome: doublePrecision("outcome").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
  },
  (t) => [uniqueIndex("battle_cells_key_idx").on(t.roundId, t.category, t.modelA, t.modelB, t.outcome)],
);

/**
 * Change counters behind cached boards: every transaction that changes what a board reads (a battle
 * finished, battles imported, a human override moving a battle between cells) adds one to a row of its
 * round (imports: round_id ''), in the same transaction. The sum over a round's rows (or all rows)
 * therefore grows with every committed change and is read under the same MVCC rules as the cells, on
 * either driver and from any process. A row per (round, stripe), the stripe chosen round-robin by the
 * writer, so concurrent workers of one round rarely wait on the same counter row.
 */
export const boardVersions = pgTable(
  "board_versions",
  {
    roundId: text("round_id").notNull(),
    stripe: integer("stripe").notNull(),
    changes: bigint("changes", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.stripe] })],
);

/**
 * A round's running spend and counts, in stripes: each stored answer or judgment adds to one stripe
 * (chosen round-robin by the writer) in the same transaction as its row, and a read sums the round's
 * stripes with the base figures on its `rounds` row (what was counted before stripes existed). One
 * counter row per round made every worker's every stored row wait for the same row lock.
 */
export const roundSpendStripes = pgTable(
  "round_spend_stripes",
  {
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    stripe: integer("stripe").notNull(),
    spentPromptTokens: bigint("spent_prompt_tokens", { mode: "number" }).notNull().default(0),
    spentCompletionTokens: bigint("spent_completion_tokens", { mode: "number" }).notNull().default(0),
    spentCostUsd: doublePrecision("spent_cost_usd").notNull().default(0),
    answerCount: bigint("answer_count", { mode: "number" }).notNull().default(0),
    judgmentCount: bigint("judgment_count", { mode: "number" }).notNull().default(0),
    invalidJudgmentCount: bigint("invalid_judgment_count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.stripe] })],
);

/** A human verdict in terms of the battle's real models: A wins, B wins, a tie, or both answers bad. */
export type HumanVerdict = "A" | "B" | "tie" | "both-bad";

/**
 * Human review verdicts, one per (battle, reviewer): `reviewer` is the API key's id (never the key)
 * for verdicts posted to the review API ("local" in local mode), or the name an NDJSON import gave
 * (`reviewer_kind` "import"), so an imported name can never overwrite a key's verdict. A second
 * verdict from the same reviewer replaces the first.
 */
export const humanVerdicts = pgTable(
  "human_verdicts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    battleId: bigint("battle_id", { mode: "number" })
      .notNull()
      .references(() => battles.id, { onDelete: "cascade" }),
    reviewerKind: text("reviewer_kind").$type<"key" | "import">().notNull(),
    reviewer: text("reviewer").notNull(),
    verdict: text("verdict").$type<HumanVerdict>().notNull(),
    note: text("note"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("human_verdicts_battle_reviewer_idx").on(t.battleId, t.reviewerKind, t.reviewer),
    index("human_verdicts_round_idx").on(t.roundId),
  ],
);
