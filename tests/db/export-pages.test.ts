/**
 * Export paging on every driver: a round larger than several pages comes out as whole instruction
 * groups, each exactly once and in id order, with every battle and answer attached; pages are
 * loaded ahead of the consumer, and a consumer that stops after the first page leaves nothing
 * failing behind it. Then the same round through the JSONL pipeline: one line per DPO pair.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { seed } from "../../bench/export.js";
import { exportGroupPages } from "../../src/exports/groups.js";
import { findRound, type RoundRow } from "../../battles/round-store.js";
import type { DbHandle } from "../../db/client.js";
import { runExport, planExport, ExportQuerySchema } from "../../src/exports/service.js";
import { describeEachDb } from "../helpers/db.js";

const INSTRUCTIONS = 530; // three pages of 200 and a partial one
const ROUND = "bench-export-round";

describeEachDb("export pages on $name", (target) => {
  let h: DbHandle;
  let round: RoundRow;
  beforeAll(async () => {
    h = await target.open();
    await seed(h, INSTRUCTIONS);
    const r = await findRound(h.db, ROUND);
    if (!r) throw new Error("seeded round missing");
    round = r;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it("yields every instruction once, in id order, in pages of at most 200, with its battles and answers", async () => {
    const ids: number[] = [];
    const sizes: number[] = [];
    for await (const page of exportGroupPages(h.db, [round])) {
      sizes.push(page.length);
      for (const g of page) {
        ids.push(Number(g.instruction.id));
        expect(g.battles.map((b) => b.modelB).sort()).toEqual(["o1", "o2", "o3", "o4"]);
        expect(g.answers.map((a) => a.model).sort()).toEqual(["o1", "o2", "o3", "o4", "t"]);
        expect(g.target).toBe("t");
      }
    }
    expect(ids).toHaveLength(INSTRUCTIONS);
    expect(new Set(ids).size).toBe(INSTRUCTIONS);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(sizes).toEqual([200, 200, 130]);
  });

  it("streams one JSONL line per DPO pair through the chunked pipeline", async () => {
    const plan = await planExport(h.db, "dpo", ExportQuerySchema.parse({ roundId: ROUND, dedup: "false", format: "trl" }));
    const run = runExport(h.db, plan);
    const chunks: Uint8Array[] = [];
    for await (const c of run.chunks) chunks.push(c);
    const text = Buffer.concat(chunks).toString("utf8");
    const lines = text.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(INSTRUCTIONS * 4);
    expect(run.lines()).toBe(INSTRUCTIONS * 4);
    const first = JSON.parse(lines[0] ?? "{}") as { prompt: { role: string }[]; chosen: { content: string }[]; rejected: { content: string }[] };
    expect(first.prompt[0]?.role).toBe("user");
    // o1 and o2 beat the target; o3 and o4 lose to it.
    expect(first.chosen[0]?.content.startsWith("Answer from o1")).toBe(true);
    expect(first.rejected[0]?.content.startsWith("Answer from t")).toBe(true);
    expect(run.selector.summary().rows).toBe(INSTRUCTIONS * 4);
  });

  // Last: it closes the database under the abandoned prefetches, so their queries fail unobserved.
  it("stops cleanly after the first page while later pages are still loading", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      for await (const page of exportGroupPages(h.db, [round])) {
        expect(page.length).toBe(200);
        break;
      }
      await h.close();
      // Let the abandoned prefetches settle (they fail: the database is gone).
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

});
