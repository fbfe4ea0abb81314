/**
 * Queries over judge_templates: versions by name, the latest one, whether a version is in use (a
 * round names it or a judgment was recorded under it), and row locks that order an edit against a
 * round being created on the same version. Each takes a database or a transaction.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { judgeTemplates, judgments, rounds } from "./schema/index.js";

type Tx = Pick<Db, "insert" | "update" | "select">;
export type JudgeTemplateRow = typeof judgeTemplates.$inferSelect;
export type NewJudgeTemplateRow = typeof judgeTemplates.$inferInsert;

/** Inserts a version; false when (name, version) exists already. */
export async function insertTemplateVersion(db: Tx, row: NewJudgeTemplateRow): Promise<boolean> {
  const out = await db.insert(judgeTemplates).values(row).onConflictDoNothing().returning({ name: judgeTemplates.name });
  return out.length > 0;
}

/**
 * One version (the latest when `version` is null), or null. `lock` takes a row lock in the caller's
 * transaction: "update" for an edit, "share" for a round that is about to use the version.
 */
export async function findTemplate(db: Pick<Db, "select">, name: string, version: number | null, lock?: "update" | "share"): Promise<JudgeTemplateRow | null> {
  const where = version === null ? eq(judgeTemplates.name, name) : and(eq(judgeTemplates.name, name), eq(judgeTemplates.version, version));
  const q = db.select().from(judgeTemplates).where(where).orderBy(desc(judgeTemplates.version)).limit(1).$dynamic();
  const [row] = lock ? await q.for(lock) : await q;
  return row ?? null;
}

/** Every version of every template, by name then newest version first. */
export async function listTemplateRows(db: Pick<Db, "select">, name?: string): Promise<JudgeTemplateRow[]> {
  const q = db.select().from(judgeTemplates).$dynamic();
  return (name === undefined ? q : q.where(eq(judgeTemplates.name, name))).orderBy(judgeTemplates.name, desc(judgeTemplates.version));
}

/** Replaces an unused version's text in place. */
export async function updateTemplateVersion(db: Tx, name: string, version: number, set: Pick<NewJudgeTemplateRow, "systemPrompt" | "userTemplate" | "output" | "description">): Promise<JudgeTemplateRow | null> {
  const [row] = await db
    .update(judgeTemplates)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(judgeTemplates.name, name), eq(judgeTemplates.version, version)))
    .returning();
  return row ?? null;
}

/** True when a round was created with this prompt version or a judgment was recorded under it. */
export async function templateVersionInUse(db: Pick<Db, "select">, promptVersion: string): Promise<boolean> {
  const [round] = await db
    .select({ id: rounds.id })
    .from(rounds)
    .where(sql`${rounds.options}->>'promptVersion' = ${promptVersion}`)
    .limit(1);
  if (round) return true;
  const [judged] = await db
    .select({ id: judgments.id })
    .from(judgments)
    .where(inArray(judgments.promptVersion, [promptVersion, `${promptVersion}+reference`]))
    .limit(1);
  return judged !== undefined;
}
