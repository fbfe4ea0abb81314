/**
 * finishRoundIfComplete on every driver: a round with a battle still pending or running stays open
 * (found by one index probe now, not a count of the whole round), a settled one ends done (or failed
 * when no battle is done) exactly once, with its counts.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { finishRoundIfComplete } from "../../battles/queue.js";
import type { DbHandle } from "../../db/client.js";
import { battles, rounds } from "../../db/schema/index.js";
import { describeEachDb } from "../helpers/db.js";

const CASES = [
  { name: "one pending left", statuses: ["done", "done", "pending"], end: null, status: "running" },
  { name: "one running left", statuses: ["running", "failed", "done"], end: null, status: "running" },
  { name: "all settled", statuses: ["done", "failed", "done"], end: { status: "done", done: 2, failed: 1 }, status: "done" },
  { name: "all failed", statuses: ["failed", "failed"], end: { status: "failed", done: 0, failed: 2 }, status: "failed" },
] as const;

describeEachDb("finishRoundIfComplete on $name", (target) => {
  let h: DbHandle;
  let instructionIds: number[] = [];
  beforeAll(async () => {
    h = await target.open();
    const ins = await h.db.execute(sql`insert into instructions (content_hash, messages, text, source)
      select 'fr-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'test' from generate_series(1, 3) g returning id`);
    instructionIds = ((Array.isArray(ins) ? ins : (ins as { rows: unknown[] }).rows) as { id: number | string }[]).map((r) => Number(r.id));
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(CASES)("$name", async ({ name, statuses, end, status }) => {
    const id = `fr-${name.replaceAll(" ", "-")}`;
    await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges) values (${id}, 'running', 'all-pairs', '["a","b"]'::jsonb, '["j"]'::jsonb)`);
    for (const [k, s] of statuses.entries()) await h.db.insert(battles).values({ roundId: id, instructionId: instructionIds[k] ?? 0, modelA: "a", modelB: "b", status: s });
    expect(await finishRoundIfComplete(h.db, id)).toEqual(end);
    // Ended once: a second call changes nothing.
    expect(await finishRoundIfComplete(h.db, id)).toBeNull();
    const [row] = await h.db.select({ status: rounds.status, error: rounds.error }).from(rounds).where(eq(rounds.id, id));
    expect(row?.status).toBe(status);
    expect(row?.error).toBe(status === "failed" ? "every battle failed" : null);
  });
});
