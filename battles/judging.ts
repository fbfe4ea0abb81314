/**
 * One judge's games on one battle. Pairwise: two games with positions swapped ("AB", "BA").
 * Single: each answer graded alone ("A", "B"). Reward: a reward model scores each answer.
 * An unparsable verdict is asked again (a fresh sample) up to a limit, then stored as invalid and
 * left out of the outcome. A judgment already stored is reused, never requested again.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { judgments } from "../db/schema/index.js";
import {
  combinePairwise,
  combineSingle,
  type CombinedOutcome,
  gameScore,
  hasReference,
  type PairwiseLabel,
  type PairwiseTemplate,
  pairwiseVerdictOf,
  ratingOf,
  type RenderedPrompt,
  rewardShare,
  type SingleTemplate,
} from "../judges/index.js";
import { JobError } from "../lib/job-error.js";
import type { BattleLlm, LlmMessage } from "./llm.js";
import { allOrFirstError } from "./all-settled.js";
import { type CallTab, type RoundBudget, withTab } from "./budget.js";
import { REWARD_PROMPT_VERSION } from "./round-store.js";
import { storeOnce } from "./spend.js";

export type JudgmentRow = typeof judgments.$inferSelect;
export type Order = "AB" | "BA" | "A" | "B";

export interface GameContext {
  db: Db;
  llm: BattleLlm;
  battleId: number;
  /** The battle's round, whose spend counters each stored judgment adds to. */
  roundId: string;
  /** The round's budget, when it has one: every judge call reserves against it. */
  budget?: RoundBudget | null;
  judge: string;
  question: LlmMessage[];
  answerA: string;
  answerB: string;
  /** A multi-turn instruction: each candidate's whole conversation (its answers as the judge sees them). */
  conversationA?: LlmMessage[];
  conversationB?: LlmMessage[];
  reference: string | null;
  invalidRetries: number;
  swapRule: "soft" | "strict";
}

async function stored(db: Db, battleId: number, judge: string, order: Order): Promise<JudgmentRow | undefined> {
  const [row] = await db
    .select()
    .from(judgments)
    .where(and(eq(judgments.battleId, battleId), eq(judgments.judge, judge), eq(judgments.order, order)));
  return row;
}

/** Which reference answer the judge was shown (reference-guided prompts only); null when none. */
export function referenceHash(reference: string | null): string | null {
  return hasReference(reference) ? createHash("sha256").update(reference, "utf8").digest("hex") : null;
}

interface Parsed {
  verdict: string | null;
  score: number | null;
}

/** Calls the judge until the verdict parses (or the retry limit), then stores the judgment once. */
async function runGame(ctx: GameContext, order: Order, prompt: RenderedPrompt, parse: (text: string) => Parsed): Promise<JudgmentRow> {
  const existing = await stored(ctx.db, ctx.battleId, ctx.judge, order);
  if (existing) return existing;
  await withTab(ctx.budget, (tab) => callAndStore(ctx, order, prompt, parse, tab));
  const row = await stored(ctx.db, ctx.battleId, ctx.judge, order);
  if (!row) throw new Error("judgment vanished after insert");
  return row;
}

/** The judge's calls for one game (re-asked while the verdict does not parse) and the stored row. */
async function callAndStore(ctx: GameContext, order: Order, prompt: RenderedPrompt, parse: (text: string) => Parsed, tab: CallTab | undefined): Promise<void> {
  let text = "";
  let trace: string | null = null;
  let parsed: Parsed = { verdict: null, score: null };
  const totals = { prompt: 0, completion: 0, reasoning: 0, cost: 0, latency: 0 };
  let attempts = 0;
  for (let i = 0; i <= ctx.invalidRetries && parsed.verdict === null; i++) {
    attempts++;
    // A retry asks for a fresh sample: a new seed changes the request (and its cache key).
    const r = await ctx.llm.chat(ctx.judge, {
      messages: prompt.messages,
      jsonSchema: prompt.jsonSchema,
      params: i > 0 ? { seed: i } : undefined,
      purpose: "judge",
      guard: tab,
      owner: ctx.roundId,
    });
    if (!r.ok) throw new JobError(r.kind, `judge ${ctx.judge}: ${r.message}`, r.retryable);
    // The verdict comes from the judge's final answer only: verdict-like text in its trace is thinking.
    text = r.text;
    trace = r.trace ?? null;
    parsed = parse(r.text);
    if (!r.cached) {
      totals.prompt += r.usage.promptTokens;
      totals.completion += r.usage.completionTokens;
      totals.reasoning += r.usage.reasoningTokens ?? 0;
    }
    totals.cost += r.costUsd;
    totals.latency += r.latencyMs;
  }
  const spend = { promptTokens: totals.prompt, completionTokens: totals.completion, costUsd: totals.cost };
  const kind = parsed.verdict !== null ? "judgment" : "invalid-judgment";
  await storeOnce(
    ctx.db,
    judgments,
    {
      battleId: ctx.battleId,
      judge: ctx.judge,
      order,
      promptVersion: prompt.version,
      referenceHash: referenceHash(ctx.reference),
      rawText: text,
      trace,
      verdict: parsed.verdict,
      score: parsed.score,
      valid: parsed.verdict !== null,
      attempts,
      promptTokens: totals.prompt,
      completionTokens: totals.completion,
      reasoningTokens: totals.reasoning,
      costUsd: totals.cost,
      latencyMs: Math.round(totals.latency),
    },
    { roundId: ctx.roundId, kind, spend },
    tab,
  );
}

/** Both swapped games of a pairwise judge, combined into model A's outcome. */
export async function judgePairwise(ctx: GameContext, template: PairwiseTemplate): Promise<CombinedOutcome> {
  const parse = (order: "AB" | "BA") => (text: string): Parsed => {
    const label: PairwiseLabel | null = pairwiseVerdictOf(template, text);
    return { verdict: label, score: gameScore(label, order) };
  };
  const q = { question: ctx.question, reference: ctx.reference };
  const [ab, ba] = await allOrFirstError([
    runGame(ctx, "AB", template.render({ ...q, answerA: ctx.answerA, answerB: ctx.answerB, conversationA: ctx.conversationA, conversationB: ctx.conversationB }), parse("AB")),
    runGame(ctx, "BA", template.render({ ...q, answerA: ctx.answerB, answerB: ctx.answerA, conversationA: ctx.conversationB, conversationB: ctx.conversationA }), parse("BA")),
  ]);
  return combinePairwise(ab.verdict as PairwiseLabel | null, ba.verdict as PairwiseLabel | null, ctx.swapRule);
}

/** MT-bench style single grading of each answer (1-10), combined into model A's share. */
export async function judgeSingle(ctx: GameContext, template: SingleTemplate): Promise<CombinedOutcome> {
  const parse = (text: string): Parsed => {
    const rating = ratingOf(template, text);
    return { verdict: rating === null ? null : String(rating), score: rating };
  };
  const q = { question: ctx.question, reference: ctx.reference };
  const [a, b] = await allOrFirstError([
    runGame(ctx, "A", template.render({ ...q, answer: ctx.answerA, conversation: ctx.conversationA }), parse),
    runGame(ctx, "B", template.render({ ...q, answer: ctx.answerB, conversation: ctx.conversationB }), parse),
  ]);
  return combineSingle(a.score, b.score);
}

/** A reward model scores each answer; A's share is the logistic of the score difference (Bradley-Terry). */
export async function judgeReward(ctx: GameContext): Promise<CombinedOutcome> {
  const scoreOf = async (order: "A" | "B", answer: string): Promise<number> => {
    const existing = await stored(ctx.db, ctx.battleId, ctx.judge, order);
    if (existing?.score !== null && existing?.score !== undefined) return existing.score;
    // A multi-turn answer is scored as its whole conversation (the reward model reads the last assistant turn).
    const conversation = order === "A" ? ctx.conversationA : ctx.conversationB;
    const text = conversation ? conversation.map((m) => `${m.role}: ${m.content}`).join("\n") : `${ctx.question.map((m) => `${m.role}: ${m.content}`).join("\n")}\nassistant: ${answer}`;
    const r = await ctx.llm.score(ctx.judge, text);
    if (!r.ok) throw new JobError(r.kind, `reward model ${ctx.judge}: ${r.message}`, r.retryable);
    const row = { battleId: ctx.battleId, judge: ctx.judge, order, promptVersion: REWARD_PROMPT_VERSION, verdict: r.score.toFixed(4), score: r.score, valid: true, latencyMs: Math.round(r.latencyMs) };
    await storeOnce(ctx.db, judgments, row, { roundId: ctx.roundId, kind: "judgment", spend: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });
    return (await stored(ctx.db, ctx.battleId, ctx.judge, order))?.score ?? r.score;
  };
  const [sa, sb] = await Promise.all([scoreOf("A", ctx.answerA), scoreOf("B", ctx.answerB)]);
  const outcome = rewardShare(sa, sb);
  return { outcome, margin: Math.abs(outcome - 0.5) * 2, consistent: true, validGames: 2 };
}
