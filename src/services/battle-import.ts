/**
 * Importing battle logs (Chatbot Arena JSONL fields). Lines stream in; each valid battle is stored as
 * a finished battle and counted in the aggregate cells in the same transaction. A battle whose `id`
 * was imported before is skipped (unique key), so re-importing a log changes nothing. Bad lines are
 * named with their line number and reason.
 *
 * Batches of BATCH lines each commit in one transaction (battles and cells together), so a process
 * killed mid-import leaves whole batches only and a rerun of the file imports exactly the rest. Parsing
 * already refuses what the database would; should the database still refuse a batch, that batch is
 * retried line by line so only the offending line is rejected.
 */
import type { Db } from "../../db/client.js";
import { battles } from "../../db/schema/index.js";
import { addToCells } from "../../battles/cells.js";
import { rowRefusal } from "../../db/refusal.js";
import { type Battle, parseBattleLines, parseBattleLog } from "../../reports/battle-log.js";

/** Lines per transaction. */
export const BATCH = 2000;

/** A parsed battle and the line it came from. */
export interface NumberedBattle {
  line: number;
  battle: Battle;
}

export interface ImportSummary {
  imported: number;
  skipped: number;
  rejected: { line: number; reason: string }[];
}

/** Rejected lines beyond this many are counted but not listed, to keep the answer small. */
export const MAX_REJECTED_LISTED = 1000;

async function storeBatch(db: Db, batch: readonly Battle[]): Promise<number> {
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

/**
 * Stores one batch in one transaction; if the database refuses its values, stores it line by line
 * instead (one transaction per line, so a rerun still skips by id) and returns the refused lines.
 * Other errors (connection lost) propagate.
 */
export async function storeBattles(
  db: Db,
  batch: readonly NumberedBattle[],
): Promise<{ imported: number; skipped: number; refused: ImportSummary["rejected"] }> {
  try {
    const n = await storeBatch(db, batch.map((b) => b.battle));
    return { imported: n, skipped: batch.length - n, refused: [] };
  } catch (err) {
    if (rowRefusal(err) === null) throw err;
  }
  const out = { imported: 0, skipped: 0, refused: [] as ImportSummary["rejected"] };
  for (const b of batch) {
    try {
      const n = await storeBatch(db, [b.battle]);
      out.imported += n;
      out.skipped += 1 - n;
    } catch (err) {
      const reason = rowRefusal(err);
      if (reason === null) throw err;
      out.refused.push({ line: b.line, reason });
    }
  }
  return out;
}

/** Imports a log given as one string or as lines (null = a line that was not valid UTF-8). */
export async function importBattles(db: Db, input: string | AsyncIterable<string | null>): Promise<ImportSummary & { rejectedCount: number }> {
  const summary = { imported: 0, skipped: 0, rejected: [] as ImportSummary["rejected"], rejectedCount: 0 };
  const reject = (r: ImportSummary["rejected"][number]) => {
    summary.rejectedCount++;
    if (summary.rejected.length < MAX_REJECTED_LISTED) summary.rejected.push(r);
  };
  let batch: NumberedBattle[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const stored = await storeBattles(db, batch);
    summary.imported += stored.imported;
    summary.skipped += stored.skipped;
    stored.refused.forEach(reject);
    batch = [];
  };
  const parsedLines = typeof input === "string" ? parseBattleLog(input) : parseBattleLines(input);
  for await (const parsed of parsedLines) {
    if (!parsed.ok) {
      reject({ line: parsed.line, reason: parsed.reason });
      continue;
    }
    batch.push({ line: parsed.line, battle: parsed.battle });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  // Lines the database refused are found at flush time, after later parse rejections.
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}
