/**
 * The lease queue, one engine over any task table with a parent table (battles in rounds, generator
 * tasks in runs). A worker claims jobs of active parents with FOR UPDATE SKIP LOCKED and a lease
 * measured on the database clock; a crashed worker's jobs are claimable again once the lease
 * expires. Every finishing write is guarded by the lease owner, so a late or repeated write changes
 * nothing.
 *
 * Own code, not a queue library: none runs on both embedded PGlite and PostgreSQL through drizzle
 * inside the caller's transaction (a job's result rows are written in the same transaction that
 * marks it done); the claim's SKIP LOCKED semantics and the lease on the database clock are what the
 * crash tests (tests/e2e/round-crash, generator-resume) pin down; and the queue *is* the data table,
 * so progress and results are read from the rows the queue moves.
 */
import { and, eq, getTableColumns, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "./client.js";

/** The columns the queue reads and writes: a task table and its parent (a round, a run). */
export interface JobTable<T extends PgTable> {
  table: T;
  id: AnyPgColumn;
  parentId: AnyPgColumn;
  status: AnyPgColumn;
  leaseOwner: AnyPgColumn;
  leaseExpiresAt: AnyPgColumn;
  attempts: AnyPgColumn;
  error: AnyPgColumn;
  errorKind: AnyPgColumn;
  finishedAt: AnyPgColumn;
  parent: { table: PgTable; id: AnyPgColumn; status: AnyPgColumn; startedAt: AnyPgColumn; error: AnyPgColumn; finishedAt: AnyPgColumn };
}

/** Why an attempt failed; `retryable` failures go back to the queue while attempts are left. */
export interface JobFailure {
  message: string;
  kind: string;
  retryable: boolean;
}

export interface CompleteOptions<T extends PgTable> {
  /** Result columns written with status "done". */
  set?: PgUpdateSetSource<T>;
  /** Runs in the same transaction, only when this owner's completion took effect. */
  write?: (tx: Db, row: T["$inferSelect"]) => Promise<void>;
}

export interface JobQueue<T extends PgTable> {
  /** The descriptor the queue was built from (the budget stop, db/budget-stop.ts, reads the same columns). */
  readonly columns: JobTable<T>;
  /**
   * Claims up to `n` jobs of active parents for `owner`, oldest first; expired leases are reclaimed.
   * `started` hears the parents this claim moved from pending to running (a round's or run's start).
   */
  claim(db: Db, owner: string, n: number, leaseMs: number, started?: (parentIds: string[]) => void): Promise<T["$inferSelect"][]>;
  /** Extends the leases of jobs this owner still holds. */
  renew(db: Db, owner: string, ids: number[], leaseMs: number): Promise<void>;
  /** Marks a job done (false, writing nothing, when `owner` no longer holds it). */
  complete(db: Db, id: number, owner: string, opts?: CompleteOptions<T>): Promise<boolean>;
  /** Back to the queue (retryable, attempts left) or failed with its error kept. */
  fail(db: Db, job: { id: number; attempts: number }, owner: string, err: JobFailure, maxAttempts: number): Promise<"retry" | "failed">;
  /** Back to the queue without counting the attempt (it could not run yet: a budget wait, a batch call pending). */
  park(db: Db, id: number, owner: string): Promise<void>;
  /** `park` for many jobs at once: a stopping worker hands back what it still holds. */
  release(db: Db, ids: number[], owner: string): Promise<void>;
}

const ACTIVE_PARENT = ["pending", "running"];

const leaseUntil = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/** The queue over `t`: every statement is built from its column descriptor. */
export function jobQueue<T extends PgTable>(t: JobTable<T>): JobQueue<T> {
  type Row = T["$inferSelect"];
  const own = setter<T>(t.table);
  const parent = setter<PgTable>(t.parent.table);
  const held = (owner: string): SQL | undefined => and(eq(t.leaseOwner, owner), eq(t.status, "running"));
  // drizzle cannot resolve `returning()` on a generic table; its rows are the table's select rows.
  const asRows = (rows: unknown): Row[] => rows as Row[];
  const p = t.parent;
  // The claim's subquery selects only the id; drizzle cannot check `from` on a generic table.
  const from: PgTable = t.table;
  /** Back to pending with no lease, the claim's attempt taken back. */
  const unclaimed = () => own.values([[t.status, "pending"], [t.leaseOwner, null], [t.leaseExpiresAt, null], [t.attempts, sql`greatest(0, ${t.attempts} - 1)`]]);

  return {
    columns: t,

    async claim(db, owner, n, leaseMs, started) {
      if (n <= 0) return [];
      const claimable = db
        .select({ id: t.id })
        .from(from)
        .innerJoin(p.table, eq(p.id, t.parentId))
        .where(and(inArray(p.status, ACTIVE_PARENT), or(eq(t.status, "pending"), and(eq(t.status, "running"), lt(t.leaseExpiresAt, sql`now()`)))))
        .orderBy(t.id)
        .limit(n)
        .for("update", { of: t.table, skipLocked: true });
      const set = own.values([[t.status, "running"], [t.leaseOwner, owner], [t.leaseExpiresAt, leaseUntil(leaseMs)], [t.attempts, sql`${t.attempts} + 1`]]);
      const claimed = asRows(await db.update(t.table).set(set).where(inArray(t.id, claimable)).returning());
      const parentIds = [...new Set(claimed.map((row) => row[own.keyOf(t.parentId)] as unknown).filter((x) => x !== null))];
      if (parentIds.length > 0) {
        const moved = await db
          .update(p.table)
          .set(parent.values([[p.status, "running"], [p.startedAt, sql`coalesce(${p.startedAt}, now())`]]))
          .where(and(inArray(p.id, parentIds), eq(p.status, "pending")))
          .returning({ id: p.id });
        if (moved.length > 0) started?.(moved.map((r) => String(r.id)));
      }
      const idKey = own.keyOf(t.id);
      return claimed.sort((a, b) => Number(a[idKey]) - Number(b[idKey]));
    },

    async renew(db, owner, ids, leaseMs) {
      if (ids.length === 0) return;
      await db
        .update(t.table)
        .set(own.values([[t.leaseExpiresAt, leaseUntil(leaseMs)]]))
        .where(and(inArray(t.id, ids), held(owner)));
    },

    async complete(db, id, owner, opts = {}) {
      return db.transaction(async (tx) => {
        const set = { ...opts.set, ...own.values([[t.status, "done"], [t.error, null], [t.errorKind, null], [t.leaseOwner, null], [t.leaseExpiresAt, null], [t.finishedAt, sql`now()`]]) };
        const [row] = asRows(await tx.update(t.table).set(set).where(and(eq(t.id, id), held(owner))).returning());
        if (!row) return false;
        if (opts.write) await opts.write(tx, row);
        return true;
      });
    },

    async fail(db, job, owner, err, maxAttempts) {
      const again = err.retryable && job.attempts < maxAttempts;
      const set = own.values([
        [t.status, again ? "pending" : "failed"],
        [t.error, err.message.slice(0, 2000)],
        [t.errorKind, err.kind],
        [t.leaseOwner, null],
        [t.leaseExpiresAt, null],
        [t.finishedAt, again ? null : sql`now()`],
      ]);
      await db.update(t.table).set(set).where(and(eq(t.id, job.id), held(owner)));
      return again ? "retry" : "failed";
    },

    async park(db, id, owner) {
      await db.update(t.table).set(unclaimed()).where(and(eq(t.id, id), held(owner)));
    },

    async release(db, ids, owner) {
      if (ids.length === 0) return;
      await db.update(t.table).set(unclaimed()).where(and(inArray(t.id, ids), held(owner)));
    },
  };
}

/**
 * drizzle's `set` takes an object keyed by the table's property names, not by column: the names are
 * looked up once from the table, so the descriptor names each column exactly once.
 */
export function setter<T extends PgTable>(table: T) {
  const keys = new Map<AnyPgColumn, string>();
  for (const [key, col] of Object.entries(getTableColumns(table))) keys.set(col, key);
  const keyOf = (col: AnyPgColumn): string => {
    const key = keys.get(col);
    if (key === undefined) throw new Error(`job queue: ${col.name} is not a column of its table`);
    return key;
  };
  const values = (pairs: [AnyPgColumn, unknown][]): PgUpdateSetSource<T> =>
    Object.fromEntries(pairs.map(([col, v]) => [keyOf(col), v])) as PgUpdateSetSource<T>;
  return { keyOf, values };
}
