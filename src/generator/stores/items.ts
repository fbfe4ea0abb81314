/**
 * Generated items in the database: written by tasks (idempotent by run, task key and ordinal),
 * listed with their cleaning outcome, and updated by refinement rounds.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { genItems } from "../../../db/schema/index.js";

export type ItemRow = typeof genItems.$inferSelect;
/** One turn of an item's conversation (also the shape pipelines read back from task inputs). */
export const MessageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
export type Message = z.infer<typeof MessageSchema>;

export interface NewItem {
  kind: string;
  category: string;
  complexity: number | null;
  messages: Message[];
  metadata: Record<string, unknown>;
}

/** The user turns joined by blank lines: what cleaning compares. */
export function userText(messages: readonly { role: string; content: string }[]): string {
  return messages
    .filter((m) => m.role === "user")
    .map((m) => m.content)
    .join("\n\n");
}

export async function insertItems(db: Db, runId: string, taskKey: string, items: NewItem[]): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((it, ordinal) => ({ runId, taskKey, ordinal, ...it, text: userText(it.messages) }));
  await db.insert(genItems).values(rows).onConflictDoNothing();
}

/** Replaces an item's conversation (refinement); metadata is merged. */
export async function reviseItem(db: Db, id: number, messages: Message[], complexity: number | null, metadata: Record<string, unknown>): Promise<void> {
  await db
    .update(genItems)
    .set({ messages, text: userText(messages), complexity, metadata: sql`${genItems.metadata} || ${JSON.stringify(metadata)}::jsonb`, updatedAt: sql`now()` })
    .where(eq(genItems.id, id));
}

export async function getItem(db: Db, id: number): Promise<ItemRow | null> {
  const [row] = await db.select().from(genItems).where(eq(genItems.id, id));
  return row ?? null;
}

export async function itemsOfRun(db: Db, runId: string, statuses?: string[]): Promise<ItemRow[]> {
  const conds: SQL[] = [eq(genItems.runId, runId)];
  if (statuses) conds.push(inArray(genItems.status, statuses));
  return db.select().from(genItems).where(and(...conds)).orderBy(asc(genItems.id));
}

export interface ItemQuery {
  runId: string;
  status?: string;
  kind?: string;
  category?: string;
  limit: number;
  cursor?: number;
}

export async function listItems(db: Db, q: ItemQuery): Promise<{ items: ItemRow[]; nextCursor: string | null }> {
  const conds: (SQL | undefined)[] = [
    eq(genItems.runId, q.runId),
    q.status ? eq(genItems.status, q.status) : undefined,
    q.kind ? eq(genItems.kind, q.kind) : undefined,
    q.category ? eq(genItems.category, q.category) : undefined,
    q.cursor !== undefined ? gt(genItems.id, q.cursor) : undefined,
  ];
  const rows = await db.select().from(genItems).where(and(...conds)).orderBy(asc(genItems.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]?.id ?? "") : null };
}

/** Item counts of a run by status, kind and category. */
export async function itemCounts(db: Db, runId: string): Promise<{ byStatus: Record<string, number>; byKind: Record<string, number>; byCategory: Record<string, number>; total: number }> {
  const rows = await db
    .select({ status: genItems.status, kind: genItems.kind, category: genItems.category, n: sql<number>`count(*)::int` })
    .from(genItems)
    .where(eq(genItems.runId, runId))
    .groupBy(genItems.status, genItems.kind, genItems.category);
  const out = { byStatus: {} as Record<string, number>, byKind: {} as Record<string, number>, byCategory: {} as Record<string, number>, total: 0 };
  for (const r of rows) {
    out.byStatus[r.status] = (out.byStatus[r.status] ?? 0) + r.n;
    out.byKind[r.kind] = (out.byKind[r.kind] ?? 0) + r.n;
    out.byCategory[r.category] = (out.byCategory[r.category] ?? 0) + r.n;
    out.total += r.n;
  }
  return out;
}

export async function itemByKey(db: Db, runId: string, taskKey: string, ordinal = 0): Promise<ItemRow | null> {
  const [row] = await db
    .select()
    .from(genItems)
    .where(and(eq(genItems.runId, runId), eq(genItems.taskKey, taskKey), eq(genItems.ordinal, ordinal)));
  return row ?? null;
}
