/**
 * Database-backed pieces of the gateway: the persistent response cache (a rerun costs nothing) and
 * the usage sink, which batches per-call records into running totals per model and purpose, and the
 * read of those totals (GET /v1/usage).
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { llmCache, modelUsage } from "../../db/schema/index.js";
import type { CachedCompletion, ResponseCache, UsageRecord, UsageSink } from "../gateway/types.js";
import type { Logger } from "../logger.js";

export function createDbCache(db: Db): ResponseCache {
  return {
    async get(key) {
      const [row] = await db.select().from(llmCache).where(eq(llmCache.key, key));
      if (!row) return null;
      const usage = { promptTokens: row.promptTokens, completionTokens: row.completionTokens, ...(row.reasoningTokens === null ? {} : { reasoningTokens: row.reasoningTokens }) };
      return { text: row.text, usage, ...(row.reasoning === null ? {} : { reasoning: row.reasoning }), ...(row.finishReason === null ? {} : { finishReason: row.finishReason }) };
    },
    async put(key: string, model: string, value: CachedCompletion) {
      const fields = {
        text: value.text,
        promptTokens: value.usage.promptTokens,
        completionTokens: value.usage.completionTokens,
        reasoning: value.reasoning ?? null,
        reasoningTokens: value.usage.reasoningTokens ?? null,
        finishReason: value.finishReason ?? null,
      };
      await db.insert(llmCache).values({ key, model, ...fields }).onConflictDoUpdate({ target: llmCache.key, set: fields });
    },
  };
}

interface Totals {
  calls: number;
  cachedCalls: number;
  failedCalls: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** `inner` with `observe` called on every record before it (metrics, the failure log), other members unchanged. */
export function tapUsage<S extends UsageSink>(inner: S, observe: (rec: UsageRecord) => void): S {
  const tapped = Object.create(inner) as S;
  tapped.record = (rec: UsageRecord) => {
    observe(rec);
    inner.record(rec);
  };
  return tapped;
}

/** Accumulates usage in memory and writes the totals every `intervalMs` (and on flush). */
export function createDbUsageSink(db: Db, logger: Logger, intervalMs = 2000): UsageSink & { flush(): Promise<void> } {
  let pending = new Map<string, Totals>();
  let timer: NodeJS.Timeout | null = null;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = new Map();
    for (const [k, t] of batch) {
      const [model = "", purpose = ""] = JSON.parse(k) as [string, string];
      try {
        await db
          .insert(modelUsage)
          .values({ model, purpose, ...t })
          .onConflictDoUpdate({
            target: [modelUsage.model, modelUsage.purpose],
            set: {
              calls: sql`${modelUsage.calls} + ${t.calls}`,
              cachedCalls: sql`${modelUsage.cachedCalls} + ${t.cachedCalls}`,
              failedCalls: sql`${modelUsage.failedCalls} + ${t.failedCalls}`,
              promptTokens: sql`${modelUsage.promptTokens} + ${t.promptTokens}`,
              completionTokens: sql`${modelUsage.completionTokens} + ${t.completionTokens}`,
              reasoningTokens: sql`${modelUsage.reasoningTokens} + ${t.reasoningTokens}`,
              costUsd: sql`${modelUsage.costUsd} + ${t.costUsd}`,
            },
          });
      } catch (err) {
        logger.warn({ err, model, purpose }, "could not record model usage");
      }
    }
  };
  return {
    record(rec: UsageRecord) {
      const k = JSON.stringify([rec.model, rec.purpose]);
      const t = pending.get(k) ?? { calls: 0, cachedCalls: 0, failedCalls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0 };
      t.calls += 1;
      t.cachedCalls += rec.cached ? 1 : 0;
      t.failedCalls += rec.ok ? 0 : 1;
      t.promptTokens += rec.cached ? 0 : rec.promptTokens;
      t.completionTokens += rec.cached ? 0 : rec.completionTokens;
      t.reasoningTokens += rec.cached ? 0 : (rec.reasoningTokens ?? 0);
      t.costUsd += rec.costUsd;
      pending.set(k, t);
      if (!timer) {
        timer = setTimeout(() => void flush(), intervalMs);
        timer.unref();
      }
    },
    flush,
  };
}

/** The running usage totals, one row per model and purpose (sorted by both), and their sum. */
export async function usageReport(db: Db) {
  const items = await db.select().from(modelUsage).orderBy(asc(modelUsage.model), asc(modelUsage.purpose));
  const totals = items.reduce((t, i) => ({ calls: t.calls + i.calls, costUsd: t.costUsd + i.costUsd }), { calls: 0, costUsd: 0 });
  return { items, totals };
}
