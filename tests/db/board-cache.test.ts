/**
 * Boards served from the cache are the boards a fresh computation gives, on every driver, and every
 * writer of what boards read invalidates them: a battle finished by a worker on another connection
 * (on PostgreSQL a second pool, as a worker in another process has), battles imported, a human
 * override moving a battle between cells. Different queries never share an entry; a board of one
 * round is not invalidated by another round's battles.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { addToCells, markBoardsChanged } from "../../battles/cells.js";
import { battleQueue } from "../../battles/queue.js";
import { recordVerdict } from "../../battles/review-store.js";
import { type DbHandle, openDb } from "../../db/client.js";
import { battles } from "../../db/schema/index.js";
import type { Leaderboard } from "../../reports/leaderboard.js";
import { readBoardVersion } from "../../reports/queries.js";
import { storeBattles } from "../../src/services/battle-import.js";
import { BoardCache } from "../../src/services/board-cache.js";
import { type BoardQuery, leaderboard } from "../../src/services/leaderboard.js";
import { describeEachDb } from "../helpers/db.js";

const ROUND = "bc-live";
const OTHER_ROUND = "bc-other";
const MODELS = ["m1", "m2", "m3"];

describeEachDb("board cache on $name", (target) => {
  let h: DbHandle & { databaseUrl?: string };
  /** The worker's connection: a second pool on PostgreSQL; PGlite has one connection per database. */
  let worker: DbHandle;
  let instructionIds: number[] = [];

  beforeAll(async () => {
    h = await target.open();
    worker = h.databaseUrl ? await openDb({ databaseUrl: h.databaseUrl, maxConnections: 2 }) : h;
    const res = await h.db.execute(sql`insert into instructions (content_hash, messages, text, category, source)
      select 'bc-' || g, jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'q' || g)), 'q' || g, 'general', 'test'
      from generate_series(1, 40) g returning id`);
    const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { id: number | string }[];
    instructionIds = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    for (const id of [ROUND, OTHER_ROUND]) {
      await h.db.execute(sql`insert into rounds (id, status, pairing, candidates, judges, judge_mode, options)
        values (${id}, 'running', 'all-pairs', ${JSON.stringify(MODELS)}::jsonb, '["j1"]'::jsonb, 'pairwise', '{}'::jsonb)`);
    }
    // Finished battles (recorded as the worker records them: battle row and cells together), and
    // pending ones for the worker to land during the tests.
    const pairs: [string, string][] = [["m1", "m2"], ["m2", "m3"], ["m1", "m3"]];
    let k = 0;
    for (const roundId of [ROUND, OTHER_ROUND]) {
      for (let i = 0; i < 12; i++) {
        const [a, b] = pairs[i % 3] ?? ["m1", "m2"];
        const outcome = [1, 0, 0.5, 1][i % 4] ?? 1;
        const category = i % 2 === 0 ? "math" : "writing";
        await h.db.transaction(async (tx) => {
          await tx.insert(battles).values({ roundId, instructionId: instructionIds[k++] ?? 0, modelA: a, modelB: b, status: "done", outcome, margin: 1, category, finishedAt: new Date(Date.UTC(2026, 0, 1, 0, i)), styleA: { length: 100 + 7 * i, headers: i % 2, listItems: i % 3, bold: 0 }, styleB: { length: 90 + 5 * i, headers: 0, listItems: 1, bold: i % 2 } });
          await addToCells(tx, [{ roundId, category, modelA: a, modelB: b, outcome }]);
        });
      }
    }
    for (let i = 0; i < 6; i++) {
      await h.db.insert(battles).values({ roundId: ROUND, instructionId: instructionIds[k++] ?? 0, modelA: "m1", modelB: "m3", status: "pending", category: "math" });
    }
  });
  afterAll(async () => {
    if (worker !== h) await worker?.close();
    await h?.close();
  });

  const q = (over: Partial<BoardQuery> = {}): BoardQuery => ({ method: "bt", bootstrap: 20, styleControl: false, seed: 3, minBattles: 2, ...over });

  /** The cached answer, checked against a fresh computation of the same query. */
  async function cachedAndFresh(cache: BoardCache<Leaderboard>, query: BoardQuery): Promise<Leaderboard> {
    const cached = await leaderboard(h.db, query, cache);
    expect(cached).toEqual(await leaderboard(h.db, query));
    return cached;
  }

  /** The worker's path: claim one pending battle of the round and complete it, cells in the same transaction. */
  async function landBattle(outcome: number | null): Promise<void> {
    const [job] = await battleQueue.claim(worker.db, "bc-worker", 1, 60_000);
    if (!job) throw new Error("no pending battle left to land");
    const done = await battleQueue.complete(worker.db, job.id, "bc-worker", {
      set: { outcome, margin: outcome === null ? null : 1 },
      write: async (tx, row) => {
        if (outcome !== null) await addToCells(tx, [{ ...row, outcome }]);
        else await markBoardsChanged(tx, [row.roundId]);
      },
    });
    expect(done).toBe(true);
  }

  it("a cached board equals a fresh one, and an unchanged board is served from its entry", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    for (const query of [q(), q({ roundId: ROUND }), q({ method: "elo" }), q({ method: "newman", category: "math" }), q({ styleControl: true, bootstrap: 5 })]) {
      const first = await cachedAndFresh(cache, query);
      expect(first.items.length).toBeGreaterThan(0);
      const hits = cache.hits;
      expect(await leaderboard(h.db, query, cache)).toBe(first);
      expect(cache.hits).toBe(hits + 1);
    }
  });

  it("different query parameters never share an entry", async () => {
    const cache = new BoardCache<Leaderboard>(32);
    const queries = [q(), q({ seed: 4 }), q({ bootstrap: 21 }), q({ minBattles: 50 }), q({ method: "davidson" }), q({ roundId: OTHER_ROUND }), q({ category: "writing" }), q({ baseline: "m2" }), q({ models: ["m1", "m2"] })];
    const boards = [];
    for (const query of queries) boards.push(await cachedAndFresh(cache, query));
    expect(cache.size).toBe(queries.length);
    expect(cache.computed).toBe(queries.length);
    // The entries really are different boards (each checked equal to its own fresh computation above).
    expect(new Set(boards.map((b) => JSON.stringify(b))).size).toBe(queries.length);
  });

  it("a battle landed by a worker on another connection changes the next answer; another round's board stays cached", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    const before = await cachedAndFresh(cache, q());
    const beforeRound = await cachedAndFresh(cache, q({ roundId: ROUND }));
    const otherRound = await cachedAndFresh(cache, q({ roundId: OTHER_ROUND }));
    await landBattle(1);
    const after = await cachedAndFresh(cache, q());
    expect(after).not.toEqual(before);
    expect(await cachedAndFresh(cache, q({ roundId: ROUND }))).not.toEqual(beforeRound);
    expect(await leaderboard(h.db, q({ roundId: OTHER_ROUND }), cache)).toBe(otherRound);
    // Each landed battle, one after another: never the board of the battle before.
    for (let i = 0; i < 3; i++) {
      const prev = await leaderboard(h.db, q(), cache);
      await landBattle(i % 2);
      expect(await cachedAndFresh(cache, q())).not.toEqual(prev);
    }
  });

  it("a battle finished without an outcome moves the version (per-judge boards read its games)", async () => {
    const v = await readBoardVersion(h.db, { roundId: ROUND });
    await landBattle(null);
    expect(await readBoardVersion(h.db, { roundId: ROUND })).toBeGreaterThan(v);
    expect(await readBoardVersion(h.db, { roundId: OTHER_ROUND })).toBe(await readBoardVersion(h.db, { roundId: OTHER_ROUND }));
  });

  it("imported battles invalidate the boards that include them", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    const before = await cachedAndFresh(cache, q());
    const roundBoard = await cachedAndFresh(cache, q({ roundId: ROUND }));
    const out = await storeBattles(worker.db, [
      { line: 1, battle: { modelA: "m3", modelB: "m1", outcome: 1, id: "bc-imp-1" } },
      { line: 2, battle: { modelA: "m3", modelB: "m2", outcome: 1, id: "bc-imp-2" } },
    ]);
    expect(out.imported).toBe(2);
    expect(await cachedAndFresh(cache, q())).not.toEqual(before);
    // Imports have no round: a round's board is unchanged and still served from its entry.
    expect(await leaderboard(h.db, q({ roundId: ROUND }), cache)).toBe(roundBoard);
  });

  it("a human override moving a battle between cells invalidates the board", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    const query = q({ roundId: OTHER_ROUND });
    const before = await cachedAndFresh(cache, query);
    const [b] = await h.db
      .select({ id: battles.id })
      .from(battles)
      .where(and(eq(battles.roundId, OTHER_ROUND), eq(battles.outcome, 1)))
      .limit(1);
    if (!b) throw new Error("seed has a won battle");
    const rec = await recordVerdict(worker.db, { roundId: OTHER_ROUND, battleId: b.id, reviewer: { kind: "key", id: "bc-reviewer" }, verdict: "B", note: null }, true);
    expect(rec.outcome).toBe(0);
    expect(await cachedAndFresh(cache, query)).not.toEqual(before);
  });

  it("concurrent identical requests at one version share one computation", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    const query = q({ bootstrap: 50, seed: 9 });
    const boards = await Promise.all(Array.from({ length: 12 }, () => leaderboard(h.db, query, cache)));
    expect(cache.computed).toBe(1);
    for (const b of boards) expect(b).toBe(boards[0]);
    expect(boards[0]).toEqual(await leaderboard(h.db, query));
  });

  it("an unknown round is still a 404, and is not stored", async () => {
    const cache = new BoardCache<Leaderboard>(16);
    await expect(leaderboard(h.db, q({ roundId: "bc-missing" }), cache)).rejects.toThrow("round 'bc-missing' not found");
    expect(cache.size).toBe(0);
  });
});
