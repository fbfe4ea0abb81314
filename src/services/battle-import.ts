/**
 * Importing battle logs (Chatbot Arena JSONL fields). Lines stream in; each valid battle is stored as
 * a finished battle and counted in the aggregate cells in the same transaction. A battle whose `id`
 * was imported before is skipped (unique key), so re-importing a log changes nothing. Bad lines are
 * named with their line number and reason.
 */
import type { Db } from "../../db/client.js";
import { battles } from "../../db/schema/index.js";
import { addToCells } from "../../battles/cells.js";
import { type Battle, parseBattleLog } from "../../reports/battle-log.js";

const BATCH = 2000;

export interface ImportSummary {
  imported: number;
  skipped: number;
  rejected: { line: number; reason: string }[];
}

/** Rejected lines beyond this many are counted but not listed, to keep the answer small. */
export const MAX_REJECTED_LISTED = 1000;

async function storeBatch(db: Db, batch: Battle[]): Promise<number> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(battles)
      .values(
        batch.map((b) => ({
          modelA: b.modelA,
          modelB: b.modelB,
          outcome: b.outcome,
          margin: Math.abs(b.outcome - 0.5) * 2,
          status: "done",
          source: "import",
          externalId: b.id === undefined ? null : String(b.id),
          category: b.category ?? null,
          judge: b.judge ?? null,
          tstamp: b.tstamp ?? null,
          styleA: b.styleA ? { ...b.styleA } : null,
          styleB: b.styleB ? { ...b.styleB } : null,
        })),
      )
      .onConflictDoNothing()
      .returning({ modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome, category: battles.category });
    await addToCells(
      tx,
      inserted.map((r) => ({ roundId: null, category: r.category, modelA: r.modelA, modelB: r.modelB, outcome: r.outcome ?? 0.5 })),
    );
    return inserted.length;
  });
}

export async function importBattles(db: Db, input: string | AsyncIterable<string>): Promise<ImportSummary & { rejectedCount: number }> {
  const summary = { imported: 0, skipped: 0, rejected: [] as ImportSummary["rejected"], rejectedCount: 0 };
  let batch: Battle[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const n = await storeBatch(db, batch);
    summary.imported += n;
    summary.skipped += batch.length - n;
    batch = [];
  };
  for await (const parsed of parseBattleLog(input)) {
    if (!parsed.ok) {
      summary.rejectedCount++;
      if (summary.rejected.length < MAX_REJECTED_LISTED) summary.rejected.push({ line: parsed.line, reason: parsed.reason });
      continue;
    }
    batch.push(parsed.battle);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return summary;
}
