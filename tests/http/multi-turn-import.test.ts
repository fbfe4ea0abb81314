/**
 * Importing multi-turn instructions (`turns`) and the round option `judgeTurns`, on every driver: hostile
 * turns are rejected one by one naming the field (the import's per-item contract, the rest go in), a
 * round with a bad `judgeTurns` is a 400 naming it, and a stored multi-turn instruction keeps its first
 * user turn in `messages`/`text` with every turn in `turns`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbTargets } from "../helpers/db.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

for (const target of dbTargets()) {
  describe(`multi-turn import on ${target.name}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp(await target.open());
    });
    afterAll(async () => {
      await t.close();
      await t.deps.dbHandle.close();
    });

    it.each([
      { name: "empty turns", item: { turns: [] }, reason: /^turns: give at least two user turns/ },
      { name: "one turn", item: { turns: ["only one"] }, reason: /^turns: give at least two/ },
      { name: "a non-string turn", item: { turns: ["first", 7] }, reason: /^turns\.1: / },
      { name: "an empty turn", item: { turns: ["first", "  "] }, reason: /^turns\.1: must not be empty/ },
      { name: "a turn too long", item: { turns: ["first", "x".repeat(200_001)] }, reason: /^turns\.1: / },
      { name: "too many turns", item: { turns: Array.from({ length: 33 }, (_, i) => `turn ${i}`) }, reason: /^turns: at most 32 turns/ },
      { name: "NUL in a turn", item: { turns: ["first", "a\u0000b"] }, reason: /^turns\.1: / },
      { name: "turns is not an array", item: { turns: "first" }, reason: /^turns: / },
      { name: "turns with text", item: { turns: ["a", "b"], text: "a" }, reason: /^text: give text or turns, not both/ },
      { name: "turns with user messages", item: { turns: ["a", "b"], messages: [{ role: "user", content: "c" }] }, reason: /^messages: with turns, messages may hold only system messages/ },
    ])("rejects $name naming the field", async ({ name, item, reason }) => {
      const res = await t.req("POST", "/v1/instructions", { items: [item, { text: `a good one next to ${name}` }] });
      expect(res.status).toBe(200);
      const body = await json<{ inserted: number; rejected: { index: number; reason: string }[] }>(res);
      expect(body.rejected).toHaveLength(1);
      expect(body.rejected[0]?.index).toBe(0);
      expect(body.rejected[0]?.reason).toMatch(reason);
      expect(body.inserted).toBe(1);
    });

    it("stores the turns, the first one as messages/text, and drops an exact duplicate", async () => {
      const item = { turns: ["Plan a trip to Kyoto.", "Now make it three days shorter."], messages: [{ role: "system", content: "You are a travel agent." }], source: "mt" };
      const res = await json<{ inserted: number; duplicates: number }>(await t.req("POST", "/v1/instructions", { items: [item, item, { ...item, turns: [...item.turns, "And cheaper."] }] }));
      expect([res.inserted, res.duplicates]).toEqual([2, 1]);
      const list = await json<{ items: { turns: string[] | null; messages: unknown; text: string }[] }>(await t.req("GET", "/v1/instructions?source=mt"));
      expect(list.items[0]).toMatchObject({ turns: item.turns, text: "Plan a trip to Kyoto.", messages: [item.messages[0], { role: "user", content: "Plan a trip to Kyoto." }] });
      // A single-turn conversation of the same first message is a different instruction.
      const single = await json<{ inserted: number }>(await t.req("POST", "/v1/instructions", { items: [{ messages: [...item.messages, { role: "user", content: "Plan a trip to Kyoto." }], source: "mt" }] }));
      expect(single.inserted).toBe(1);
    });

    it("refuses a round with an unknown judgeTurns, naming it", async () => {
      const res = await t.req("POST", "/v1/rounds", { candidates: ["a", "b"], pairing: "all-pairs", judges: ["j"], judgeTurns: "first" });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain("judgeTurns");
    });
  });
}
