/**
 * Human review of a round's battles (issue 17): the blind queue a reviewer works through, one
 * verdict at a time, and human labels in and out as NDJSON. A reviewer is the API key (its id,
 * never the key; "local" in local mode); an imported label names its reviewer itself. The blind
 * order and the queue order are per reviewer (battles/review-plan.ts), so nothing about what a
 * reviewer saw needs storing: the POST recomputes which real model the shown "A" was.
 */
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { type LabelExport, NOTE_MAX_CHARS, parseLabelLine } from "../../battles/review-lines.js";
import { blindSwapped, orderQueue, reviewPriority, type ReviewPriority, unblind } from "../../battles/review-plan.js";
import { type BattleRow, recordVerdict, type Reviewer, reviewMaterial, roundBattle, roundReviewOptions, unreviewedBattles, verdictPage } from "../../battles/review-store.js";
import { findRound } from "../../battles/round-store.js";
import { unsafeText } from "../../lib/safe-value.js";
import { AppError, conflict, notFound } from "../errors.js";

export const REVIEW_CHOICES = ["A", "B", "tie", "both-bad"] as const;

export const ReviewSubmitSchema = z.strictObject({
  id: z.string().regex(/^[1-9][0-9]{0,15}$/, "the id of a queue item (a battle id)"),
  choice: z.enum(REVIEW_CHOICES),
  note: z.string().max(NOTE_MAX_CHARS).optional(),
});
export type ReviewSubmit = z.infer<typeof ReviewSubmitSchema>;

/** The reviewer behind a request: its key's id, or "local" when the server runs without keys. */
export function reviewerOf(principal: { keyId: string } | null): Reviewer {
  return { kind: "key", id: principal?.keyId ?? "local" };
}

export interface ReviewItem {
  id: string;
  instruction: { messages: { role: string; content: string }[]; category: string };
  /** The two answers in this reviewer's blind order; which model wrote which is not said. */
  answers: { A: string; B: string };
  /** A multi-turn battle: the user turns and each side's answers to them, in the same blind order. */
  conversation?: { turns: string[]; A: string[]; B: string[] };
}

async function roundOptions(db: Db, roundId: string) {
  const options = await roundReviewOptions(db, roundId);
  if (!options) throw notFound("round", roundId);
  return options;
}

/** The next `limit` battles for this reviewer, models hidden, with how many wait in each tier. */
export async function reviewQueue(db: Db, roundId: string, reviewer: Reviewer, limit: number) {
  const round = await findRound(db, roundId);
  if (!round) throw notFound("round", roundId);
  const open = await unreviewedBattles(db, roundId, reviewer);
  const candidates = open.map((b) => ({ battleId: b.battleId, priority: reviewPriority(b.games, round.options.swapRule) }));
  const queued: Record<ReviewPriority, number> = { "jury-disagreement": 0, "swap-inconsistency": 0, sample: 0 };
  for (const c of candidates) queued[c.priority] += 1;
  const next = orderQueue(candidates, roundId, reviewer.id).slice(0, limit);
  const material = await reviewMaterial(db, roundId, next.map((c) => c.battleId));
  const items: ReviewItem[] = material.map((m) => {
    const swapped = blindSwapped(reviewer.id, m.battleId);
    return {
      id: String(m.battleId),
      instruction: { messages: m.messages, category: m.category },
      answers: swapped ? { A: m.answerB, B: m.answerA } : { A: m.answerA, B: m.answerB },
      ...(m.turns && m.turnsA && m.turnsB ? { conversation: { turns: m.turns, ...(swapped ? { A: m.turnsB, B: m.turnsA } : { A: m.turnsA, B: m.turnsB }) } } : {}),
    };
  });
  return { roundId, remaining: candidates.length, queued, items };
}

/** The battle if the round holds it and it has been judged; else the 404 or 409 that says why not. */
async function reviewableBattle(db: Db, roundId: string, battleId: number): Promise<BattleRow> {
  const b = await roundBattle(db, roundId, battleId);
  if (!b) throw new AppError("not_found", `battle '${battleId}' is not a battle of round '${roundId}'`);
  if (b.status !== "done") throw conflict(`battle ${battleId} is ${b.status}: only judged (done) battles can be reviewed`, { status: b.status });
  return b;
}

/** Records one blind choice as a verdict on the real models; `created` is false when it replaced this reviewer's earlier one. */
export async function submitReview(db: Db, roundId: string, reviewer: Reviewer, body: ReviewSubmit) {
  const { humanOverride } = await roundOptions(db, roundId);
  const battleId = Number(body.id);
  await reviewableBattle(db, roundId, battleId);
  const note = body.note ?? null;
  const problem = note === null ? null : unsafeText(note);
  if (problem) throw new AppError("validation_failed", `note: ${problem}`, { field: "note" });
  const verdict = unblind(body.choice, blindSwapped(reviewer.id, battleId));
  const recorded = await recordVerdict(db, { roundId, battleId, reviewer, verdict, note }, humanOverride);
  return { id: body.id, created: recorded.created, humanOverride, labelSource: recorded.labelSource };
}

export interface LabelImportSummary {
  imported: number;
  updated: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
}

/** Rejected lines beyond this many are counted but not listed. */
const MAX_REJECTED_LISTED = 1000;

async function importOne(db: Db, roundId: string, humanOverride: boolean, text: string): Promise<{ created: boolean } | { reason: string }> {
  const parsed = parseLabelLine(text);
  if (!parsed.ok) return { reason: parsed.reason };
  const l = parsed.label;
  if (l.roundId !== undefined && l.roundId !== roundId) return { reason: `roundId: the line is for round '${l.roundId}', not this one` };
  const b = await roundBattle(db, roundId, l.battleId);
  if (!b) return { reason: `battleId: ${l.battleId} is not a battle of this round` };
  if (b.status !== "done") return { reason: `battleId: battle ${l.battleId} is ${b.status}, not judged yet` };
  if ((l.modelA !== undefined && l.modelA !== b.modelA) || (l.modelB !== undefined && l.modelB !== b.modelB)) {
    return { reason: `modelA/modelB: battle ${l.battleId} is ${b.modelA} vs ${b.modelB}` };
  }
  const r = await recordVerdict(db, { roundId, battleId: l.battleId, reviewer: { kind: l.reviewerKind, id: l.reviewer }, verdict: l.verdict, note: l.note }, humanOverride);
  return { created: r.created };
}

/**
 * Imports human labels, one per line, each in its own transaction (a label is small and a bad
 * line must not undo the good ones). Lines are given as decoded text, null for invalid UTF-8.
 */
export async function importLabels(db: Db, roundId: string, lines: AsyncIterable<string | null> | Iterable<string | null>): Promise<LabelImportSummary> {
  const { humanOverride } = await roundOptions(db, roundId);
  const out: LabelImportSummary = { imported: 0, updated: 0, rejected: [], rejectedCount: 0 };
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    let result: { created: boolean } | { reason: string };
    if (raw === null) result = { reason: "line: not valid UTF-8" };
    else {
      let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
      if (text.trim() === "") continue;
      result = await importOne(db, roundId, humanOverride, text);
    }
    if ("reason" in result) {
      out.rejectedCount += 1;
      if (out.rejected.length < MAX_REJECTED_LISTED) out.rejected.push({ line, reason: result.reason });
    } else if (result.created) out.imported += 1;
    else out.updated += 1;
  }
  return out;
}

const EXPORT_PAGE = 1000;

/** The round's human labels as export lines, page by page (constant memory); a 404 before any line when the round does not exist. */
export async function exportLabels(db: Db, roundId: string): Promise<AsyncGenerator<LabelExport>> {
  await roundOptions(db, roundId);
  return labelLines(db, roundId);
}

async function* labelLines(db: Db, roundId: string): AsyncGenerator<LabelExport> {
  let after = 0;
  for (;;) {
    const page = await verdictPage(db, roundId, after, EXPORT_PAGE);
    for (const v of page) {
      yield {
        roundId,
        battleId: v.battleId,
        reviewerKind: v.reviewerKind,
        reviewer: v.reviewer,
        verdict: v.verdict,
        note: v.note,
        modelA: v.modelA,
        modelB: v.modelB,
        createdAt: v.createdAt.toISOString(),
        updatedAt: v.updatedAt.toISOString(),
      };
    }
    const last = page[page.length - 1];
    if (page.length < EXPORT_PAGE || !last) return;
    after = last.id;
  }
}
