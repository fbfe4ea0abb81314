/**
 * The edge rule for values PostgreSQL would refuse. One pure check, used by the HTTP validation hook
 * for every path parameter, query parameter and JSON body, and by the per-item schemas of imports:
 *
 * - strings (values and object keys) must not contain U+0000 (text and jsonb refuse it) nor a lone
 *   UTF-16 surrogate (jsonb refuses the escape; text would silently store U+FFFD instead);
 * - numbers must be finite;
 * - JSON values may nest at most MAX_DEPTH levels (deeper values exhaust the stack of the JSON
 *   encoders and of jsonb).
 *
 * Free text is not altered: a value that breaks the rule is refused with the field's path, never cleaned.
 */
import { z } from "zod";

/** Deepest nesting of arrays/objects accepted in any input value (the top-level body counts as 1). */
export const MAX_DEPTH = 32;
/** PostgreSQL `integer` bounds, for schema fields that land in int4 columns. */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

export interface Unstorable {
  path: (string | number)[];
  message: string;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or null when it can. */
export function stringProblem(s: string): string | null {
  if (s.includes("\u0000")) return "contains U+0000 (NUL), which cannot be stored";
  if (LONE_SURROGATE.test(s)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

/**
 * The first value inside `value` that breaks the edge rule, with its path, or null.
 * Walks iteratively so a hostile depth cannot overflow the stack here either.
 */
export function findUnstorable(value: unknown, maxDepth = MAX_DEPTH): Unstorable | null {
  const stack: { v: unknown; path: (string | number)[]; depth: number }[] = [{ v: value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const { v, path, depth } = top;
    if (typeof v === "string") {
      const problem = stringProblem(v);
      if (problem) return { path, message: problem };
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return { path, message: "must be a finite number" };
    } else if (v !== null && typeof v === "object") {
      if (depth + 1 > maxDepth) return { path, message: `nested deeper than ${maxDepth} levels` };
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      // Pushed in reverse so the first offending field in document order is reported.
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i];
        if (entry === undefined) continue;
        const [k, x] = entry;
        if (typeof k === "string") {
          const problem = stringProblem(k);
          if (problem) return { path: [...path, k], message: `key ${problem}` };
        }
        stack.push({ v: x, path: [...path, k], depth: depth + 1 });
      }
    }
  }
  return null;
}

/** Adds the edge rule to a zod schema of one import item, so a bad item is rejected on its own. */
export function storable<T extends z.ZodType>(schema: T): T {
  return schema.check(
    z.superRefine((v, ctx) => {
      const bad = findUnstorable(v);
      if (bad) ctx.addIssue({ code: "custom", path: bad.path, message: bad.message, input: v });
    }),
  ) as T;
}
