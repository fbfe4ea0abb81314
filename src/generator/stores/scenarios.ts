/** Scenarios in the database: read by simulation or by id, listed for the API. */
import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { genScenarios } from "../../../db/schema/index.js";

export type ScenarioRow = typeof genScenarios.$inferSelect;

/** A simulation's scenarios, or the given ids, in id order. */
export async function scenariosFor(db: Db, simulationId: string | undefined, ids: number[] | undefined): Promise<ScenarioRow[]> {
  const cond = simulationId ? eq(genScenarios.simulationId, simulationId) : inArray(genScenarios.id, ids && ids.length > 0 ? ids : [-1]);
  return db.select().from(genScenarios).where(cond).orderBy(asc(genScenarios.id));
}

export async function listScenarios(db: Db, q: { simulationId?: string; limit: number; cursor?: number }): Promise<{ items: ScenarioRow[]; nextCursor: string | null }> {
  const conds: (SQL | undefined)[] = [q.simulationId ? eq(genScenarios.simulationId, q.simulationId) : undefined, q.cursor !== undefined ? gt(genScenarios.id, q.cursor) : undefined];
  const rows = await db.select().from(genScenarios).where(and(...conds)).orderBy(asc(genScenarios.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]?.id ?? "") : null };
}
