/**
 * Queries of provider batch calls (db/schema/batch.ts). Each step is one statement or one transaction,
 * guarded by the row's state, so a retried or concurrent step (two coordinators, a worker restarted
 * mid-poll) changes nothing twice: a request is assigned to one submission, a result is written once,
 * and an answer is charged to the first caller that takes it.
 */
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { batchRequests, providerBatches, type BatchResult } from "./schema/index.js";

export type BatchRequestRow = typeof batchRequests.$inferSelect;
export type ProviderBatchRow = typeof providerBatches.$inferSelect;

/** Submissions of one request before it fails for good (a request failing with a 5xx, expiring or cancelled counts one each time). */
export const MAX_BATCH_ATTEMPTS = 5;

export async function findBatchRequest(db: Db, key: string): Promise<BatchRequestRow | null> {
  const [row] = await db.select().from(batchRequests).where(eq(batchRequests.key, key));
  return row ?? null;
}

/** Records a request; false when it was already recorded (by another battle or worker). */
export async function enqueueBatchRequest(
  db: Db,
  r: { key: string; model: string; body: Record<string, unknown>; reserved: { tokens: number; costUsd: number }; owner: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(batchRequests)
    .values({ key: r.key, model: r.model, body: r.body, reservedTokens: r.reserved.tokens, reservedCostUsd: r.reserved.costUsd, owner: r.owner })
    .onConflictDoNothing()
    .returning({ key: batchRequests.key });
  return rows.length > 0;
}

/** A cancelled request asked for again (its round resumed) goes back to pending with a new reservation. */
export async function requeueCancelled(db: Db, key: string, reserved: { tokens: number; costUsd: number }): Promise<boolean> {
  const rows = await db
    .update(batchRequests)
    .set({ state: "pending", batchId: null, attempts: 0, error: null, reservedTokens: reserved.tokens, reservedCostUsd: reserved.costUsd })
    .where(and(eq(batchRequests.key, key), eq(batchRequests.state, "cancelled")))
    .returning({ key: batchRequests.key });
  return rows.length > 0;
}

/** Marks an ended request taken; returns its reservation to the first caller only (null for later ones). */
export async function consumeBatchRequest(db: Db, key: string): Promise<{ tokens: number; costUsd: number } | null> {
  const rows = await db
    .update(batchRequests)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(batchRequests.key, key), isNull(batchRequests.consumedAt), inArray(batchRequests.state, ["done", "failed"])))
    .returning({ tokens: batchRequests.reservedTokens, costUsd: batchRequests.reservedCostUsd });
  const [r] = rows;
  return r ? { tokens: r.tokens, costUsd: r.costUsd } : null;
}

/** Models with pending requests: how many, and whether the oldest has waited `gatherMs`. */
export async function pendingByModel(db: Db, gatherMs: number): Promise<{ model: string; count: number; due: boolean }[]> {
  const rows = await db
    .select({
      model: batchRequests.model,
      count: sql<number>`count(*)::int`,
      due: sql<boolean>`min(${batchRequests.createdAt}) <= now() - make_interval(secs => ${gatherMs / 1000})`,
    })
    .from(batchRequests)
    .where(eq(batchRequests.state, "pending"))
    .groupBy(batchRequests.model);
  return rows.map((r) => ({ model: r.model, count: Number(r.count), due: r.due === true }));
}

/**
 * Claims up to `limit` pending requests of `model` for one new submission (the provider_batches row
 * comes first, in the same transaction): concurrent coordinators claim disjoint requests.
 */
export async function claimSubmission(db: Db, model: string, limit: number, leaseMs: number): Promise<{ batch: ProviderBatchRow; requests: BatchRequestRow[] } | null> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(providerBatches)
      .values({ model, leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .returning();
    if (!batch) throw new Error("provider_batches insert returned nothing");
    const ids = tx
      .select({ key: batchRequests.key })
      .from(batchRequests)
      .where(and(eq(batchRequests.model, model), eq(batchRequests.state, "pending")))
      .orderBy(asc(batchRequests.createdAt), asc(batchRequests.key))
      .limit(limit)
      .for("update", { skipLocked: true });
    const requests = await tx
      .update(batchRequests)
      .set({ state: "submitting", batchId: batch.id, attempts: sql`${batchRequests.attempts} + 1` })
      .where(inArray(batchRequests.key, ids))
      .returning();
    if (requests.length === 0) {
      await tx.delete(providerBatches).where(eq(providerBatches.id, batch.id));
      return null;
    }
    await tx.update(providerBatches).set({ requestCount: requests.length }).where(eq(providerBatches.id, batch.id));
    return { batch: { ...batch, requestCount: requests.length }, requests };
  });
}

/** The provider accepted the submission: its id is stored and the requests are in flight. */
export async function markSubmitted(db: Db, id: number, providerBatchId: string, inputFileId: string | null, status: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(providerBatches).set({ state: "submitted", providerBatchId, inputFileId, status, leaseUntil: null }).where(and(eq(providerBatches.id, id), eq(providerBatches.state, "submitting")));
    await tx.update(batchRequests).set({ state: "submitted" }).where(and(eq(batchRequests.batchId, id), eq(batchRequests.state, "submitting")));
  });
}

/** A submission that never reached the provider: its requests go back to pending (their attempt not counted). */
export async function abandonSubmission(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(providerBatches).set({ state: "abandoned", leaseUntil: null, endedAt: sql`now()` }).where(eq(providerBatches.id, id));
    await tx
      .update(batchRequests)
      .set({ state: "pending", batchId: null, attempts: sql`greatest(0, ${batchRequests.attempts} - 1)` })
      .where(and(eq(batchRequests.batchId, id), eq(batchRequests.state, "submitting")));
  });
}

/**
 * The provider refused a submission outright (a 4xx other than 408, 409 or 429: no batch API at this
 * endpoint, a file too large, a body it rejects): sending the same file again would be refused again,
 * so its requests fail for good with `message`, as a direct call's 4xx fails, instead of going back to
 * pending for ever.
 */
export async function refuseSubmission(db: Db, id: number, status: string, message: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.update(providerBatches).set({ state: "refused", status, leaseUntil: null, endedAt: sql`now()` }).where(eq(providerBatches.id, id));
    const rows = await tx
      .update(batchRequests)
      .set({ state: "failed", error: message })
      .where(and(eq(batchRequests.batchId, id), eq(batchRequests.state, "submitting")))
      .returning({ k: batchRequests.key });
    return rows.length;
  });
}

/** Submissions left `submitting` past their lease (the process died during the upload or the create). */
export async function staleSubmissions(db: Db): Promise<ProviderBatchRow[]> {
  return db.select().from(providerBatches).where(and(eq(providerBatches.state, "submitting"), lt(providerBatches.leaseUntil, sql`now()`)));
}

export async function openBatches(db: Db): Promise<ProviderBatchRow[]> {
  return db.select().from(providerBatches).where(eq(providerBatches.state, "submitted")).orderBy(asc(providerBatches.id));
}

export async function noteStatus(db: Db, id: number, status: string): Promise<void> {
  await db.update(providerBatches).set({ status }).where(eq(providerBatches.id, id));
}

/** What one line of an ended batch says about its request (src/gateway/batch-protocol.ts reads the files). */
export type LineOutcome =
  | { customId: string; ok: true; result: BatchResult }
  | { customId: string; ok: false; retryable: boolean; message: string };

/**
 * Writes an ended batch's lines in one transaction. Answers are stored; a retryable failure (5xx,
 * 429, expired, cancelled by the provider), and every request the files do not mention, goes back to
 * pending for the next submission until MAX_BATCH_ATTEMPTS; a 4xx fails the request for good. Only
 * requests still `submitted` in this batch move, so a second poll of the same batch writes nothing.
 */
export async function endBatch(db: Db, id: number, status: string, lines: readonly LineOutcome[], cancelled: boolean): Promise<{ done: number; retried: number; failed: number }> {
  return db.transaction(async (tx) => {
    const [b] = await tx.update(providerBatches).set({ state: "ended", status, endedAt: sql`now()` }).where(and(eq(providerBatches.id, id), eq(providerBatches.state, "submitted"))).returning({ id: providerBatches.id });
    if (!b) return { done: 0, retried: 0, failed: 0 };
    const inBatch = and(eq(batchRequests.batchId, id), eq(batchRequests.state, "submitted"));
    let done = 0;
    let failed = 0;
    for (const l of lines) {
      const where = and(inBatch, eq(batchRequests.key, l.customId));
      if (l.ok) done += (await tx.update(batchRequests).set({ state: "done", result: l.result, error: null }).where(where).returning({ k: batchRequests.key })).length;
      else if (!l.retryable) failed += (await tx.update(batchRequests).set({ state: "failed", error: l.message }).where(where).returning({ k: batchRequests.key })).length;
      else await tx.update(batchRequests).set({ error: l.message }).where(where);
    }
    // What is left is retried, unless it has used its attempts or its round cancelled the batch.
    const exhausted = await tx
      .update(batchRequests)
      .set({ state: cancelled ? "cancelled" : "failed", error: sql`coalesce(${batchRequests.error}, ${`batch ${status} without an answer for this request`})` })
      .where(and(inBatch, cancelled ? sql`true` : sql`${batchRequests.attempts} >= ${MAX_BATCH_ATTEMPTS}`))
      .returning({ k: batchRequests.key });
    const retried = await tx.update(batchRequests).set({ state: "pending", batchId: null }).where(inBatch).returning({ k: batchRequests.key });
    return { done, retried: retried.length, failed: failed + (cancelled ? 0 : exhausted.length) };
  });
}

/** Asks the coordinator to cancel the open submissions that carry only `owner`'s requests. */
export async function requestCancel(db: Db, owner: string): Promise<number> {
  const rows = await db
    .update(providerBatches)
    .set({ cancelRequested: true })
    .where(
      and(
        inArray(providerBatches.state, ["submitting", "submitted"]),
        sql`exists (select 1 from ${batchRequests} r where r.batch_id = ${providerBatches.id} and r.owner = ${owner})`,
        sql`not exists (select 1 from ${batchRequests} r where r.batch_id = ${providerBatches.id} and r.owner is distinct from ${owner})`,
      ),
    )
    .returning({ id: providerBatches.id });
  // Requests of the round not yet submitted are simply not sent.
  await db.update(batchRequests).set({ state: "cancelled" }).where(and(eq(batchRequests.owner, owner), eq(batchRequests.state, "pending")));
  return rows.length;
}
