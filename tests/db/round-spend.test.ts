/**
 * Round spend counters on every driver: the migration's backfill gives rounds that already had
 * answers and judgments the sums and counts over those rows, and addRoundSpend adds to them.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addRoundSpend, roundSpend } from "../../battles/spend.js";
import { MIGRATIONS_DIR, type DbHandle } from "../../db/client.js";
import { battles, judgments, responses } from "../../db/schema/index.js";
import { describeEachDb } from "../helpers/db.js";
import { sumRoundSpend } from "../helpers/spend.js";

const BACKFILL = readFileSync(`${MIGRATIONS_DIR}/0002_round_spend.sql`, "utf8")
  .split("--> statement-breakpoint")
  .map((s) => s.trim())
  .find((s) => s.includes("UPDATE"));

describeEachDb("round spend on $name", (target) => {
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
        const valid = !(k === 0 && order === "BA");
        await h.db.insert(judgments).values({ battleId: b?.id ?? 0, judge: "j", order, promptVersion: "t@1", valid, score: valid ? 0.5 : null, promptTokens: 100, completionTokens: 5 + k, costUsd: 0.01 });
      }
    }
    const zero = { responses: 0, judgments: { total: 0, invalid: 0 }, tokens: { prompt: 0, completion: 0, total: 0 }, costUsd: 0 };
    expect(await roundSpend(h.db, "rs-1")).toEqual(zero);
    await h.db.execute(sql.raw(BACKFILL ?? ""));
    for (const round of ["rs-1", "rs-2", "rs-empty"]) {
      const sums = await sumRoundSpend(h.db, round);
      expect(await roundSpend(h.db, round)).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 12) });
    }
    // rs-1: answers 2 x (10+20) + 2 x (11+20), judgments 2 x (100+5) + 2 x (100+6); one judgment invalid.
    expect(await roundSpend(h.db, "rs-1")).toMatchObject({ responses: 4, judgments: { total: 4, invalid: 1 }, tokens: { total: 122 + 422 } });
    expect(await roundSpend(h.db, "rs-empty")).toEqual(zero);
    await addRoundSpend(h.db, "rs-empty", "answer", { promptTokens: 7, completionTokens: 3, costUsd: 0.5 });
    await addRoundSpend(h.db, "rs-empty", "invalid-judgment", { promptTokens: 1, completionTokens: 0, costUsd: 0 });
    expect(await roundSpend(h.db, "rs-empty")).toEqual({ responses: 1, judgments: { total: 1, invalid: 1 }, tokens: { prompt: 8, completion: 3, total: 11 }, costUsd: 0.5 });
    expect(await roundSpend(h.db, "no-such-round")).toBeNull();
  });
});
