/**
 * Lives in lib/ (the pure floor): the HTTP edge, import parsers in reports/ and battles/, and the
 * generator all apply the same rule, and none of them may import db/ for it.
 *
 * What PostgreSQL will store, checked before a row is written, so one bad imported line is rejected
 * on its own instead of failing its batch: `text` and `jsonb` refuse U+0000; lone UTF-16 surrogates
 * cannot be encoded as UTF-8 (the drivers would silently store U+FFFD instead); a btree index entry
 * is limited to about 2700 bytes; JSON has no Infinity (JSON.parse turns 1e400 into one and
 * JSON.stringify would store it as null). Pure functions: a problem comes back as a reason, never thrown.
 */
import { z } from "zod";

/** Bytes allowed for a string that sits in a btree index (names, ids, categories), far below the limit. */
export const INDEXED_TEXT_MAX_BYTES = 256;
/** Nesting allowed in a jsonb value (PostgreSQL's parser has a stack limit; real metadata is shallow). */
export const JSON_MAX_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one (lib es2023
// has no String#isWellFormed).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the database would refuse or alter this string, or null when it stores it as is. */
export function unsafeText(s: string, maxBytes?: number): string | null {
  if (s.includes("\u0000")) return "must not contain a NUL character (U+0000)";
  if (LONE_SURROGATE.test(s)) return "must not contain a lone surrogate (invalid Unicode)";
  if (maxBytes !== undefined) {
    const bytes = Buffer.byteLength(s, "utf8");
    if (bytes > maxBytes) return `too long (${bytes} bytes, at most ${maxBytes})`;
  }
  return null;
}

export interface JsonProblem {
  path: (string | number)[];
  reason: string;
}

/** The first value inside a decoded JSON value that jsonb would refuse or alter, with its path. */
export function unsafeJson(value: unknown, path: (string | number)[] = [], depth = 0): JsonProblem | null {
  if (typeof value === "string") {
    const reason = unsafeText(value);
    return reason ? { path, reason } : null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : { path, reason: "number out of range" };
  if (typeof value !== "object" || value === null) return null;
  if (depth >= JSON_MAX_DEPTH) return { path, reason: `nested deeper than ${JSON_MAX_DEPTH} levels` };
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, v] of entries) {
    // A bad key is reported on its parent: echoing it in the path would repeat the bad character.
    const keyReason = typeof key === "string" ? unsafeText(key) : null;
    if (keyReason) return { path, reason: `a key ${keyReason}` };
    const inner = unsafeJson(v, [...path, key], depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** A zod string the database stores unchanged (optionally byte-limited for indexed columns). */
export function dbText(schema: z.ZodString = z.string(), maxBytes?: number) {
  return schema.superRefine((s, ctx) => {
    const reason = unsafeText(s, maxBytes);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });
}

/** A zod check for a value that goes into a jsonb column. */
export function dbJson<T extends z.ZodType>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const bad = unsafeJson(v);
    if (bad) ctx.addIssue({ code: "custom", path: bad.path, message: bad.reason });
  });
}
