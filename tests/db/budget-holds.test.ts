/**
 * A killed worker's reservations (db/budget-ledger.ts holds) on both drivers and both bindings of the
 * budget stop: a worker reserves for a job and dies; its lease expires and another worker takes the job
 * over. Before holds, the dead reservation stayed on the budget until the parent went quiet, so a
 * tight budget refused the new worker's calls and the parent stopped as budget_exhausted with room
 * left. Now the "wait" refusal gives back the holds of owners that lost their lease, the parent keeps
 * running, and a late settle of a given-back reservation (a slow worker whose lease expired) does not
 * give it back twice.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadRoundBudget } from "../../battles/budget.js";
import { battleQueue, roundBudgetStop } from "../../battles/queue.js";
import { type BudgetKey, readBudget, reserveSpend, setBudgetCaps } from "../../db/budget-ledger.js";
import type { BudgetEvent } from "../../db/budget-stop.js";
import type { Db, DbHandle } from "../../db/client.js";
import { battles, budgetHolds, genRuns, genTasks, rounds } from "../../db/schema/index.js";
import { loadRunGuard, runBudgetStop } from "../../src/generator/engine/run-budget.js";
import { taskQueue } from "../../src/generator/engine/task-queue.js";
import { describeEachDb } from "../helpers/db.js";

const EST = { tokens: 100, costUsd: 0.3 };
/** Room for two calls' worst case (0.6 <= 0.7), not three. */
const CAPS = { maxCostUsd: 0.7, maxTokens: null };

interface Guard {
  reserve(est: typeof EST, opts?: { detached?: boolean }): Promise<boolean>;
  finish(est: typeof EST, actual: typeof EST | null, opts?: { detached?: boolean }): Promise<void>;
}

interface Binding {
  name: string;
  scope: BudgetKey["scope"];
  parent(db: Db, id: string): Promise<void>;
  jobs(db: Db, id: string, n: number): Promise<void>;
  claim(db: Db, owner: string): Promise<{ id: number }[]>;
  expire(db: Db, jobId: number): Promise<void>;
  guard(db: Db, id: string, job: number, owner: string): Promise<Guard>;
  stop(db: Db, id: string, event: BudgetEvent): Promise<boolean>;
  status(db: Db, id: string): Promise<string>;
}

const BINDINGS: Binding[] = [
  {
    name: "rounds",
    scope: "round",
    parent: async (db, id) => {
      await db.insert(rounds).values({ id, pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"], status: "running" });
      await setBudgetCaps(db, { scope: "round", ownerId: id }, CAPS);
    },
    jobs: async (db, id, n) => void (await db.insert(battles).values(Array.from({ length: n }, (_, i) => ({ roundId: id, modelA: `a${i}`, modelB: "b" })))),
    claim: (db, owner) => battleQueue.claim(db, owner, 10, 60_000),
    expire: async (db, jobId) => void (await db.update(battles).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(battles.id, jobId))),
    guard: async (db, id, job, owner) => {
      const budget = await loadRoundBudget(db, id, { job, owner });
      if (!budget) throw new Error("no budget");
      const tab = budget.tab();
      // A round's call with a result is settled in its row's insert (battles/spend.ts storeOnce): done here at once.
      return {
        reserve: (est, opts) => tab.reserve(est, opts),
        finish: async (est, actual, opts) => {
          await tab.finish(est, actual, opts);
          if (actual) await tab.settle(db, true);
        },
      };
    },
    stop: roundBudgetStop,
    status: async (db, id) => (await db.select({ s: rounds.status }).from(rounds).where(eq(rounds.id, id)))[0]?.s ?? "",
  },
  {
    name: "generator runs",
    scope: "run",
    parent: async (db, id) => {
      await db.insert(genRuns).values({ id, kind: "personas", stage: "personas", params: {}, status: "running" });
      await setBudgetCaps(db, { scope: "run", ownerId: id }, CAPS);
    },
    jobs: async (db, id, n) => void (await db.insert(genTasks).values(Array.from({ length: n }, (_, i) => ({ runId: id, stage: "personas", kind: "persona", key: `k${i}`, input: {} })))),
    claim: (db, owner) => taskQueue.claim(db, owner, 10, 60_000),
    expire: async (db, jobId) => void (await db.update(genTasks).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(genTasks.id, jobId))),
    guard: async (db, id, job, owner) => {
      const g = await loadRunGuard(db, id, { job, owner });
      if (!g) throw new Error("no budget");
      return g;
    },
    stop: runBudgetStop,
    status: async (db, id) => (await db.select({ s: genRuns.status }).from(genRuns).where(eq(genRuns.id, id)))[0]?.s ?? "",
  },
];

let seq = 0;
const nextId = (tag: string) => `bh-${tag}-${Date.now()}-${seq++}`;

describeEachDb("budget holds on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });
  const reserved = async (k: BudgetKey) => (await readBudget(h.db, k))?.reservedCostUsd ?? NaN;

  for (const b of BINDINGS) {
    it(`${b.name}: a killed worker's reservation is given back when it blocks the worker that took its job over`, async () => {
      const id = nextId(b.scope);
      const key: BudgetKey = { scope: b.scope, ownerId: id };
      await b.parent(h.db, id);
      await b.jobs(h.db, id, 1);
      const [job] = await b.claim(h.db, "w1");
      if (!job) throw new Error("nothing claimed");
      // w1 reserves two calls' worst case for its job, then dies without settling either.
      const dead = await b.guard(h.db, id, job.id, "w1");
      expect(await dead.reserve(EST)).toBe(true);
      expect(await dead.reserve(EST)).toBe(true);
      expect(await reserved(key)).toBeCloseTo(0.6, 9);
      await b.expire(h.db, job.id);
      const [again] = await b.claim(h.db, "w2");
      expect(again?.id).toBe(job.id);
      const live = await b.guard(h.db, id, job.id, "w2");
      // Only the dead reservations stand in the way: settled spend is 0 of 0.7.
      expect(await reserveSpend(h.db, key, EST, { job: job.id, owner: "w2" })).toBe("wait");
      // The refusal's stop gives them back instead of stopping the parent.
      expect(await b.stop(h.db, id, "wait")).toBe(false);
      expect(await b.status(h.db, id)).toBe("running");
      expect(await reserved(key)).toBeCloseTo(0, 9);
      expect(await live.reserve(EST)).toBe(true);
      expect(await reserved(key)).toBeCloseTo(0.3, 9);
      const holds = await h.db.select().from(budgetHolds).where(and(eq(budgetHolds.scope, b.scope), eq(budgetHolds.ownerId, id)));
      expect(holds.map((x) => x.holder)).toEqual(["w2"]);
    });

    it(`${b.name}: a detached reservation (a provider batch call's) outlives its job's lease and is settled by whoever takes the answer`, async () => {
      const id = nextId(b.scope);
      const key: BudgetKey = { scope: b.scope, ownerId: id };
      await b.parent(h.db, id);
      await b.jobs(h.db, id, 1);
      const [job] = await b.claim(h.db, "w1");
      if (!job) throw new Error("nothing claimed");
      const w1 = await b.guard(h.db, id, job.id, "w1");
      expect(await w1.reserve(EST, { detached: true })).toBe(true);
      expect(await w1.reserve(EST)).toBe(true);
      // The job parks on its batch call (or its worker dies): the lease is gone.
      await b.expire(h.db, job.id);
      expect(await b.stop(h.db, id, "wait")).toBe(false);
      // Only the held reservation is given back; the batch call's stays reserved while the provider works on it.
      expect(await reserved(key)).toBeCloseTo(0.3, 9);
      const [again] = await b.claim(h.db, "w2");
      expect(again?.id).toBe(job.id);
      const w2 = await b.guard(h.db, id, job.id, "w2");
      await w2.finish(EST, { tokens: 40, costUsd: 0.15 }, { detached: true });
      const row = await readBudget(h.db, key);
      expect(row?.reservedCostUsd).toBeCloseTo(0, 9);
      expect(row?.spentCostUsd).toBeCloseTo(0.15, 9);
    });

    it(`${b.name}: a late settle of a given-back reservation does not give it back twice; a live holder keeps its hold`, async () => {
      const id = nextId(b.scope);
      const key: BudgetKey = { scope: b.scope, ownerId: id };
      await b.parent(h.db, id);
      await b.jobs(h.db, id, 2);
      const [slowJob, liveJob] = await b.claim(h.db, "w1");
      if (!slowJob || !liveJob) throw new Error("nothing claimed");
      const slow = await b.guard(h.db, id, slowJob.id, "w1");
      const live = await b.guard(h.db, id, liveJob.id, "w1");
      expect(await slow.reserve(EST)).toBe(true);
      expect(await live.reserve(EST)).toBe(true);
      // Only the slow job's lease runs out; its worker is still there and settles later.
      await b.expire(h.db, slowJob.id);
      const [taken] = await b.claim(h.db, "w2");
      expect(taken?.id).toBe(slowJob.id);
      const w2 = await b.guard(h.db, id, slowJob.id, "w2");
      expect(await reserveSpend(h.db, key, EST, { job: slowJob.id, owner: "w2" })).toBe("wait"); // 0.9 > 0.7
      expect(await b.stop(h.db, id, "wait")).toBe(false);
      // The slow job's hold is given back; the live job's (lease held) is kept.
      expect(await reserved(key)).toBeCloseTo(0.3, 9);
      expect(await w2.reserve(EST)).toBe(true);
      expect(await reserved(key)).toBeCloseTo(0.6, 9);
      // The slow worker's call fails late: its reservation was given back already, so nothing moves.
      await slow.finish(EST, null);
      expect(await reserved(key)).toBeCloseTo(0.6, 9);
      // The live ones settle with their real spend: reservations back to 0, spend counted once each.
      await w2.finish(EST, { tokens: 50, costUsd: 0.1 });
      await live.finish(EST, { tokens: 50, costUsd: 0.1 });
      const row = await readBudget(h.db, key);
      expect(row?.reservedCostUsd).toBeCloseTo(0, 9);
      expect(row?.spentCostUsd).toBeCloseTo(0.2, 9);
    }, 30_000);
  }
});
