/**
 * A deadlock or serialization failure that PostgreSQL raises inside a request is a transient
 * condition, not a bug in the input or the service: the caller should retry. The error mapping turns
 * it into a 503 with Retry-After (code "unavailable"), not a generic 500. The deadlock here is a
 * real one on a real server (two transactions taking two rows in opposite orders), passed through
 * the service's own `onError`. PostgreSQL only: PGlite has one connection, so it never deadlocks.
 */
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client.js";
import { onError, transientDbFault } from "../../src/http/errors.js";
import type { AppEnv } from "../../src/http/env.js";
import { dbTargets } from "../helpers/db.js";

const pg = dbTargets().filter((t) => t.name === "postgres" && t.available);

/** Two transactions lock rows 1 and 2 in opposite orders; PostgreSQL aborts one with 40P01. */
async function provokeDeadlock(h: DbHandle): Promise<unknown> {
  await h.db.execute(sql`create table if not exists deadlock_probe (id int primary key, v int)`);
  await h.db.execute(sql`insert into deadlock_probe values (1, 0), (2, 0) on conflict do nothing`);
  let release!: () => void;
  const bothLocked = new Promise<void>((r) => (release = r));
  let locked = 0;
  const step = async () => {
    locked++;
    if (locked === 2) release();
    await bothLocked;
  };
  const tx = (first: number, second: number) =>
    h.db.transaction(async (t) => {
      await t.execute(sql`update deadlock_probe set v = v + 1 where id = ${first}`);
      await step();
      await t.execute(sql`update deadlock_probe set v = v + 1 where id = ${second}`);
    });
  const results = await Promise.allSettled([tx(1, 2), tx(2, 1)]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  return failed?.reason;
}

describe.skipIf(pg.length === 0)("transient database errors are 503 (PostgreSQL)", () => {
  let h: DbHandle;
  beforeAll(async () => {
    const target = pg[0];
    if (target) h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a real deadlock raised in a route answers 503 unavailable with Retry-After, not 500", async () => {
    const err = await provokeDeadlock(h);
    expect(err, "one of the two transactions must have been chosen as the deadlock victim").toBeDefined();
    const app = new Hono<AppEnv>();
    app.onError(onError);
    app.get("/x", () => {
      throw err;
    });
    const res = await app.request("/x");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unavailable");
    expect(body.error.message).toMatch(/deadlock|conflict|retry/i);
  });
});

describe("transientDbFault: which database errors mean retry", () => {
  const cases: { name: string; err: unknown; want: string | null }[] = [
    { name: "deadlock (postgres.js shape)", err: Object.assign(new Error("deadlock detected"), { code: "40P01" }), want: "deadlock detected" },
    { name: "serialization failure wrapped by drizzle", err: Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("could not serialize"), { code: "40001" }) }), want: "serialization failure" },
    { name: "lock timeout two causes deep", err: { cause: { cause: { code: "55P03" } } }, want: "lock not available" },
    { name: "unique violation is not transient", err: Object.assign(new Error("duplicate key"), { code: "23505" }), want: null },
    { name: "a plain error", err: new Error("boom"), want: null },
    { name: "not an object", err: "40P01", want: null },
    { name: "a numeric code", err: { code: 40001 }, want: null },
  ];
  for (const tc of cases) it(tc.name, () => expect(transientDbFault(tc.err)?.what ?? null).toBe(tc.want));
});

describe("transientDbFault: a database that is down is a retry too, of its own kind", () => {
  const cases: { name: string; err: unknown; want: { kind: string; what: string } | null }[] = [
    { name: "refused connect wrapped by drizzle", err: Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) }), want: { kind: "unreachable", what: "connection refused" } },
    { name: "postgres.js closed connection", err: Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" }), want: { kind: "unreachable", what: "connection closed" } },
    { name: "admin shutdown SQLSTATE", err: { code: "57P01" }, want: { kind: "unreachable", what: "server shutting down" } },
    { name: "starting up", err: { cause: { code: "57P03" } }, want: { kind: "unreachable", what: "server starting up" } },
    { name: "a deadlock stays a conflict", err: { code: "40P01" }, want: { kind: "conflict", what: "deadlock detected" } },
    { name: "a syntax error is neither", err: { code: "42601" }, want: null },
  ];
  for (const tc of cases) it(tc.name, () => expect(transientDbFault(tc.err)).toEqual(tc.want));
});
