/**
 * The engine's one budget stop (db/budget-stop.ts) on both drivers, through both of its bindings
 * (rounds over battles: battles/queue.ts `roundBudgetStop`; runs over gen_tasks:
 * src/generator/engine/run-budget.ts `runBudgetStop`). The state machine: "ended" never stops an
 * active parent; "wait" stops it only with nothing in flight; "never" stops it at once, with the jobs
 * in flight named in the error and their reservations kept; the last "ended" rewrites the error from
 * the final counters and clears the leftover reservations. Each binding's message reads its own
 * counters (a round's spend counters, a run's settled ledger spend).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { roundBudgetStop } from "../../battles/queue.js";
import { addRoundSpend } from "../../battles/spend.js";
import { type BudgetKey, readBudget, reserveSpend, setBudgetCaps } from "../../db/budget-ledger.js";
import type { BudgetEvent } from "../../db/budget-stop.js";
import type { Db, DbHandle } from "../../db/client.js";
import { battles, budgets, genRuns, genTasks, rounds } from "../../db/schema/index.js";
import { runBudgetStop } from "../../src/generator/engine/run-budget.js";
import { describeEachDb } from "../helpers/db.js";

interface Parent {
  status: string;
  error: string | null;
  finishedAt: Date | null;
}

/** One binding of the stop, with fixtures for its parent and job tables. */
interface Binding {
  name: string;
  scope: BudgetKey["scope"];
  noun: string;
  stop(db: Db, id: string, event: BudgetEvent): Promise<boolean>;
  parent(db: Db, id: string, status: string): Promise<void>;
  jobs(db: Db, id: string, statuses: string[]): Promise<number[]>;
  setJob(db: Db, jobId: number, status: string): Promise<void>;
  read(db: Db, id: string): Promise<Parent>;
  /** Records settled spend the way the binding's message reads it. */
  spend(db: Db, id: string, tokens: number, costUsd: number): Promise<void>;
}

const CAPS = { maxCostUsd: 0.5, maxTokens: null };

const BINDINGS: Binding[] = [
  {
    name: "rounds",
    scope: "round",
    noun: "battle",
    stop: roundBudgetStop,
    parent: async (db, id, status) => {
      await db.insert(rounds).values({ id, pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"], status });
      await setBudgetCaps(db, { scope: "round", ownerId: id }, CAPS);
    },
    jobs: async (db, id, statuses) => (await db.insert(battles).values(statuses.map((status, i) => ({ roundId: id, modelA: `a${i}`, modelB: "b", status }))).returning({ id: battles.id })).map((r) => r.id),
    setJob: async (db, jobId, status) => void (await db.update(battles).set({ status }).where(eq(battles.id, jobId))),
    read: async (db, id) => {
      const [row] = await db.select().from(rounds).where(eq(rounds.id, id));
      if (!row) throw new Error(`no round ${id}`);
      return row;
    },
    // A round's message reads its spend counters (what GET /v1/rounds/{id} shows), not the ledger.
    spend: (db, id, tokens, costUsd) => addRoundSpend(db, id, "answer", { promptTokens: tokens, completionTokens: 0, costUsd }),
  },
  {
    name: "generator runs",
    scope: "run",
    noun: "task",
    stop: runBudgetStop,
    parent: async (db, id, status) => {
      await db.insert(genRuns).values({ id, kind: "personas", stage: "personas", params: {}, status });
      await setBudgetCaps(db, { scope: "run", ownerId: id }, CAPS);
    },
    jobs: async (db, id, statuses) => (await db.insert(genTasks).values(statuses.map((status, i) => ({ runId: id, stage: "personas", kind: "persona", key: `k${i}`, input: {}, status }))).returning({ id: genTasks.id })).map((r) => r.id),
    setJob: async (db, jobId, status) => void (await db.update(genTasks).set({ status }).where(eq(genTasks.id, jobId))),
    read: async (db, id) => {
      const [row] = await db.select().from(genRuns).where(eq(genRuns.id, id));
      if (!row) throw new Error(`no run ${id}`);
      return row;
    },
    // A run keeps no per-call rows: its message reads the ledger's settled spend.
    spend: async (db, id, tokens, costUsd) => void (await db.update(budgets).set({ spentTokens: tokens, spentCostUsd: costUsd }).where(and(eq(budgets.scope, "run"), eq(budgets.ownerId, id)))),
  },
];

let seq = 0;
const nextId = (tag: string) => `bs-${tag}-${Date.now()}-${seq++}`;

/** The text budgetStopMessage (battles/budget.ts) writes for CAPS, computed by hand for these figures. */
const expected = (noun: string, pending: number) => `budget exhausted: spent $0.25 of $0.5 and 1200 tokens; the next call does not fit, ${pending} ${noun}(s) left pending (raise the budget and resume)`;

describeEachDb("budget stop on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const b of BINDINGS) {
    const key = (id: string): BudgetKey => ({ scope: b.scope, ownerId: id });

    it(`${b.name}: "never" stops at once and names the jobs in flight; the last "ended" writes the final error and clears reservations`, async () => {
      const id = nextId(b.scope);
      await b.parent(h.db, id, "running");
      const [running] = await b.jobs(h.db, id, ["running", "pending", "done"]);
      await b.spend(h.db, id, 1200, 0.25);
      expect(await reserveSpend(h.db, key(id), { tokens: 100, costUsd: 0.1 })).toBe("reserved");

      expect(await b.stop(h.db, id, "ended")).toBe(false);
      expect((await b.read(h.db, id)).status).toBe("running");

      expect(await b.stop(h.db, id, "never")).toBe(true);
      const stopped = await b.read(h.db, id);
      expect(stopped.status).toBe("budget_exhausted");
      expect(stopped.finishedAt).not.toBeNull();
      expect(stopped.error).toBe(`${expected(b.noun, 1)}; 1 ${b.noun}(s) in flight still settling`);
      // The job in flight still holds its reservation.
      expect((await readBudget(h.db, key(id)))?.reservedCostUsd).toBeCloseTo(0.1, 12);

      // A second "never" on a stopped parent does not stop it again.
      expect(await b.stop(h.db, id, "never")).toBe(false);

      if (running === undefined) throw new Error("no job inserted");
      await b.setJob(h.db, running, "done");
      expect(await b.stop(h.db, id, "ended")).toBe(false);
      const final = await b.read(h.db, id);
      expect(final.status).toBe("budget_exhausted");
      expect(final.error).toBe(expected(b.noun, 1));
      const ledger = await readBudget(h.db, key(id));
      expect([ledger?.reservedCostUsd, ledger?.reservedTokens]).toEqual([0, 0]);
    });

    it(`${b.name}: "wait" stops only when nothing is in flight`, async () => {
      const id = nextId(b.scope);
      await b.parent(h.db, id, "pending");
      const [first] = await b.jobs(h.db, id, ["running", "pending"]);
      await b.spend(h.db, id, 1200, 0.25);
      expect(await reserveSpend(h.db, key(id), { tokens: 100, costUsd: 0.1 })).toBe("reserved");

      expect(await b.stop(h.db, id, "wait")).toBe(false);
      expect(await b.read(h.db, id)).toMatchObject({ status: "pending", error: null, finishedAt: null });

      if (first === undefined) throw new Error("no job inserted");
      await b.setJob(h.db, first, "pending");
      expect(await b.stop(h.db, id, "wait")).toBe(true);
      const stopped = await b.read(h.db, id);
      expect(stopped.status).toBe("budget_exhausted");
      expect(stopped.error).toBe(expected(b.noun, 2));
      expect(stopped.finishedAt).not.toBeNull();
      // Nothing was in flight, so the reservation was a crashed worker's leftover.
      expect((await readBudget(h.db, key(id)))?.reservedCostUsd).toBe(0);
    });

    it(`${b.name}: finished, missing and unbudgeted parents are left alone`, async () => {
      const done = nextId(b.scope);
      await b.parent(h.db, done, "done");
      await b.jobs(h.db, done, ["done"]);
      for (const event of ["never", "wait", "ended"] as const) expect(await b.stop(h.db, done, event)).toBe(false);
      expect(await b.read(h.db, done)).toMatchObject({ status: "done", error: null });

      expect(await b.stop(h.db, nextId("missing"), "never")).toBe(false);

      const unbudgeted = nextId(b.scope);
      await b.parent(h.db, unbudgeted, "running");
      await h.db.delete(budgets).where(eq(budgets.ownerId, unbudgeted));
      await b.jobs(h.db, unbudgeted, ["pending"]);
      expect(await b.stop(h.db, unbudgeted, "never")).toBe(false);
      expect((await b.read(h.db, unbudgeted)).status).toBe("running");
    });
  }
});
