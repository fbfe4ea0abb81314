/**
 * One database contract suite, run against every driver: PGlite always, PostgreSQL when
 * TEST_DATABASE_URL / DATABASE_URL is set.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import type { DbHandle } from "../../db/client.js";
import { battles, instructions, judgments, modelUsage, rounds } from "../../db/schema/index.js";
import { createKey, listKeys, revokeKey, verifyKey, countActiveKeys } from "../../src/services/keys.js";
import { createModel, deleteModel, listModels, updateModel } from "../../src/services/models.js";
import { createDbCache, createDbUsageSink } from "../../src/services/llm-store.js";
import { AppError } from "../../src/errors.js";
import { loadConfig } from "../../src/config.js";
import { describeEachDb } from "../helpers/db.js";

const now = new Date("2026-01-01T00:00:00Z");
/** Local mode: no key, default key-variable policy. */
const local = { actor: null, keyVars: loadConfig({}).keyVars };

describeEachDb("database contract on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers a ping and has the core tables", async () => {
    expect(await h.ping()).toBe(true);
    const res = await h.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name in ('models','instructions','rounds','battles','responses','judgments','api_keys','llm_cache')`);
    const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { n: number }[];
    expect(rows[0]?.n).toBe(8);
  });

  it("creates, updates, lists and deletes models with lineage checks", async () => {
    await createModel(h.db, { name: "base-v1", provider: "sim", model: "sim-medium" }, now, local);
    await createModel(h.db, { name: "base-v2", provider: "sim", model: "sim-medium", parent: "base-v1" }, now, local);
    await expect(createModel(h.db, { name: "base-v1", provider: "sim", model: "x" }, now, local)).rejects.toMatchObject({ code: "conflict" });
    await expect(createModel(h.db, { name: "orphan", provider: "sim", model: "x", parent: "nope" }, now, local)).rejects.toMatchObject({ code: "bad_request" });
    const updated = await updateModel(h.db, "base-v2", { maxConcurrency: 4, tags: ["target"] }, now, local);
    expect(updated.maxConcurrency).toBe(4);
    expect(updated.tags).toEqual(["target"]);
    await expect(deleteModel(h.db, "base-v1", local)).rejects.toBeInstanceOf(AppError);
    await deleteModel(h.db, "base-v2", local);
    await deleteModel(h.db, "base-v1", local);
    expect((await listModels(h.db)).map((m) => m.name)).not.toContain("base-v1");
  });

  it("stores API keys hashed, verifies and revokes them", async () => {
    const before = await countActiveKeys(h.db);
    const k = await createKey(h.db, { name: "ci", scopes: ["read"] });
    expect(k.key.startsWith("ma_")).toBe(true);
    const listed = await listKeys(h.db);
    expect(JSON.stringify(listed)).not.toContain(k.key);
    expect(await verifyKey(h.db, k.key, now)).toMatchObject({ keyId: k.id, scopes: ["read"] });
    expect(await verifyKey(h.db, k.key + "x", now)).toBeNull();
    expect(await countActiveKeys(h.db)).toBe(before + 1);
    await revokeKey(h.db, k.id, now);
    expect(await verifyKey(h.db, k.key, now)).toBeNull();
    expect(await countActiveKeys(h.db)).toBe(before);
  });

  it("makes a repeated judgment write a no-op through the unique key", async () => {
    await h.db.insert(rounds).values({ id: "r-contract", pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"] });
    const [ins] = await h.db
      .insert(instructions)
      .values({ contentHash: "h-contract", messages: [{ role: "user", content: "hi" }], text: "hi" })
      .returning();
    const [b] = await h.db
      .insert(battles)
      .values({ roundId: "r-contract", instructionId: ins?.id, modelA: "a", modelB: "b" })
      .returning();
    const row = { battleId: b?.id ?? 0, judge: "j", order: "AB", promptVersion: "v1", verdict: "A>B", score: 0.75, valid: true };
    await h.db.insert(judgments).values(row).onConflictDoNothing();
    await h.db.insert(judgments).values({ ...row, verdict: "B>A" }).onConflictDoNothing();
    const rows = await h.db.select().from(judgments).where(eq(judgments.battleId, row.battleId));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.verdict).toBe("A>B");
  });

  it("persists the LLM response cache and accumulates usage", async () => {
    const cache = createDbCache(h.db);
    expect(await cache.get("k1")).toBeNull();
    await cache.put("k1", "m", { text: "hello", usage: { promptTokens: 3, completionTokens: 2 } });
    await cache.put("k1", "m", { text: "hello", usage: { promptTokens: 3, completionTokens: 2 } });
    expect(await cache.get("k1")).toEqual({ text: "hello", usage: { promptTokens: 3, completionTokens: 2 } });
    // A reasoning model's entry keeps its separate trace, reasoning token count and finish reason.
    const traced = { text: "42", reasoning: "6 x 7", finishReason: "stop", usage: { promptTokens: 3, completionTokens: 9, reasoningTokens: 5 } };
    await cache.put("k2", "m", traced);
    expect(await cache.get("k2")).toEqual(traced);
    const sink = createDbUsageSink(h.db, pino({ level: "silent" }), 60_000);
    const rec = { model: "m", purpose: "test", promptTokens: 10, completionTokens: 5, costUsd: 0.5, cached: false, ok: true, latencyMs: 1, attempts: 1 };
    sink.record({ ...rec, reasoningTokens: 3 });
    sink.record({ ...rec, cached: true, costUsd: 0, reasoningTokens: 3 });
    await sink.flush();
    sink.record(rec);
    await sink.flush();
    const [u] = await h.db.select().from(modelUsage).where(eq(modelUsage.purpose, "test"));
    // A cached call's reasoning tokens were not spent again.
    expect(u).toMatchObject({ calls: 3, cachedCalls: 1, promptTokens: 20, completionTokens: 10, reasoningTokens: 3, costUsd: 1 });
  });
}, { embedded: true });
