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
