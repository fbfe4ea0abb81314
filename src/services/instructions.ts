/**
 * The instruction pool: imports from JSON or NDJSON, each item validated on its own (a bad item is
 * rejected with its index and reason, the rest go in), exact duplicates dropped by content hash and
 * by (source, externalId). Each item's schema refuses what the database would (NUL, lone surrogates,
 * non-finite JSON numbers); rows go in batches of INSERT_BATCH, one statement each (all or nothing),
 * and a batch the database still refuses is retried row by row so only the offending item is rejected.
 */
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { rowRefusal } from "../../db/refusal.js";
import { dbJson } from "../../lib/safe-value.js";
import { instructions } from "../../db/schema/index.js";
import { contentHash } from "../../lib/content-hash.js";

/** Most user turns a multi-turn instruction may have. */
export const MAX_TURNS = 32;

const Message = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().min(1, "must not be empty").max(200_000),
});

// One check of the whole item (lib/safe-value.ts) names the first field the database would refuse.
export const InstructionItemSchema = dbJson(z
  .strictObject({
    text: z.string().trim().min(1, "must not be empty").max(200_000).optional(),
    messages: z.array(Message).min(1).max(64).optional(),
    /** A multi-turn instruction's user turns (MT-bench's `turns`), answered one after another. */
    turns: z.array(z.string().trim().min(1, "must not be empty").max(200_000), { error: "must be an array of strings (the user turns)" }).min(2, "give at least two user turns (one turn is `text`)").max(MAX_TURNS, `at most ${MAX_TURNS} turns`).optional(),
    category: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, "letters, digits, space, _ . - (max 64)").optional(),
    complexity: z.number().int().min(1).max(5).optional(),
    source: z.string().min(1).max(128).optional(),
    externalId: z.union([z.string().min(1).max(256), z.number()]).optional(),
    reference: z.string().max(200_000).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.turns !== undefined) {
      if (v.text !== undefined) ctx.addIssue({ code: "custom", path: ["text"], message: "give text or turns, not both (turns[0] is the first user turn)" });
      else if (v.messages?.some((m) => m.role !== "system")) {
        ctx.addIssue({ code: "custom", path: ["messages"], message: "with turns, messages may hold only system messages (the user turns are in turns)" });
      }
    } else if ((v.text === undefined) === (v.messages === undefined)) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "give exactly one of text or messages" });
    } else if (v.messages && v.messages[v.messages.length - 1]?.role !== "user") {
      ctx.addIssue({ code: "custom", path: ["messages"], message: "the last message must be from the user" });
    }
  }));

export type InstructionItem = z.infer<typeof InstructionItemSchema>;
export type InstructionRow = typeof instructions.$inferSelect;

export interface ImportResult {
  inserted: number;
  duplicates: number;
  rejected: { index: number; reason: string }[];
  ids: number[];
}

function reasonOf(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const path = i.path.map(String).join(".");
      const keys = i.code === "unrecognized_keys" ? ((i as { keys?: string[] }).keys ?? []).join(", ") : "";
      return i.code === "unrecognized_keys" ? `${keys}: unknown field` : `${path || "item"}: ${i.message}`;
    })
    .join("; ");
}

/** Hash of a conversation, normalised per turn, so re-imports and near-identical spacing collide. */
export function conversationHash(messages: { role: string; content: string }[]): string {
  return contentHash(messages.map((m) => `${m.role}\u0001${m.content}`).join("\u0002"));
}

/**
 * Hash of a multi-turn instruction: its prefix and every user turn, marked so it never collides with a
 * single-turn conversation of the same messages.
 */
export function turnsHash(prefix: { role: string; content: string }[], turns: readonly string[]): string {
  return contentHash(`${prefix.map((m) => `${m.role}\u0001${m.content}`).join("\u0002")}\u0003turns\u0003${turns.join("\u0002")}`);
}

/** Rows per INSERT statement. */
export const INSERT_BATCH = 500;

type InsertRow = typeof instructions.$inferInsert;

/**
 * Inserts one batch as one statement; when the database refuses its values, inserts row by row and
 * returns the refused rows' indexes with a readable reason. Other errors (connection lost) propagate.
 */
export async function storeInstructionRows(
  db: Db,
  batch: readonly { index: number; row: InsertRow }[],
): Promise<{ ids: number[]; refused: ImportResult["rejected"] }> {
  const insert = async (rows: InsertRow[]) =>
    (await db.insert(instructions).values(rows).onConflictDoNothing().returning({ id: instructions.id })).map((g) => g.id);
  try {
    return { ids: await insert(batch.map((b) => b.row)), refused: [] };
  } catch (err) {
    if (rowRefusal(err) === null) throw err;
  }
  const out = { ids: [] as number[], refused: [] as ImportResult["rejected"] };
  for (const b of batch) {
    try {
      out.ids.push(...(await insert([b.row])));
    } catch (err) {
      const reason = rowRefusal(err);
      if (reason === null) throw err;
      out.refused.push({ index: b.index, reason });
    }
  }
  return out;
}

function toRow(v: InstructionItem, defaults: { source?: string }): InsertRow {
  const turns = v.turns ?? null;
  // A multi-turn instruction keeps its prefix and first user turn in `messages`, as a single-turn one.
  const messages = turns ? [...(v.messages ?? []), { role: "user" as const, content: turns[0] ?? "" }] : (v.messages ?? [{ role: "user" as const, content: v.text ?? "" }]);
  return {
    contentHash: turns ? turnsHash(v.messages ?? [], turns) : conversationHash(messages),
    messages,
    turns,
    text: messages.find((m) => m.role === "user")?.content ?? "",
    category: v.category ?? "general",
    complexity: v.complexity ?? null,
    source: v.source ?? defaults.source ?? "user",
    externalId: v.externalId === undefined ? null : String(v.externalId),
    reference: v.reference ?? null,
    metadata: v.metadata ?? {},
  };
}

export async function importInstructions(db: Db, raw: unknown[], defaults: { source?: string } = {}): Promise<ImportResult> {
  const rejected: ImportResult["rejected"] = [];
  const rows: { index: number; row: InsertRow }[] = [];
  raw.forEach((item, index) => {
    const parsed = InstructionItemSchema.safeParse(item);
    if (!parsed.success) {
      rejected.push({ index, reason: reasonOf(parsed.error) });
      return;
    }
    rows.push({ index, row: toRow(parsed.data, defaults) });
  });
  const ids: number[] = [];
  let refused = 0;
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const stored = await storeInstructionRows(db, rows.slice(i, i + INSERT_BATCH));
    ids.push(...stored.ids);
    rejected.push(...stored.refused);
    refused += stored.refused.length;
  }
  rejected.sort((a, b) => a.index - b.index);
  return { inserted: ids.length, duplicates: rows.length - refused - ids.length, rejected, ids };
}

/** Splits an NDJSON body into parsed values; a line that is not JSON becomes a rejected entry. */
export function parseNdjson(text: string): { items: unknown[]; lineOf: number[]; bad: { index: number; reason: string }[] } {
  return parseNdjsonLines(text.split("\n"));
}

/** As `parseNdjson`, from lines; a null line is one whose bytes were not valid UTF-8. */
export function parseNdjsonLines(lines: readonly (string | null)[]): { items: unknown[]; lineOf: number[]; bad: { index: number; reason: string }[] } {
  const items: unknown[] = [];
  const lineOf: number[] = [];
  const bad: { index: number; reason: string }[] = [];
  lines.forEach((raw, i) => {
    if (raw === null) {
      bad.push({ index: i, reason: "invalid UTF-8" });
      return;
    }
    // A BOM some editors write before the first line is not part of the JSON.
    const line = i === 0 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
    if (line.trim() === "") return;
    try {
      items.push(JSON.parse(line));
      lineOf.push(i);
    } catch {
      bad.push({ index: i, reason: "invalid JSON" });
    }
  });
  return { items, lineOf, bad };
}

export async function listInstructions(
  db: Db,
  q: { category?: string; source?: string; limit: number; cursor?: number },
): Promise<{ items: InstructionRow[]; nextCursor: string | null }> {
  const conds: SQL[] = [];
  if (q.category) conds.push(eq(instructions.category, q.category));
  if (q.source) conds.push(eq(instructions.source, q.source));
  if (q.cursor !== undefined) conds.push(gt(instructions.id, q.cursor));
  const items = await db.select().from(instructions).where(and(...conds)).orderBy(asc(instructions.id)).limit(q.limit + 1);
  const more = items.length > q.limit;
  const page = more ? items.slice(0, q.limit) : items;
  return { items: page, nextCursor: more ? String(page[page.length - 1]?.id ?? "") : null };
}
