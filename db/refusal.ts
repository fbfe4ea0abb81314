/**
 * Telling "the database refused this row's values" apart from "the database is unavailable", and
 * saying the former in words a user can act on. Imports use it to retry a refused batch line by line
 * (only the offending line is rejected), while a lost connection still fails the request. Both drivers
 * put the SQLSTATE in `code` (postgres.js PostgresError, PGlite DatabaseError), and drizzle wraps
 * them in an error whose `cause` is the driver's.
 */

/** SQLSTATE classes caused by the values of a row: 22 data exception, 23 constraint, 54 program limit. */
const ROW_CLASSES = new Set(["22", "23", "54"]);

const READABLE: Readonly<Record<string, string>> = {
  "22021": "a text value contains a character the database cannot store (NUL or invalid UTF-8)",
  "22P05": "a JSON value contains a character the database cannot store (\\u0000)",
  "22001": "a value is too long",
  "22003": "a number is out of range",
  "22P02": "a value has the wrong format",
  "22007": "a date or time has the wrong format",
  "22008": "a date or time is out of range",
  "54000": "a value is too long for the database (index entry size)",
  "23502": "a required value is missing",
  "23503": "refers to a row that does not exist",
  "23505": "duplicates a row that exists",
  "23514": "breaks a check on the table",
};

/** The SQLSTATE of a driver error, looking through wrappers' `cause`. */
export function sqlState(err: unknown): { code: string; column?: string } | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    const o = e as { code?: unknown; column?: unknown; column_name?: unknown; cause?: unknown };
    if (typeof o.code === "string" && /^[0-9A-Z]{5}$/.test(o.code)) {
      const column = typeof o.column === "string" ? o.column : typeof o.column_name === "string" ? o.column_name : undefined;
      return column === undefined ? { code: o.code } : { code: o.code, column };
    }
    e = o.cause;
  }
  return null;
}

/**
 * A readable reason when `err` is the database refusing a row's values (never the SQL text), or null
 * when it is anything else (connection lost, bug) and must be rethrown.
 */
export function rowRefusal(err: unknown): string | null {
  const state = sqlState(err);
  if (!state || !ROW_CLASSES.has(state.code.slice(0, 2))) return null;
  const text = READABLE[state.code] ?? `the database refused a value (SQLSTATE ${state.code})`;
  return state.column ? `${state.column}: ${text}` : text;
}
