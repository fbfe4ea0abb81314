/**
 * Publishing a run: its generated items are cleaned (length and quality filters, exact and near
 * duplicates within the run and against the instruction pool, 13-gram decontamination against
 * uploaded benchmark sets) and the survivors go into the pool. Removed items stay, with their reason
 * and what they collided with. Also `cleanTexts`, the same cleaning for texts posted to /v1/clean.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { genItems, instructions } from "../../db/schema/index.js";
import { conflict, notFound } from "../errors.js";
import { importInstructions } from "./instructions.js";
import { decontamIndexFor } from "../generator/stores/decontam-sets.js";
import { cleanInstructions, type CleanOptions, type Removal } from "../generator/clean/index.js";
import { collisionJson, decodeCleanRef, encodeCleanRef, generatedExternalId, itemRef, poolRef, textRef } from "../generator/clean/refs.js";
import { itemsOfRun, type ItemRow, userText } from "../generator/stores/items.js";
import { ACTIVE_RUN, type RunRow } from "../generator/engine/task-queue.js";

export interface CleanRequest {
  nearDupThreshold?: number;
  /** Benchmark sets to decontaminate against (default: every uploaded set). */
  benchmarks?: string[];
  /** Also dedup against the instruction pool (default true for publish). */
  againstPool?: boolean;
  minWords?: number;
  maxWords?: number;
}

export const GENERATOR_SOURCE = "generator";

async function poolTexts(db: Db): Promise<{ id: string; text: string }[]> {
  const rows = await db.select({ id: instructions.id, messages: instructions.messages, turns: instructions.turns }).from(instructions);
  // A multi-turn instruction is compared on all its user turns, as a multi-turn item is.
  return rows.map((r) => ({ id: encodeCleanRef(poolRef(r.id)), text: r.turns ? userText([...r.messages.filter((m) => m.role !== "user"), ...r.turns.map((content) => ({ role: "user", content }))]) : userText(r.messages) }));
}

/** An item's or pool instruction's ref as `{ itemId }` / `{ instructionId }`, a benchmark hit as it is. */
function collision(c: Removal["collidedWith"]): Record<string, unknown> | null {
  if (c === undefined) return null;
  return typeof c === "string" ? collisionJson(c) : { ...c };
}

/** The generated item a removal names (publishing cleans item refs only). */
function removedItemId(id: string): number {
  const r = decodeCleanRef(id);
  if (r?.kind !== "item") throw new Error(`publish: removal '${id}' names no generated item`);
  return r.id;
}

async function cleanOptions(db: Db, req: CleanRequest): Promise<{ opts: CleanOptions; sets: string[] }> {
  const { index, sets } = await decontamIndexFor(db, req.benchmarks);
  const opts: CleanOptions = { nearDupThreshold: req.nearDupThreshold, minWords: req.minWords, maxWords: req.maxWords, ...(index ? { decontam: index } : {}) };
  return { opts, sets };
}

/** A multi-turn item's user turns (MATRIX-Gen writes them without assistant replies); null for any other item. */
export function userTurnsOf(it: Pick<ItemRow, "kind" | "messages">): string[] | null {
  const ms = it.messages;
  return it.kind === "multi-turn" && ms.length >= 2 && ms.every((m) => m.role === "user") ? ms.map((m) => m.content) : null;
}

function poolRow(it: ItemRow) {
  const meta = it.metadata as { answer?: unknown };
  // A multi-turn item goes into the pool as a multi-turn instruction, answered turn by turn in battles.
  const turns = userTurnsOf(it);
  return {
    ...(turns !== null ? { turns } : { messages: it.messages }),
    category: it.category,
    ...(it.complexity !== null ? { complexity: it.complexity } : {}),
    source: GENERATOR_SOURCE,
    externalId: generatedExternalId(it.id),
    ...(typeof meta.answer === "string" ? { reference: meta.answer } : {}),
    metadata: { ...it.metadata, runId: it.runId, itemId: it.id, kind: it.kind },
  };
}

export interface PublishResult {
  runId: string;
  considered: number;
  published: number;
  removed: number;
  byReason: Record<string, number>;
  benchmarks: string[];
}

type Outcome = Omit<Removal, "reason"> & { reason: string };

/** Imports kept items into the pool and marks every item published or removed; returns the outcomes. */
async function record(tx: Db, kept: ItemRow[], removed: Outcome[]): Promise<Outcome[]> {
  const imported = await importInstructions(tx, kept.map(poolRow), { source: GENERATOR_SOURCE });
  const all = [...removed];
  // An item the pool's own validation rejects is removed with that reason rather than lost.
  for (const r of imported.rejected) {
    const it = kept[r.index];
    if (it) all.push({ id: encodeCleanRef(itemRef(it.id)), reason: "rejected", detail: r.reason });
  }
  const external = kept.map((it) => generatedExternalId(it.id));
  const found = external.length > 0 ? await tx.select({ id: instructions.id, externalId: instructions.externalId }).from(instructions).where(and(eq(instructions.source, GENERATOR_SOURCE), inArray(instructions.externalId, external))) : [];
  const poolId = new Map(found.map((f) => [f.externalId, f.id]));
  const rejected = new Set(all.map((r) => r.id));
  for (const it of kept) {
    const instructionId = poolId.get(generatedExternalId(it.id));
    if (instructionId !== undefined) await tx.update(genItems).set({ status: "published", instructionId }).where(eq(genItems.id, it.id));
    else if (!rejected.has(encodeCleanRef(itemRef(it.id)))) all.push({ id: encodeCleanRef(itemRef(it.id)), reason: "exact_duplicate", detail: "the pool already holds this conversation" });
  }
  for (const r of all) {
    const set = { status: "removed", removalReason: r.reason, collidedWith: collision(r.collidedWith), similarity: r.similarity ?? null, removalDetail: r.detail ?? null };
    await tx.update(genItems).set(set).where(eq(genItems.id, removedItemId(r.id)));
  }
  return all;
}

/** Cleans a finished run's generated items and imports the survivors into the pool, in one transaction. */
export async function publishRun(db: Db, run: RunRow | null, runId: string, req: CleanRequest = {}): Promise<PublishResult> {
  if (!run) throw notFound("run", runId);
  if (ACTIVE_RUN.includes(run.status)) throw conflict(`run '${runId}' is still ${run.status}; publish it when it has finished`);
  const items = await itemsOfRun(db, runId, ["generated"]);
  const { opts, sets } = await cleanOptions(db, req);
  const pool = req.againstPool === false ? [] : await poolTexts(db);
  const result = cleanInstructions(items.map((it) => ({ id: encodeCleanRef(itemRef(it.id)), text: it.text })), opts, { texts: pool });
  const byId = new Map(items.map((it) => [encodeCleanRef(itemRef(it.id)), it]));
  const kept = result.kept.map((id) => byId.get(id)).filter((it): it is ItemRow => it !== undefined);
  const removed = await db.transaction((tx) => record(tx, kept, result.removed));
  const byReason: Record<string, number> = {};
  for (const r of removed) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  return { runId, considered: items.length, published: items.length - removed.length, removed: removed.length, byReason, benchmarks: sets };
}

/** Cleans posted texts (no storage): which are kept, which removed and why (collisions name a text id or a pool instruction). */
export async function cleanTexts(db: Db, texts: { id: string; text: string }[], req: CleanRequest) {
  const { opts, sets } = await cleanOptions(db, req);
  const pool = req.againstPool ? await poolTexts(db) : [];
  // Internal ids keep posted ids from clashing with the pool's.
  const result = cleanInstructions(texts.map((t, i) => ({ id: encodeCleanRef(textRef(i)), text: t.text })), opts, { texts: pool });
  const back = (id: string) => {
    const r = decodeCleanRef(id);
    return (r?.kind === "text" ? texts[r.index]?.id : undefined) ?? id;
  };
  const named = (c: Removal["collidedWith"]) => {
    if (typeof c !== "string") return c;
    const r = decodeCleanRef(c);
    return r?.kind === "pool" ? { instructionId: r.id } : { id: back(c) };
  };
  const removed = result.removed.map((r) => ({ ...r, id: back(r.id), collidedWith: named(r.collidedWith) }));
  return { kept: result.kept.map(back), removed, benchmarks: sets };
}
