/**
 * The secret guard decides on the row it read; on PostgreSQL (many connections) an admin binding a
 * key in one transaction and a write key moving the model in another must not both win, or the
 * admin's key ends up pointed at the write key's server. PGlite has one connection, so no race there.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client.js";
import { loadConfig } from "../../src/config.js";
import { createModel, getModelRow, updateModel } from "../../src/services/models.js";
import { dbTargets } from "../helpers/db.js";

const now = new Date("2026-01-01T00:00:00Z");
const keyVars = loadConfig({}).keyVars;
const writer = { actor: { keyId: randomUUID(), scopes: ["write" as const] }, keyVars };
const pg = dbTargets().filter((t) => t.name === "postgres" && t.available);

describe.skipIf(pg.length === 0)("secret guard under concurrent writes (PostgreSQL)", () => {
  let h: DbHandle & { databaseUrl?: string };
  beforeAll(async () => {
    const target = pg[0];
    if (target) h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a write key's baseUrl change waits for an admin's uncommitted bind, then is refused", async () => {
    await createModel(h.db, { name: "shared", provider: "openai", model: "x", baseUrl: "http://provider.example/v1" }, now, { actor: null, keyVars });
    const other = postgres(h.databaseUrl ?? "", { max: 1, onnotice: () => {} });
    let move: Promise<unknown> = Promise.resolve();
    try {
      await other.begin(async (sql) => {
        await sql`update models set api_key_env = 'OPENAI_API_KEY' where name = 'shared'`;
        move = updateModel(h.db, "shared", { baseUrl: "http://attacker.example/v1" }, now, writer).then(
          () => "moved",
          (e: unknown) => (e as { code?: string }).code,
        );
        // Give the write key's transaction time to read the row (and, unlocked, to pass the guard).
        await new Promise((r) => setTimeout(r, 400));
      });
      expect(await move).toBe("forbidden");
      const row = await getModelRow(h.db, "shared");
      expect(row).toMatchObject({ apiKeyEnv: "OPENAI_API_KEY", baseUrl: "http://provider.example/v1" });
    } finally {
      await other.end({ timeout: 5 });
    }
  });
});
