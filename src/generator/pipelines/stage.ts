/**
 * Numbered names of the pipelines: a stage that repeats (`act:3`, `route:3`, `refine:2`, `evol:2`) and
 * the per-index keys built the same way (an Evol item's `evol:5`). They are stored (gen_runs.stage,
 * gen_items.task_key) and shown by the API as they are, so the string form stays; pipelines build and
 * read them only here, as a typed value, instead of splitting strings where they are used.
 */

export interface Numbered {
  name: string;
  /** The step, round or index; null for a name without one (`group`, `transform`). */
  n: number | null;
}

export function encodeNumbered(v: Numbered): string {
  return v.n === null ? v.name : `${v.name}:${v.n}`;
}

// A name of letters, digits and dashes, then optionally one canonical non-negative integer.
const NUMBERED = /^([a-z][a-z0-9-]*)(?::(0|[1-9][0-9]*))?$/;

/** The numbered name a string encodes, or null when it is not one (`act:1:2`, `act:x`, `act:01`). */
export function decodeNumbered(s: string): Numbered | null {
  const m = NUMBERED.exec(s);
  if (!m || m[1] === undefined) return null;
  if (m[2] === undefined) return { name: m[1], n: null };
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? { name: m[1], n } : null;
}

/** `name:n` (the usual way to build one). */
export const numbered = (name: string, n: number): string => encodeNumbered({ name, n });

/** The number of `s` when it is `name:n`, else null. */
export function numberOf(s: string, name: string): number | null {
  const v = decodeNumbered(s);
  return v?.name === name ? v.n : null;
}

/** The number of `s`, which must be `name:n`: anything else is a bug in the pipeline that wrote it. */
export function requireNumber(s: string, name: string): number {
  const n = numberOf(s, name);
  if (n === null) throw new Error(`'${s}' is not ${name}:<n>`);
  return n;
}
