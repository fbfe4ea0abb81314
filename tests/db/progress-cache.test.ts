/**
 * ProgressCache on every driver: within a time slot, requests for a round whose row is unchanged share
 * one computation (a battle finished meanwhile shows in the next slot); a change of the round's row
 * (status, error, finish) is served fresh at once; off (0 entries) every request computes.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findRound } from "../../battles/round-store.js";
import type { DbHandle } from "../../db/client.js";
import { battles, rounds } from "../../db/schema/index.js";
import { ProgressCache } from "../../src/services/progress-cache.js";
import { describeEachDb } from "../helpers/db.js";

describeEachDb("ProgressCache on $name", (target) => {
  let h: DbHandle;
  const now = () => new Date("2026-12-01T00:00:00Z");
  beforeAll(async () => {
    h = await target.open();
    const ins = await h.db.execute(sql`insert into instructions (content_hash, messages, text, source)
      select 'pc-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'test' from generate_series(1, 4) g returning id`);
    const ids = ((Array.isArray(ins) ? ins : (ins as { rows: unknown[] }).rows) as { id: number | string }[]).map((r) => Number(r.id));
    for (const round of ["pc-1", "pc-off"]) {
      await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges, started_at) values (${round}, 'running', 'all-pairs', '["a","b"]'::jsonb, '["j"]'::jsonb, now())`);
      for (const instructionId of ids) await h.db.insert(battles).values({ roundId: round, instructionId, modelA: "a", modelB: "b", status: "pending" });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const finishOne = async (roundId: string) => {
    const [b] = await h.db.select({ id: battles.id }).from(battles).where(sql`${battles.roundId} = ${roundId} and ${battles.status} = 'pending'`).limit(1);
    await h.db.update(battles).set({ status: "done", outcome: 1 }).where(eq(battles.id, b?.id ?? 0));
  };
  const row = async (id: string) => {
    const r = await findRound(h.db, id);
    if (!r) throw new Error(`no round ${id}`);
    return r;
  };

  it("shares a slot, shows changes in the next slot, and recomputes at once when the round's row changes", async () => {
    let ms = 10_000;
    const cache = new ProgressCache(16, 250, () => ms);
    const steps: { act?: () => Promise<void>; advanceMs?: number; done: number; status: string }[] = [
      { done: 0, status: "running" },
      // A battle finished, same slot: the answer computed a moment ago.
      { act: () => finishOne("pc-1"), done: 0, status: "running" },
      { advanceMs: 100, done: 0, status: "running" },
      // The next slot sees it.
      { advanceMs: 200, done: 1, status: "running" },
      { act: () => finishOne("pc-1"), done: 1, status: "running" },
      // The round's row changed (cancelled), same slot: fresh at once, with the battle finished meanwhile.
      { act: async () => void (await h.db.update(rounds).set({ status: "cancelled" }).where(eq(rounds.id, "pc-1"))), done: 2, status: "cancelled" },
    ];
    for (const step of steps) {
      await step.act?.();
      ms += step.advanceMs ?? 0;
      const p = await cache.get(h.db, await row("pc-1"), now);
      expect([p.counts.done, p.status]).toEqual([step.done, step.status]);
    }
    expect(cache.computed).toBe(3);
    expect(cache.hits).toBe(3);
    // A crowd in one slot: one computation.
    ms += 1000;
    const r = await row("pc-1");
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.get(h.db, r, now)));
    expect(new Set(all.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(cache.computed).toBe(4);
  });

  it("shares the round-row reads of a crowd, each read started after its callers asked", async () => {
    const cache = new ProgressCache(16, 250, () => 0);
    let reads = 0;
    const read = async () => {
      reads++;
      return findRound(h.db, "pc-1");
    };
    const crowd = await Promise.all(Array.from({ length: 30 }, () => cache.row("pc-1", read)));
    expect(crowd.every((r) => r?.id === "pc-1")).toBe(true);
    expect(reads).toBeLessThanOrEqual(2);
    // A change committed before the next call is seen by it.
    await h.db.update(rounds).set({ error: "note" }).where(eq(rounds.id, "pc-1"));
    expect((await cache.row("pc-1", read))?.error).toBe("note");
    const off = new ProgressCache(0);
    reads = 0;
    await Promise.all(Array.from({ length: 5 }, () => off.row("pc-1", read)));
    expect(reads).toBe(5);
  });

  it("off: every request computes", async () => {
    const cache = new ProgressCache(0, 250, () => 0);
    expect((await cache.get(h.db, await row("pc-off"), now)).counts.done).toBe(0);
    await finishOne("pc-off");
    expect((await cache.get(h.db, await row("pc-off"), now)).counts.done).toBe(1);
    expect(cache.computed).toBe(0);
  });
});
