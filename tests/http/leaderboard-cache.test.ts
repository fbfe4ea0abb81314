/**
 * GET /v1/leaderboard through the server's board cache: a repeated query is answered from the entry
 * (the same board as a server with MATRIX_ARENA_BOARD_CACHE=0 computes), and battles imported over the
 * API change the next answer at once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

interface Board { items: { model: string; rating: number; battles?: number; decisive: number }[] }

const log = (prefix: string, n: number, winner: string) =>
  Array.from({ length: n }, (_, k) => JSON.stringify({ id: `${prefix}${k}`, model_a: "m-a", model_b: k % 2 ? "m-b" : "m-c", winner: k % 3 === 0 ? "tie" : winner })).join("\n");

describeEachDb("leaderboard route with the board cache on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    const res = await t.req("POST", "/v1/battles/import", log("a", 20, "model_a"), { headers: { "content-type": "application/x-ndjson" } });
    expect(await json(res)).toMatchObject({ imported: 20 });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });

  const board = async (q: string) => {
    const res = await t.req("GET", `/v1/leaderboard?${q}`);
    expect(res.status).toBe(200);
    return json<Board>(res);
  };

  it("serves a repeated query from the cache, equal to a fresh fit, and refits after an import", async () => {
    expect(t.deps.boardCache.enabled).toBe(true);
    const first = await board("bootstrap=30&seed=2");
    const computed = t.deps.boardCache.computed;
    expect(await board("bootstrap=30&seed=2")).toEqual(first);
    expect(t.deps.boardCache.computed).toBe(computed);
    // Another seed is another board.
    await board("bootstrap=30&seed=3");
    expect(t.deps.boardCache.computed).toBe(computed + 1);

    const res = await t.req("POST", "/v1/battles/import", log("b", 10, "model_b"), { headers: { "content-type": "application/x-ndjson" } });
    expect(await json(res)).toMatchObject({ imported: 10 });
    const after = await board("bootstrap=30&seed=2");
    expect(after).not.toEqual(first);
    expect(t.deps.boardCache.computed).toBe(computed + 2);
    const decisive = Object.fromEntries(after.items.map((i) => [i.model, i.decisive]));
    expect(decisive["m-a"]).toBeGreaterThan(Object.fromEntries(first.items.map((i) => [i.model, i.decisive]))["m-a"] ?? Infinity);
  });

  it("answers the same board with the cache off", async () => {
    const off = await makeTestApp(t.deps.dbHandle, { MATRIX_ARENA_BOARD_CACHE: "0" });
    try {
      expect(off.deps.boardCache.enabled).toBe(false);
      const res = await off.req("GET", "/v1/leaderboard?bootstrap=30&seed=2");
      expect(await json(res)).toEqual(await board("bootstrap=30&seed=2"));
    } finally {
      await off.close();
    }
  });
});
