/**
 * The lease queue (db/job-queue.ts) on both drivers, through both of its tables (battles in rounds,
 * generator tasks in runs): claims take pending jobs of active parents and start the parent, an
 * expired lease is reclaimed by another worker, only the lease owner's complete / fail / park take
 * effect, a park does not count the attempt, and concurrent claimers never get the same job.
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { battleQueue } from "../../battles/queue.js";
import type { Db, DbHandle } from "../../db/client.js";
import type { JobFailure } from "../../db/job-queue.js";
import { battles, genRuns, genTasks, rounds } from "../../db/schema/index.js";
import { taskQueue } from "../../src/generator/engine/task-queue.js";
import { describeEachDb } from "../helpers/db.js";

interface JobView {
  id: number;
  status: string;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  error: string | null;
  errorKind: string | null;
  finishedAt: Date | null;
}

/** One table of the queue, with its fixtures; `done` is the result column a completion writes. */
interface Table {
  name: string;
  queue: {
    claim(db: Db, owner: string, n: number, leaseMs: number): Promise<JobView[]>;
    renew(db: Db, owner: string, ids: number[], leaseMs: number): Promise<void>;
    fail(db: Db, job: { id: number; attempts: number }, owner: string, err: JobFailure, maxAttempts: number): Promise<"retry" | "failed">;
    park(db: Db, id: number, owner: string): Promise<void>;
  };
  /** Completes with a result column set and a write in the same transaction (a marker row here). */
  complete(db: Db, id: number, owner: string, onWrite: () => void): Promise<boolean>;
  parent(db: Db, id: string, status?: string): Promise<void>;
  jobs(db: Db, parentId: string, n: number): Promise<number[]>;
  job(db: Db, id: number): Promise<JobView & { result: unknown }>;
  parentRow(db: Db, id: string): Promise<{ status: string; startedAt: Date | null }>;
  closeParents(db: Db): Promise<void>;
}

const TABLES: Table[] = [
  {
    name: "battles",
    queue: battleQueue,
    complete: (db, id, owner, onWrite) =>
      battleQueue.complete(db, id, owner, {
        set: { outcome: 0.75, finishedBy: owner },
        write: async () => onWrite(),
      }),
    parent: async (db, id, status = "pending") => void (await db.insert(rounds).values({ id, pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"], status })),
    jobs: async (db, roundId, n) => {
      const rows = await db
        .insert(battles)
        .values(Array.from({ length: n }, (_, i) => ({ roundId, modelA: `a${i}`, modelB: "b" })))
        .returning({ id: battles.id });
      return rows.map((r) => r.id);
    },
    job: async (db, id) => {
      const [row] = await db.select().from(battles).where(eq(battles.id, id));
      if (!row) throw new Error(`no battle ${id}`);
      return { ...row, result: row.outcome };
    },
    parentRow: async (db, id) => {
      const [row] = await db.select().from(rounds).where(eq(rounds.id, id));
      if (!row) throw new Error(`no round ${id}`);
      return row;
    },
    closeParents: async (db) => void (await db.update(rounds).set({ status: "done" }).where(inArray(rounds.status, ["pending", "running"]))),
  },
  {
    name: "gen_tasks",
    queue: taskQueue,
    complete: (db, id, owner, onWrite) =>
      taskQueue.complete(db, id, owner, {
        set: { output: { ok: 0.75 } },
        write: async () => onWrite(),
      }),
    parent: async (db, id, status = "pending") => void (await db.insert(genRuns).values({ id, kind: "personas", stage: "personas", params: {}, status })),
    jobs: async (db, runId, n) => {
      const rows = await db
        .insert(genTasks)
        .values(Array.from({ length: n }, (_, i) => ({ runId, stage: "personas", kind: "persona", key: `k${i}`, input: {} })))
        .returning({ id: genTasks.id });
      return rows.map((r) => r.id);
    },
    job: async (db, id) => {
      const [row] = await db.select().from(genTasks).where(eq(genTasks.id, id));
      if (!row) throw new Error(`no task ${id}`);
      return { ...row, result: row.output?.ok ?? null };
    },
    parentRow: async (db, id) => {
      const [row] = await db.select().from(genRuns).where(eq(genRuns.id, id));
      if (!row) throw new Error(`no run ${id}`);
      return row;
    },
    closeParents: async (db) => void (await db.update(genRuns).set({ status: "done" }).where(inArray(genRuns.status, ["pending", "running"]))),
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const nextId = (tag: string) => `${tag}-${Date.now()}-${seq++}`;
const crash: JobFailure = { message: "boom", kind: "timeout", retryable: true };

describeEachDb("job queue on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const t of TABLES) {
    // Each test starts with no claimable job left over from the one before.
    afterEach(async () => {
      await t.closeParents(h.db);
    });

    it(`${t.name}: claims pending jobs of active parents, oldest first, and starts the parent`, async () => {
      const active = nextId("active");
      const closed = nextId("closed");
      await t.parent(h.db, active);
      await t.parent(h.db, closed, "cancelled");
      await t.jobs(h.db, closed, 2);
      const ids = await t.jobs(h.db, active, 3);
      const claimed = await t.queue.claim(h.db, "w1", 10, 60_000);
      expect(claimed.map((j) => j.id)).toEqual(ids);
      for (const j of claimed) expect(j).toMatchObject({ status: "running", attempts: 1, leaseOwner: "w1" });
      const parent = await t.parentRow(h.db, active);
      expect(parent.status).toBe("running");
      expect(parent.startedAt).not.toBeNull();
      expect(await t.queue.claim(h.db, "w2", 10, 60_000)).toEqual([]);
      expect(await t.queue.claim(h.db, "w2", 0, 60_000)).toEqual([]);
    });

    it(`${t.name}: an expired lease is reclaimed; the old owner's complete and fail change nothing`, async () => {
      const p = nextId("lease");
      await t.parent(h.db, p);
      const [id] = await t.jobs(h.db, p, 1);
      const [first] = await t.queue.claim(h.db, "ghost", 1, 300);
      expect(first?.id).toBe(id);
      expect(await t.queue.claim(h.db, "w2", 1, 60_000)).toEqual([]);
      await sleep(600);
      const [again] = await t.queue.claim(h.db, "w2", 1, 60_000);
      expect(again).toMatchObject({ id, attempts: 2, leaseOwner: "w2" });
      if (!again || !first) throw new Error("unreachable");

      let writes = 0;
      expect(await t.complete(h.db, again.id, "ghost", () => writes++)).toBe(false);
      await t.queue.fail(h.db, first, "ghost", { ...crash, retryable: false }, 3);
      await t.queue.park(h.db, again.id, "ghost");
      expect(writes).toBe(0);
      expect(await t.job(h.db, again.id)).toMatchObject({ status: "running", leaseOwner: "w2", attempts: 2, error: null, result: null });

      expect(await t.complete(h.db, again.id, "w2", () => writes++)).toBe(true);
      expect(writes).toBe(1);
      const done = await t.job(h.db, again.id);
      expect(done).toMatchObject({ status: "done", leaseOwner: null, leaseExpiresAt: null, result: 0.75 });
      expect(done.finishedAt).not.toBeNull();
      // A repeated completion (a retried write) is a no-op.
      expect(await t.complete(h.db, again.id, "w2", () => writes++)).toBe(false);
      expect(writes).toBe(1);
    });

    it(`${t.name}: renew extends only the owner's leases`, async () => {
      const p = nextId("renew");
      await t.parent(h.db, p);
      await t.jobs(h.db, p, 1);
      const [j] = await t.queue.claim(h.db, "w1", 1, 300);
      if (!j) throw new Error("nothing claimed");
      await t.queue.renew(h.db, "other", [j.id], 60_000);
      const before = (await t.job(h.db, j.id)).leaseExpiresAt;
      await t.queue.renew(h.db, "w1", [j.id], 60_000);
      await t.queue.renew(h.db, "w1", [], 60_000);
      const after = (await t.job(h.db, j.id)).leaseExpiresAt;
      expect(after && before && after.getTime() - before.getTime()).toBeGreaterThan(30_000);
      await sleep(500);
      expect(await t.queue.claim(h.db, "w2", 1, 60_000)).toEqual([]);
    });

    it(`${t.name}: fail retries while retryable with attempts left, else keeps the error as failed`, async () => {
      const p = nextId("fail");
      await t.parent(h.db, p);
      const [a, b] = await t.jobs(h.db, p, 2);
      const claimed = await t.queue.claim(h.db, "w1", 2, 60_000);
      const [ja, jb] = claimed;
      if (!ja || !jb || a === undefined || b === undefined) throw new Error("nothing claimed");
      expect(await t.queue.fail(h.db, ja, "w1", crash, 2)).toBe("retry");
      expect(await t.job(h.db, a)).toMatchObject({ status: "pending", error: "boom", errorKind: "timeout", leaseOwner: null, finishedAt: null });
      expect(await t.queue.fail(h.db, jb, "w1", { message: "bad config", kind: "config", retryable: false }, 2)).toBe("failed");
      const failed = await t.job(h.db, b);
      expect(failed).toMatchObject({ status: "failed", error: "bad config", errorKind: "config", leaseOwner: null });
      expect(failed.finishedAt).not.toBeNull();

      const [second] = await t.queue.claim(h.db, "w1", 2, 60_000);
      expect(second).toMatchObject({ id: a, attempts: 2 });
      if (!second) throw new Error("unreachable");
      expect(await t.queue.fail(h.db, second, "w1", crash, 2)).toBe("failed");
      expect(await t.job(h.db, a)).toMatchObject({ status: "failed", attempts: 2, error: "boom" });
      expect(await t.queue.claim(h.db, "w1", 2, 60_000)).toEqual([]);
    });

    it(`${t.name}: park hands the job back without counting the attempt`, async () => {
      const p = nextId("park");
      await t.parent(h.db, p);
      const [id] = await t.jobs(h.db, p, 1);
      for (let i = 0; i < 3; i++) {
        const [j] = await t.queue.claim(h.db, "w1", 1, 60_000);
        expect(j).toMatchObject({ id, attempts: 1 });
        await t.queue.park(h.db, id ?? -1, "w1");
        expect(await t.job(h.db, id ?? -1)).toMatchObject({ status: "pending", attempts: 0, leaseOwner: null, leaseExpiresAt: null });
      }
    });

    it(`${t.name}: concurrent claimers never get the same job`, async () => {
      const p = nextId("race");
      await t.parent(h.db, p);
      const ids = await t.jobs(h.db, p, 40);
      const owners = Array.from({ length: 6 }, (_, i) => `w${i}`);
      const got = await Promise.all(owners.map((o) => t.queue.claim(h.db, o, 8, 60_000)));
      const all = got.flat().map((j) => j.id);
      expect(new Set(all).size).toBe(all.length);
      for (const [i, jobs] of got.entries()) for (const j of jobs) expect(j.leaseOwner).toBe(owners[i]);
      // A second wave, then one claimer sweeping up what skipped rows left: every job claimed exactly once.
      const wave = (await Promise.all(owners.map((o) => t.queue.claim(h.db, o, 8, 60_000)))).flat().map((j) => j.id);
      const rest: number[] = [];
      for (let more = await t.queue.claim(h.db, "sweeper", 50, 60_000); more.length > 0; more = await t.queue.claim(h.db, "sweeper", 50, 60_000)) rest.push(...more.map((j) => j.id));
      expect([...all, ...wave, ...rest].sort((x, y) => x - y)).toEqual(ids);
      for (const id of ids) expect((await t.job(h.db, id)).attempts).toBe(1);
    });
  }
});
