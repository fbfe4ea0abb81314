/**
 * Prometheus metrics (prom-client, text exposition format) for `GET /metrics`.
 *
 * Two kinds, named apart so a reader of a dashboard knows what a number covers:
 * - process counters and histograms, counted by this process as its gateway makes calls (provider calls
 *   by model, purpose and outcome, retries, latency, cache hits) plus prom-client's default process
 *   metrics (CPU, memory, event-loop lag);
 * - database gauges, read from the tables at scrape time and therefore the same from every process
 *   (battles, judgments and generator tasks by status, queue depth, jobs whose lease has expired and
 *   awaits reclaim, rounds by status and the spend of active rounds).
 *
 * Each service instance has its own registry (not prom-client's global one), so tests and embedded
 * servers in one process do not share counters. Label values are model and purpose names the service
 * already validated; prom-client escapes them in the exposition.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { and, count, eq, inArray, lt, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.js";
import { battles, genTasks, judgments, rounds } from "../../db/schema/index.js";
import type { UsageRecord } from "../gateway/types.js";
import { stripeSums } from "../../battles/spend.js";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Seconds: provider calls range from cached-fast to multi-minute reasoning answers. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const ACTIVE_ROUND = ["pending", "running"];

export interface Metrics {
  readonly registry: Registry;
  /** Counts one gateway call (after its retries). */
  observeCall(rec: UsageRecord): void;
  /** The exposition text. */
  render(): Promise<string>;
}

/** Row counts of `table` by the values of its `status` column. */
async function countByStatus(db: Db, table: PgTable, status: AnyPgColumn): Promise<Map<string, number>> {
  const rows = await db.select({ status, n: count() }).from(table).groupBy(status);
  return new Map(rows.map((r) => [String(r.status), Number(r.n)]));
}

export function createMetrics(db: Db, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "matrix_arena_" });

  const calls = new Counter({
    name: "matrix_arena_provider_calls_total",
    help: "Gateway calls (after retries) by model, purpose and outcome (ok, or the failure kind); cached calls included",
    labelNames: ["model", "purpose", "outcome", "cached"] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: "matrix_arena_provider_retries_total",
    help: "Extra attempts beyond the first, by model and purpose (429s, 5xx, timeouts that were retried)",
    labelNames: ["model", "purpose"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "matrix_arena_provider_latency_seconds",
    help: "Wall time of gateway calls sent to a provider (cache hits excluded), retries and backoff included",
    labelNames: ["model", "purpose"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const cacheHits = new Counter({
    name: "matrix_arena_cache_hits_total",
    help: "Gateway calls answered from the response cache, by model and purpose",
    labelNames: ["model", "purpose"] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "matrix_arena_provider_tokens_total",
    help: "Tokens of calls sent to a provider, by model and kind (prompt, completion)",
    labelNames: ["model", "kind"] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: "matrix_arena_provider_cost_usd_total",
    help: "Priced cost (USD) of calls sent to a provider, by model",
    labelNames: ["model"] as const,
    registers: [registry],
  });

  const statusGauge = (name: string, help: string, table: PgTable, col: AnyPgColumn) =>
    new Gauge({
      name,
      help,
      labelNames: ["status"] as const,
      registers: [registry],
      async collect() {
        const counts = await countByStatus(db, table, col);
        this.reset();
        for (const [status, n] of counts) this.set({ status }, n);
      },
    });
  statusGauge("matrix_arena_battles", "Battles by status (database)", battles, battles.status);
  statusGauge("matrix_arena_generator_tasks", "Generator tasks by status (database)", genTasks, genTasks.status);
  statusGauge("matrix_arena_rounds", "Rounds by status (database)", rounds, rounds.status);

  new Gauge({
    name: "matrix_arena_judgments",
    help: "Stored judgments (single games) by validity (database)",
    labelNames: ["valid"] as const,
    registers: [registry],
    async collect() {
      const rows = await db.select({ valid: judgments.valid, n: count() }).from(judgments).groupBy(judgments.valid);
      this.reset();
      for (const r of rows) this.set({ valid: String(r.valid) }, Number(r.n));
    },
  });

  new Gauge({
    name: "matrix_arena_queue_depth",
    help: "Jobs waiting to be claimed (pending) per queue (database)",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      const [b] = await db.select({ n: count() }).from(battles).where(eq(battles.status, "pending"));
      const [g] = await db.select({ n: count() }).from(genTasks).where(eq(genTasks.status, "pending"));
      this.set({ queue: "battles" }, Number(b?.n ?? 0));
      this.set({ queue: "generator" }, Number(g?.n ?? 0));
    },
  });

  new Gauge({
    name: "matrix_arena_expired_leases",
    help: "Running jobs whose lease has expired (a worker died or stalled); the next claim reclaims them (database)",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      const expired = sql`now()`;
      const [b] = await db.select({ n: count() }).from(battles).where(and(eq(battles.status, "running"), lt(battles.leaseExpiresAt, expired)));
      const [g] = await db.select({ n: count() }).from(genTasks).where(and(eq(genTasks.status, "running"), lt(genTasks.leaseExpiresAt, expired)));
      this.set({ queue: "battles" }, Number(b?.n ?? 0));
      this.set({ queue: "generator" }, Number(g?.n ?? 0));
    },
  });

  const activeRounds = () =>
    db
      .select({ id: rounds.id, cost: stripeSums.cost, prompt: stripeSums.prompt, completion: stripeSums.completion })
      .from(rounds)
      .where(inArray(rounds.status, ACTIVE_ROUND));
  new Gauge({
    name: "matrix_arena_round_spend_usd",
    help: "Spend (USD) of each pending or running round (database)",
    labelNames: ["round"] as const,
    registers: [registry],
    async collect() {
      const rows = await activeRounds();
      this.reset();
      for (const r of rows) this.set({ round: r.id }, Number(r.cost));
    },
  });
  new Gauge({
    name: "matrix_arena_round_spend_tokens",
    help: "Tokens (prompt + completion) spent by each pending or running round (database)",
    labelNames: ["round"] as const,
    registers: [registry],
    async collect() {
      const rows = await activeRounds();
      this.reset();
      for (const r of rows) this.set({ round: r.id }, Number(r.prompt) + Number(r.completion));
    },
  });

  const observeCall = (rec: UsageRecord) => {
    const labels = { model: rec.model, purpose: rec.purpose };
    calls.inc({ ...labels, outcome: rec.ok ? "ok" : (rec.errorKind ?? "error"), cached: String(rec.cached) });
    if (rec.attempts > 1) retries.inc(labels, rec.attempts - 1);
    if (rec.cached) {
      cacheHits.inc(labels);
      return;
    }
    if (rec.attempts > 0) latency.observe(labels, Math.max(0, rec.latencyMs) / 1000);
    if (rec.promptTokens > 0) tokens.inc({ model: rec.model, kind: "prompt" }, rec.promptTokens);
    if (rec.completionTokens > 0) tokens.inc({ model: rec.model, kind: "completion" }, rec.completionTokens);
    if (rec.costUsd > 0) cost.inc({ model: rec.model }, rec.costUsd);
  };

  return {
    registry,
    observeCall,
    render: () => registry.metrics(),
  };
}
