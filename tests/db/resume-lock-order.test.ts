/**
 * Resuming a budget-stopped round or run takes the owner row before the budget row, the order the
 * budget stop and every spend-settling insert use. On PostgreSQL the other order deadlocks: a worker
 * holding the owner row and settling into the budget row meets a resume holding the budget row and
 * waiting for the owner row, and PostgreSQL kills one of them (a 500 on POST .../resume).
 * PostgreSQL only: PGlite has one connection, so two transactions never interleave there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "../../db/client.js";
import { setBudgetCaps } from "../../db/budget-ledger.js";
import { budgets, genRuns, rounds } from "../../db/schema/index.js";
import { resumeRound } from "../../battles/round-store.js";
import { resumeRun } from "../../src/generator/engine/task-queue.js";
import { dbTargets } from "../helpers/db.js";

const pg = dbTargets().filter((t) => t.name === "postgres" && t.available);

describe.skipIf(pg.length === 0)("resume lock order against a settling worker (PostgreSQL)", () => {
  let h: DbHandle;
  beforeAll(async () => {
    const target = pg[0];
    if (target) h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases = [
    {
      name: "round",
      scope: "round" as const,
      create: async (id: string) => void (await h.db.insert(rounds).values({ id, pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"], status: "budget_exhausted" })),
      lockOwner: (tx: Pick<DbHandle["db"], "select">, id: string) => tx.select({ id: rounds.id }).from(rounds).where(eq(rounds.id, id)).for("update"),
      resume: (id: string) => resumeRound(h.db, id, { maxCostUsd: 10 }),
    },
    {
      name: "generator run",
      scope: "run" as const,
      create: async (id: string) => void (await h.db.insert(genRuns).values({ id, kind: "personas", stage: "personas", params: {}, status: "budget_exhausted" })),
      lockOwner: (tx: Pick<DbHandle["db"], "select">, id: string) => tx.select({ id: genRuns.id }).from(genRuns).where(eq(genRuns.id, id)).for("update"),
      resume: (id: string) => resumeRun(h.db, id, { maxCostUsd: 10 }),
    },
  ];
  for (const tc of cases) {
    it(`${tc.name}: a resume meeting a worker that holds the owner row and settles spend completes, no deadlock`, async () => {
      const id = `lock-${tc.scope}-${Date.now()}`;
      await tc.create(id);
      await setBudgetCaps(h.db, { scope: tc.scope, ownerId: id }, { maxCostUsd: 1 });
      let resumed: Promise<number> | undefined;
      // The worker's transaction: owner row, then (after the resume has started) the budget row.
      await h.db.transaction(async (tx) => {
        await tc.lockOwner(tx, id);
        resumed = tc.resume(id);
        await new Promise((r) => setTimeout(r, 300));
        await tx.update(budgets).set({ reservedCostUsd: sql`0` }).where(eq(budgets.ownerId, id));
      });
      await expect(resumed).resolves.toBeTypeOf("number");
      const [b] = await h.db.select().from(budgets).where(eq(budgets.ownerId, id));
      expect(b?.maxCostUsd).toBe(10);
    });
  }
});
