/**
 * Candidate answers: each candidate answers each instruction once per round. A stored answer is
 * never requested again (crash recovery), and concurrent writers converge on the first stored row,
 * whose spend is added to the round's counters in the same transaction (battles/spend.ts), where the
 * call's budget reservation is settled too (battles/budget.ts). Within one worker, battles that need
 * the same answer at the same time share one call (`answers`, lib/single-flight.ts), so a provider is
 * paid once per answer rather than once per battle that asked for it. A reasoning model's trace is
 * stored apart from its final answer; an answer whose trace never closed is stored too (it was paid
 * for, and is not asked again), and `requireAnswer` then fails the battle saying why.
 *
 * A multi-turn instruction (`turns`) is answered turn by turn, each request carrying the candidate's
 * own earlier final answers (battles/conversation.ts). Each turn is a call of its own: reserved,
 * stored in `response_turns` with its spend added to the round and its reservation settled in one
 * transaction, so a battle retried between turns asks only for the turns still missing. When the last
 * turn is in, the `responses` row is written (counted as one answer, its spend already counted per turn):
 * `text`/`trace` are the last turn's, the spend columns the sums, `turns` every turn's answer.
 * A turn whose trace never closed ends the conversation there (there is no answer to carry on with).
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { responses, responseTurns } from "../db/schema/index.js";
import { turnRequest } from "./conversation.js";
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
  instruction: { id: number; messages: LlmMessage[]; turns?: string[] | null },
  model: string,
  budget?: RoundBudget | null,
  answers?: SingleFlight<ResponseRow>,
): Promise<ResponseRow> {
  const existing = await findResponse(db, roundId, instruction.id, model);
  if (existing) return existing;
  const turns = instruction.turns ?? null;
  const fetch = () =>
    turns && turns.length > 1 ? answerTurnByTurn(db, llm, roundId, { ...instruction, turns }, model, budget) : requestAndStore(db, llm, roundId, instruction, model, budget);
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

type TurnRow = typeof responseTurns.$inferSelect;

async function storedTurns(db: Db, roundId: string, instructionId: number, model: string): Promise<TurnRow[]> {
  const rows = await db
    .select()
    .from(responseTurns)
    .where(and(eq(responseTurns.roundId, roundId), eq(responseTurns.instructionId, instructionId), eq(responseTurns.model, model)));
  return rows.sort((a, b) => a.turn - b.turn);
}

async function answerTurnByTurn(
  db: Db,
  llm: BattleLlm,
  roundId: string,
  instruction: { id: number; messages: LlmMessage[]; turns: string[] },
  model: string,
  budget: RoundBudget | null | undefined,
): Promise<ResponseRow> {
  const done = await storedTurns(db, roundId, instruction.id, model);
  const rows: TurnRow[] = [];
  for (let k = 0; k < instruction.turns.length; k++) {
    const turn = k + 1;
    let row = done.find((d) => d.turn === turn);
    if (!row) {
      const messages = turnRequest(instruction.messages, instruction.turns, rows.map((r) => r.text), k);
      await withTab(budget, async (tab) => {
        const r = await llm.chat(model, { messages, purpose: "candidate", guard: tab });
        if (!r.ok) throw new JobError(r.kind, `candidate ${model} (turn ${turn}): ${r.message}`, r.retryable);
        const spend = { promptTokens: r.cached ? 0 : r.usage.promptTokens, completionTokens: r.cached ? 0 : r.usage.completionTokens, costUsd: r.costUsd };
        const reasoning = { trace: r.trace ?? null, traceStatus: r.traceStatus ?? "none", reasoningTokens: r.cached ? 0 : (r.usage.reasoningTokens ?? 0) };
        const values = { roundId, instructionId: instruction.id, model, turn, text: r.text, ...reasoning, ...spend, latencyMs: Math.round(r.latencyMs), cached: r.cached };
        await storeOnce(db, responseTurns, values, { roundId, kind: "answer-turn", spend }, tab);
      });
      row = (await storedTurns(db, roundId, instruction.id, model)).find((d) => d.turn === turn);
      if (!row) throw new Error(`turn ${turn} of ${model} vanished after insert`);
    }
    rows.push(row);
    if (row.traceStatus === "unclosed") break;
  }
  const last = rows[rows.length - 1];
  if (!last) throw new Error("a multi-turn instruction has no turns");
  const sum = (f: (r: TurnRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const row = {
    roundId,
    instructionId: instruction.id,
    model,
    text: last.text,
    trace: last.trace,
    traceStatus: last.traceStatus,
    promptTokens: sum((r) => r.promptTokens),
    completionTokens: sum((r) => r.completionTokens),
    reasoningTokens: sum((r) => r.reasoningTokens),
    costUsd: sum((r) => r.costUsd),
    latencyMs: sum((r) => r.latencyMs),
    cached: rows.every((r) => r.cached),
    turns: rows.map((r) => ({ text: r.text, trace: r.trace, traceStatus: r.traceStatus })),
  };
  // Each turn's spend was counted when the turn was stored; the response row counts one answer.
  await storeOnce(db, responses, row, { roundId, kind: "answer", spend: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });
  const stored = await findResponse(db, roundId, instruction.id, model);
  if (!stored) throw new Error(`response for ${model} vanished after insert`);
  return stored;
}
