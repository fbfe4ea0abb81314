/**
 * Migration 0006_budget_backfill on every driver: a database migrated to 0005 holds rounds made before
 * the budgets table, their caps in options.budget and their spend in the round counters; migrated to
 * head, each budgeted round has its budget row with those caps and that spend, and a resumed round is
 * held to it (a raised token cap keeps the old cost cap).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resumeRound } from "../../battles/round-store.js";
import { readBudget, reserveSpend } from "../../db/budget-ledger.js";
import { type DbHandle, MIGRATIONS_DIR, openDb, type OpenDbOptions } from "../../db/client.js";
import { createFreshDatabase, describeEachDb } from "../helpers/db.js";

const BEFORE = "0006_budget_backfill";

/** A copy of db/migrations holding only the migrations before 0006 (the migrator reads the journal). */
function migrationsBefore(tag: string, dir: string): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, cut);
  mkdirSync(join(dir, "meta"), { recursive: true });
  for (const e of entries) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return dir;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows);

describeEachDb("budget rows for rounds made before 0004, on $name", (target) => {
  const tmp = mkdtempSync(join(tmpdir(), "ma-backfill-"));
  let where: OpenDbOptions = {};
  let drop = async () => {};
  let h: DbHandle | undefined;
  beforeAll(async () => {
    if (target.name === "postgres") {
      const fresh = await createFreshDatabase();
      where = { databaseUrl: fresh.url, maxConnections: 3 };
      drop = fresh.drop;
    } else {
      where = { dataDir: join(tmp, "data"), embedded: "pglite" };
    }
    const old = await openDb({ ...where, migrationsFolder: migrationsBefore(BEFORE, join(tmp, "migrations")) });
    try {
      const insert = (id: string, options: unknown, spent: [number, number, number]) =>
        old.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges, options, spent_prompt_tokens, spent_completion_tokens, spent_cost_usd)
          values (${id}, 'failed', 'all-pairs', '["a","b"]'::jsonb, '["j"]'::jsonb, ${JSON.stringify(options)}::jsonb, ${spent[0]}, ${spent[1]}, ${spent[2]})`);
      await insert("old-both", { instructions: {}, budget: { maxCostUsd: 1, maxTokens: 1000 } }, [600, 300, 0.5]);
      await insert("old-tokens", { instructions: {}, budget: { maxTokens: 400 } }, [100, 20, 0.02]);
      await insert("old-none", { instructions: {} }, [50, 5, 0.01]);
      expect(rowsOf<{ n: number }>(await old.db.execute(sql`select count(*)::int as n from budgets`))[0]?.n).toBe(0);
    } finally {
      await old.close();
    }
    h = await openDb(where);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("backfills each budgeted round's caps and recorded spend, and no row for an unbudgeted one", async () => {
    const db = h?.db;
    if (!db) throw new Error("database not open");
    expect(await readBudget(db, { scope: "round", ownerId: "old-both" })).toMatchObject({ maxCostUsd: 1, maxTokens: 1000, spentTokens: 900, spentCostUsd: 0.5, reservedTokens: 0 });
    expect(await readBudget(db, { scope: "round", ownerId: "old-tokens" })).toMatchObject({ maxCostUsd: null, maxTokens: 400, spentTokens: 120, spentCostUsd: 0.02 });
    expect(await readBudget(db, { scope: "round", ownerId: "old-none" })).toBeNull();
  });

  it("a resumed old round is held to its caps; a raised token cap keeps the old cost cap", async () => {
    const db = h?.db;
    if (!db) throw new Error("database not open");
    const key = { scope: "round" as const, ownerId: "old-both" };
    await resumeRound(db, "old-both");
    expect(await reserveSpend(db, key, { tokens: 200, costUsd: 0 })).toBe("never");
    await resumeRound(db, "old-both", { maxTokens: 5000 });
    expect(await readBudget(db, key)).toMatchObject({ maxCostUsd: 1, maxTokens: 5000, spentTokens: 900 });
    expect(await reserveSpend(db, key, { tokens: 200, costUsd: 0.6 })).toBe("never");
    expect(await reserveSpend(db, key, { tokens: 200, costUsd: 0.1 })).toBe("reserved");
  });
});
