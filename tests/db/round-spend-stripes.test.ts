/**
 * Striped round spend (battles/spend.ts, round_spend_stripes) on every driver: concurrent writers of
 * one round, racing to store the same rows, count each stored row exactly once; the read sums the base
 * figures on the rounds row and every stripe; and on PostgreSQL a writer whose transaction is still
 * open does not make the next writer of the same round wait (the one counter row it replaced did).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addRoundSpend, ROUND_SPEND_STRIPES, roundSpend, storeOnce } from "../../battles/spend.js";
import type { DbHandle } from "../../db/client.js";
import { responses, rounds, roundSpendStripes } from "../../db/schema/index.js";
import { describeEachDb } from "../helpers/db.js";
import { sumRoundSpend } from "../helpers/spend.js";

describeEachDb("striped round spend on $name", (target) => {
  let h: DbHandle;
  let instructionIds: number[] = [];
  beforeAll(async () => {
    h = await target.open();
    const ins = await h.db.execute(sql`insert into instructions (content_hash, messages, text, source)
      select 'rss-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'test' from generate_series(1, 60) g returning id`);
    instructionIds = ((Array.isArray(ins) ? ins : (ins as { rows: unknown[] }).rows) as { id: number | string }[]).map((r) => Number(r.id));
    for (const round of ["rss-race", "rss-base", "rss-lock"]) {
      await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges) values (${round}, 'running', 'all-pairs', '["a","b"]'::jsonb, '["j"]'::jsonb)`);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it("racing writers store each answer once and count it once, spread over stripes", async () => {
    // 60 instructions x 2 models, each row written by 3 racing writers at once: 360 storeOnce calls.
    const writes = instructionIds.flatMap((instructionId, k) =>
      ["a", "b"].flatMap((model) =>
        [0, 1, 2].map(() => ({ roundId: "rss-race", instructionId, model, text: `answer ${k}`, promptTokens: 10 + (k % 7), completionTokens: 20 + (k % 3), costUsd: 0.001 * (1 + (k % 5)) })),
      ),
    );
    const stored = await Promise.all(
      writes.map((row) => storeOnce(h.db, responses, row, { roundId: "rss-race", kind: "answer", spend: { promptTokens: row.promptTokens, completionTokens: row.completionTokens, costUsd: row.costUsd } })),
    );
    expect(stored.filter(Boolean)).toHaveLength(120);
    const sums = await sumRoundSpend(h.db, "rss-race");
    expect(sums.responses).toBe(120);
    expect(await roundSpend(h.db, "rss-race")).toEqual({ ...sums, costUsd: expect.closeTo(sums.costUsd, 12) });
    const stripes = await h.db.select({ stripe: roundSpendStripes.stripe }).from(roundSpendStripes).where(eq(roundSpendStripes.roundId, "rss-race"));
    expect(stripes.length).toBeGreaterThan(1);
    expect(stripes.every((s) => s.stripe >= 0 && s.stripe < ROUND_SPEND_STRIPES)).toBe(true);
  });

  it("adds the stripes to the base figures on the rounds row", async () => {
    await h.db.update(rounds).set({ spentPromptTokens: 1000, spentCompletionTokens: 500, spentCostUsd: 2.5, answerCount: 7, judgmentCount: 9, invalidJudgmentCount: 2 }).where(eq(rounds.id, "rss-base"));
    for (let k = 0; k < 2 * ROUND_SPEND_STRIPES + 3; k++) {
      await addRoundSpend(h.db, "rss-base", k % 3 === 0 ? "answer" : k % 3 === 1 ? "judgment" : "invalid-judgment", { promptTokens: 3, completionTokens: 1, costUsd: 0.25 });
    }
    // 35 rows: 12 answers, 12 judgments, 11 invalid judgments; 105 prompt and 35 completion tokens, $8.75.
    expect(await roundSpend(h.db, "rss-base")).toEqual({
      responses: 7 + 12,
      judgments: { total: 9 + 23, invalid: 2 + 11 },
      tokens: { prompt: 1105, completion: 535, total: 1640 },
      costUsd: expect.closeTo(2.5 + 8.75, 12),
    });
  });

  // A property of concurrent connections: PGlite has one, so the test exists on PostgreSQL only (not a skip).
  if (target.name === "postgres") it("a writer's open transaction does not hold up the next writer of the round", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered = () => {};
    const inside = new Promise<void>((r) => (entered = r));
    const first = h.db.transaction(async (tx) => {
      await addRoundSpend(tx, "rss-lock", "answer", { promptTokens: 1, completionTokens: 1, costUsd: 0.1 });
      entered();
      await gate;
    });
    await inside;
    // Before stripes this update waited for the first transaction's lock on the rounds row.
    const second = addRoundSpend(h.db, "rss-lock", "judgment", { promptTokens: 2, completionTokens: 2, costUsd: 0.2 }).then(() => "done");
    const outcome = await Promise.race([second, new Promise((r) => setTimeout(() => r("waiting"), 3000))]);
    release();
    await first;
    await second;
    expect(outcome).toBe("done");
    expect(await roundSpend(h.db, "rss-lock")).toMatchObject({ responses: 1, judgments: { total: 1, invalid: 0 }, tokens: { total: 6 } });
  });
});
