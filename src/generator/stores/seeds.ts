/**
 * Seed documents for AgentInstruct: raw texts imported into named sets (exact duplicates within a set
 * collide on their normalised-content hash), listed, and drawn by set or id.
 */
import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { dbJson } from "../../../lib/safe-value.js";
import type { Db } from "../../../db/client.js";
import { genSeeds } from "../../../db/schema/index.js";
import { contentHash } from "../../../lib/content-hash.js";

export type SeedRow = typeof genSeeds.$inferSelect;

export const SeedImportSchema = dbJson(z.strictObject({
  text: z.string().trim().min(20, "must be at least 20 characters").max(100_000),
  title: z.string().trim().min(1).max(300).optional(),
  source: z.string().trim().min(1).max(300).optional(),
}));

export async function insertSeeds(db: Db, set: string, items: z.infer<typeof SeedImportSchema>[]): Promise<{ inserted: number; duplicates: number }> {
  let inserted = 0;
  for (let i = 0; i < items.length; i += 500) {
    const rows = items.slice(i, i + 500).map((s) => ({ set, text: s.text, title: s.title ?? null, source: s.source ?? null, contentHash: contentHash(s.text) }));
    inserted += (await db.insert(genSeeds).values(rows).onConflictDoNothing().returning({ id: genSeeds.id })).length;
  }
  return { inserted, duplicates: items.length - inserted };
}

export async function listSeeds(db: Db, q: { set?: string; limit: number; cursor?: number }): Promise<{ items: SeedRow[]; nextCursor: string | null }> {
  const conds: (SQL | undefined)[] = [q.set ? eq(genSeeds.set, q.set) : undefined, q.cursor !== undefined ? gt(genSeeds.id, q.cursor) : undefined];
  const rows = await db.select().from(genSeeds).where(and(...conds)).orderBy(asc(genSeeds.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]?.id ?? "") : null };
}

/** Seeds by id, or the first `limit` of a set, in id order. */
export async function seedsFor(db: Db, q: { set: string; ids?: number[]; limit?: number }): Promise<SeedRow[]> {
  const cond = q.ids ? inArray(genSeeds.id, q.ids.length > 0 ? q.ids : [-1]) : eq(genSeeds.set, q.set);
  const base = db.select().from(genSeeds).where(cond).orderBy(asc(genSeeds.id)).$dynamic();
  return q.limit ? base.limit(q.limit) : base;
}
