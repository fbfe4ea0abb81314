/**
 * Increments the aggregate outcome cells for newly recorded battles (see db/schema battle_cells), and
 * marks boards changed (db/schema board_versions) in the same transaction, so a cached board is never
 * served after what it was computed from changed.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battleCells, boardVersions } from "../db/schema/index.js";

/** Counter rows per round: concurrent writers of one round spread over them (round-robin). */
export const BOARD_VERSION_STRIPES = 16;
let nextStripe = 0;

/**
 * Adds one change to the board version of each round named (null: imports, round ''). Call it in the
 * transaction that changes anything a board reads, as the last write there, so the counter row is
 * held only until commit.
 */
export async function markBoardsChanged(db: Db, roundIds: readonly (string | null)[]): Promise<void> {
  const ids = [...new Set(roundIds.map((r) => r ?? ""))].sort();
  if (ids.length === 0) return;
  nextStripe = (nextStripe + 1) % BOARD_VERSION_STRIPES;
  await db
    .insert(boardVersions)
    .values(ids.map((roundId) => ({ roundId, stripe: nextStripe, changes: 1 })))
    .onConflictDoUpdate({ target: [boardVersions.roundId, boardVersions.stripe], set: { changes: sql`${boardVersions.changes} + 1` } });
}

export interface CellDelta {
  roundId: string | null;
  category: string | null;
  modelA: string;
  modelB: string;
  outcome: number;
}

/** Adds one battle per delta (grouped first, so a batch is one statement) and marks the boards changed. */
export async function addToCells(db: Db, deltas: readonly CellDelta[]): Promise<void> {
  await upsertCells(db, deltas);
  await markBoardsChanged(db, deltas.map((d) => d.roundId));
}

async function upsertCells(db: Db, deltas: readonly CellDelta[]): Promise<void> {
  const grouped = new Map<string, { roundId: string; category: string; modelA: string; modelB: string; outcome: number; count: number }>();
  for (const d of deltas) {
    const row = { roundId: d.roundId ?? "", category: d.category ?? "", modelA: d.modelA, modelB: d.modelB, outcome: d.outcome };
    const key = JSON.stringify(row);
    const g = grouped.get(key);
    if (g) g.count++;
    else grouped.set(key, { ...row, count: 1 });
  }
  const rows = [...grouped.values()];
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(battleCells)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [battleCells.roundId, battleCells.category, battleCells.modelA, battleCells.modelB, battleCells.outcome],
        set: { count: sql`${battleCells.count} + excluded.count` },
      });
  }
}

/**
 * Moves one battle from its old outcome's cell to its new one (a human override changed it): the old
 * cell loses one battle (and goes when it reaches zero), the new one gains one. Run it in the
 * transaction that changed the battle's outcome, so boards never see both or neither.
 */
export async function moveInCells(db: Db, from: CellDelta | null, to: CellDelta | null): Promise<void> {
  if (from) {
    const key = sql`${battleCells.roundId} = ${from.roundId ?? ""} and ${battleCells.category} = ${from.category ?? ""}
      and ${battleCells.modelA} = ${from.modelA} and ${battleCells.modelB} = ${from.modelB} and ${battleCells.outcome} = ${from.outcome}`;
    await db.update(battleCells).set({ count: sql`${battleCells.count} - 1` }).where(key);
    await db.delete(battleCells).where(sql`${key} and ${battleCells.count} <= 0`);
  }
  if (to) await upsertCells(db, [to]);
  await markBoardsChanged(db, [from, to].flatMap((d) => (d ? [d.roundId] : [])));
}
