/**
 * Candidate answers: each candidate answers each instruction once per round. A stored answer is
 * never requested again (crash recovery), and concurrent writers converge on the first stored row,
 * whose spend is added to the round's counters in the same transaction (battles/spend.ts), where the
 * call's budget reservation is settled too (battles/budget.ts). Within one worker, battles that need
 * the same answer at the same time share one call (`answers`, lib/single-flight.ts), so a provider is
 * paid once per answer rather than once per battle that asked for it. A reasoning model's trace is
 * stored apart from its final answer; an answer whose trace never closed is stored too (it was paid
 * for, and is not asked again), and `requireAnswer` then fails the battle saying why.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { responses } from "../db/schema/index.js";
import { JobError } from "../lib/job-error.js";
import type { SingleFlight } from "../lib/single-flight.js";
import type { BattleLlm, LlmMessage } from "./llm.js";
import { type RoundBudget, withTab } from "./budget.js";
import { storeOnce } from "./spend.js";

export type ResponseRow = typeof responses.$inferSelect;

async function findResponse(db: Db, roundId: string, instructionId: number, model: string): Promise<ResponseRow | undefined> {
  const [row] = await db
    .select()
    .from(responses)
    .where(and(eq(responses.roundId, roundId), eq(responses.instructionId, instructionId), eq(responses.model, model)));
  return row;
}

export async function ensureResponse(
  db: Db,
  llm: BattleLlm,
  roundId: string,
  instruction: { id: number; messages: LlmMessage[] },
  model: string,
  budget?: RoundBudget | null,
  answers?: SingleFlight<ResponseRow>,
): Promise<ResponseRow> {
  const existing = await findResponse(db, roundId, instruction.id, model);
  if (existing) return existing;
  const fetch = () => requestAndStore(db, llm, roundId, instruction, model, budget);
  return answers ? answers.run(`${roundId}\u0000${instruction.id}\u0000${model}`, fetch) : fetch();
}

/** Throws unless a battle can be judged on this answer: an unclosed trace (output cut at max_tokens while thinking) cannot. */
export function requireAnswer(row: ResponseRow): void {
  if (row.traceStatus === "unclosed") {
    throw new JobError(
      "unclosed_trace",
      `candidate ${row.model}: its reasoning trace never closed (output cut at max_tokens after ${row.reasoningTokens} reasoning tokens), so there is no final answer to judge; raise the model's maxTokens`,
      false,
    );
  }
}

async function requestAndStore(
  db: Db,
  llm: BattleLlm,
  roundId: string,
  instruction: { id: number; messages: LlmMessage[] },
  model: string,
  budget: RoundBudget | null | undefined,
): Promise<ResponseRow> {
  await withTab(budget, async (tab) => {
    const r = await llm.chat(model, { messages: instruction.messages, purpose: "candidate", guard: tab, owner: roundId });
    if (!r.ok) throw new JobError(r.kind, `candidate ${model}: ${r.message}`, r.retryable);
    const spend = { promptTokens: r.cached ? 0 : r.usage.promptTokens, completionTokens: r.cached ? 0 : r.usage.completionTokens, costUsd: r.costUsd };
    // The trace is stored apart from the answer, with its tokens (a part of completionTokens).
    const reasoning = { trace: r.trace ?? null, traceStatus: r.traceStatus ?? "none", reasoningTokens: r.cached ? 0 : (r.usage.reasoningTokens ?? 0) };
    const row = { roundId, instructionId: instruction.id, model, text: r.text, ...reasoning, ...spend, latencyMs: Math.round(r.latencyMs), cached: r.cached };
    await storeOnce(db, responses, row, { roundId, kind: "answer", spend }, tab);
  });
  const stored = await findResponse(db, roundId, instruction.id, model);
  if (!stored) throw new Error(`response for ${model} vanished after insert`);
  return stored;
}
