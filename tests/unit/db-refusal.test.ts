// Which database errors are a row's values being refused (retry line by line) and how they read.
import { describe, expect, it } from "vitest";
import { rowRefusal, sqlState } from "../../db/refusal.js";

class DriverError extends Error {
  constructor(
    readonly code: string,
    extra: Record<string, string> = {},
  ) {
    super(`driver says ${code}: insert into "battles" values ($1)`);
    Object.assign(this, extra);
  }
}
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert into "battles" ...'), { cause });

const cases: { name: string; err: unknown; reason: string | null }[] = [
  { name: "NUL in text", err: new DriverError("22021"), reason: "a text value contains a character the database cannot store (NUL or invalid UTF-8)" },
  { name: "wrapped by drizzle", err: wrapped(new DriverError("22P05")), reason: "a JSON value contains a character the database cannot store (\\u0000)" },
  { name: "index row too big", err: wrapped(new DriverError("54000")), reason: "a value is too long for the database (index entry size)" },
  { name: "not null, PGlite column", err: new DriverError("23502", { column: "model_a" }), reason: "model_a: a required value is missing" },
  { name: "not null, postgres.js column_name", err: new DriverError("23502", { column_name: "text" }), reason: "text: a required value is missing" },
  { name: "unlisted data exception", err: new DriverError("22012"), reason: "the database refused a value (SQLSTATE 22012)" },
  { name: "connection failure is not a refusal", err: new DriverError("08006"), reason: null },
  { name: "admin shutdown is not a refusal", err: wrapped(new DriverError("57P01")), reason: null },
  { name: "node socket error is not a refusal", err: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), reason: null },
  { name: "a plain bug is not a refusal", err: new TypeError("x is undefined"), reason: null },
  { name: "not an error at all", err: "boom", reason: null },
];

describe("rowRefusal", () => {
  for (const tc of cases) it(tc.name, () => expect(rowRefusal(tc.err)).toBe(tc.reason));
  it("never echoes the SQL text", () => {
    for (const tc of cases) expect(rowRefusal(tc.err) ?? "").not.toContain("insert");
  });
  it("sqlState looks through causes", () => {
    expect(sqlState(wrapped(wrapped(new DriverError("23505"))))).toEqual({ code: "23505" });
  });
});
