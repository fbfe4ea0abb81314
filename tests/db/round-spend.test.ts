/**
 * Round spend counters on every driver: the migration's backfill gives rounds that already had
 * answers and judgments the sums over those rows, and addRoundSpend adds to them.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roundSpend } from "../../battles/progress.js";
import { addRoundSpend, readRoundSpend } from "../../battles/spend.js";
import { MIGRATIONS_DIR, type DbHandle } from "../../db/client.js";
import { battles, judgments, responses } from "../../db/schema/index.js";
import { dbTargets } from "../helpers/db.js";

const BACKFILL = readFileSync(`${MIGRATIONS_DIR}/0002_round_spend.sql`, "utf8")
  .split("--> statement-breakpoint")
  .map((s) => s.trim())
  .find((s) => s.includes("UPDATE"));

describe.each(dbTargets())("round spend on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("backfills the counters from existing rows, then adds to them", async () => {
    expect(BACKFILL).toBeDefined();
    const ins = await h.db.execute(sql`insert into instructions (content_hash, messages, text, source)
      select 'rs-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'test' from generate_series(1, 3) g returning id`);
    const ids = ((Array.isArray(ins) ? ins : (ins as { rows: unknown[] }).rows) as { id: number | string }[]).map((r) => Number(r.id));
    for (const round of ["rs-1", "rs-2", "rs-empty"]) {
      await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges) values (${round}, 'done', 'all-pairs', '["a","b"]'::jsonb, '["j"]'::jsonb)`);
    }
    // Rows written before the counters existed: the counters are still 0.
    for (const [k, instructionId] of ids.entries()) {
      for (const model of ["a", "b"]) {
        await h.db.insert(responses).values({ roundId: k < 2 ? "rs-1" : "rs-2", instructionId, model, text: "x", promptTokens: 10 + k, completionTokens: 20, costUsd: 0.001 });
      }
      const [b] = await h.db.insert(battles).values({ roundId: k < 2 ? "rs-1" : "rs-2", instructionId, modelA: "a", modelB: "b", status: "done" }).returning({ id: battles.id });
      for (const order of ["AB", "BA"]) {
        await h.db.insert(judgments).values({ battleId: b?.id ?? 0, judge: "j", order, promptVersion: "t@1", valid: true, score: 0.5, promptTokens: 100, completionTokens: 5 + k, costUsd: 0.01 });
      }
    }
    expect(await readRoundSpend(h.db, "rs-1")).toEqual({ tokens: 0, costUsd: 0 });
    await h.db.execute(sql.raw(BACKFILL ?? ""));
    for (const round of ["rs-1", "rs-2", "rs-empty"]) {
      const sums = await roundSpend(h.db, round);
      const counters = await readRoundSpend(h.db, round);
      expect(counters?.tokens).toBe(sums.tokens.total);
      expect(counters?.costUsd).toBeCloseTo(sums.costUsd, 12);
    }
    // rs-1: answers 2 x (10+20) + 2 x (11+20), judgments 2 x (100+5) + 2 x (100+6).
    expect((await readRoundSpend(h.db, "rs-1"))?.tokens).toBe(122 + 422);
    expect(await readRoundSpend(h.db, "rs-empty")).toEqual({ tokens: 0, costUsd: 0 });
    await addRoundSpend(h.db, "rs-empty", { promptTokens: 7, completionTokens: 3, costUsd: 0.5 });
    expect(await readRoundSpend(h.db, "rs-empty")).toEqual({ tokens: 10, costUsd: 0.5 });
    expect(await readRoundSpend(h.db, "no-such-round")).toBeNull();
  });
});
