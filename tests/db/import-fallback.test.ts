/**
 * Defence in depth behind the per-line validation: when the database refuses a batch anyway, the batch
 * is stored line by line and only the refused lines come back, with a readable reason (no SQL text);
 * an unavailable database still fails the call instead of rejecting every line. The rows here bypass
 * validation on purpose, so the database itself does the refusing (the long name is random so that
 * PostgreSQL cannot compress it under the index entry limit).
 */
import { randomBytes } from "node:crypto";
import { count, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client.js";
import { battleCells, battles, instructions } from "../../db/schema/index.js";
import { type NumberedBattle, storeBattles } from "../../src/services/battle-import.js";
import { conversationHash, storeInstructionRows } from "../../src/services/instructions.js";
import { describeEachDb } from "../helpers/db.js";

const battle = (line: number, modelA: string, id: string): NumberedBattle => ({ line, battle: { modelA, modelB: "b", outcome: 1, id } });
const instruction = (index: number, text: string) => ({
  index,
  row: { contentHash: conversationHash([{ role: "user", content: text }]), messages: [{ role: "user" as const, content: text }], text, source: "fallback" },
});

describeEachDb("refused batches fall back to line by line on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("battles: only the refused lines are rejected, the rest and their cells are stored", async () => {
    const batch = [battle(1, "a", "f1"), battle(2, "a\u0000", "f2"), battle(3, "c", "f3"), battle(4, randomBytes(7000).toString("base64"), "f4"), battle(5, "a", "f1")];
    const out = await storeBattles(h.db, batch);
    expect(out.imported).toBe(2);
    expect(out.skipped).toBe(1);
    expect(out.refused.map((r) => r.line)).toEqual([2, 4]);
    expect(out.refused[0]?.reason).toContain("cannot store");
    expect(out.refused[1]?.reason).toContain("too long");
    for (const r of out.refused) expect(r.reason).not.toMatch(/insert|select|\$\d/i);
    const [b] = await h.db.select({ n: count() }).from(battles);
    const [c] = await h.db.select({ n: sum(battleCells.count) }).from(battleCells);
    expect(b?.n).toBe(2);
    expect(Number(c?.n)).toBe(2);
  });

  it("instructions: only the refused rows are rejected, by index", async () => {
    const out = await storeInstructionRows(h.db, [instruction(0, "fine one"), instruction(7, "nul\u0000"), instruction(9, "fine two")]);
    expect(out.ids).toHaveLength(2);
    expect(out.refused).toEqual([{ index: 7, reason: expect.stringContaining("cannot store") as unknown as string }]);
    const [i] = await h.db.select({ n: count() }).from(instructions);
    expect(i?.n).toBe(2);
  });

  it("an unavailable database fails the call instead of rejecting every line", async () => {
    const gone = await target.open();
    await gone.close();
    await expect(storeBattles(gone.db, [battle(1, "a", "g1"), battle(2, "b\u0000", "g2")])).rejects.toThrow();
    await expect(storeInstructionRows(gone.db, [instruction(0, "x"), instruction(1, "y\u0000")])).rejects.toThrow();
  });
});
