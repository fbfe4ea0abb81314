/**
 * Publishing MATRIX-Gen multi-turn items on both drivers: an item of user turns only becomes a
 * multi-turn instruction (`turns`, the first turn in `messages`), an item repeating the turns of a
 * multi-turn pool instruction is an exact duplicate of it (the pool is compared on all its turns), and
 * an older multi-turn item with assistant messages stays a conversation prefix as before.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DbHandle } from "../../db/client.js";
import { genItems, genRuns, instructions } from "../../db/schema/index.js";
import { insertItems } from "../../src/generator/stores/items.js";
import { importInstructions } from "../../src/services/instructions.js";
import { publishRun } from "../../src/services/generator-publish.js";
import { describeEachDb } from "../helpers/db.js";

describeEachDb("publishing multi-turn items on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("stores user turns as a multi-turn instruction and dedups against multi-turn pool instructions", async () => {
    const pooled = ["Plan a week of vegetarian dinners for a family of four on a tight budget.", "Now swap every dish that needs an oven for a stovetop one."];
    expect((await importInstructions(h.db, [{ turns: pooled, source: "seed" }])).inserted).toBe(1);
    await h.db.insert(genRuns).values({ id: "mt-run", kind: "matrix-gen", stage: "write", params: {}, status: "done" });
    const fresh = ["Draft a polite complaint to my landlord about the broken heating in our flat since November.", "Make it firmer and mention the tenancy agreement clause on repairs."];
    const u = (content: string) => ({ role: "user" as const, content });
    await insertItems(h.db, "mt-run", "write:1", [
      { kind: "multi-turn", category: "writing", complexity: 2, messages: fresh.map(u), metadata: { key: "fresh" } },
      { kind: "multi-turn", category: "writing", complexity: 2, messages: pooled.map(u), metadata: { key: "dup" } },
      { kind: "multi-turn", category: "writing", complexity: 2, messages: [u("Suggest a name for a bakery that sells only sourdough bread and pastries."), { role: "assistant", content: "Crumb & Crust." }, u("Give three more options with a pun in each.")], metadata: { key: "old" } },
    ]);
    const [run] = await h.db.select().from(genRuns).where(eq(genRuns.id, "mt-run"));
    const res = await publishRun(h.db, run ?? null, "mt-run", { againstPool: true });
    expect([res.published, res.byReason]).toEqual([2, { exact_duplicate: 1 }]);
    const items = await h.db.select().from(genItems).where(eq(genItems.runId, "mt-run"));
    const byKey = new Map(items.map((i) => [String((i.metadata as { key: string }).key), i]));
    expect(byKey.get("dup")?.status).toBe("removed");
    const [fromFresh] = await h.db.select().from(instructions).where(eq(instructions.id, byKey.get("fresh")?.instructionId ?? -1));
    expect(fromFresh).toMatchObject({ turns: fresh, messages: [u(fresh[0]!)], text: fresh[0] });
    const [fromOld] = await h.db.select().from(instructions).where(eq(instructions.id, byKey.get("old")?.instructionId ?? -1));
    expect(fromOld?.turns).toBeNull();
    expect(fromOld?.messages).toHaveLength(3);
  });
});
