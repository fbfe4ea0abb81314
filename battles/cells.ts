/** Increments the aggregate outcome cells for newly recorded battles (see db/schema battle_cells). */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battleCells } from "../db/schema/index.js";

export interface CellDelta {
  roundId: string | null;
  category: string | null;
  modelA: string;
  modelB: string;
  outcome: number;
}

/** Adds one battle per delta (grouped first, so a batch is one statement). */
export async function addToCells(db: Db, deltas: readonly CellDelta[]): Promise<void> {
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
  if (to) await addToCells(db, [to]);
}
