/**
 * fast-check arbitraries for values: plausible ones derived from a JSON Schema, hostile ones (NUL,
 * lone surrogates, huge strings and numbers, NaN-like text, deep nesting, traversal and injection
 * strings), and mutations that turn a plausible value into a hostile one at a random spot.
 */
import fc from "fast-check";
import type { JsonSchema } from "./operations.js";

export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "0x1F",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%2e%2e%2f%2e%2e%2f",
  "' OR '1'='1",
  "'; drop table models; --",
  '"; select pg_sleep(10); --',
  "$(touch /tmp/pwned)",
  "${7*7}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "\u202e\u0646\ufeff",
  "\ud83d\ude00",
  "a".repeat(64),
  "a".repeat(65),
  "b".repeat(129),
  "c".repeat(257),
  "d".repeat(3000),
  "9".repeat(400),
  "2026-13-45T99:99:99Z",
  "99999-01-01T00:00:00Z",
  "-infinity",
  "00000000-0000-0000-0000-000000000000",
  "http://169.254.169.254/latest/meta-data",
  "file:///etc/passwd",
];

export const HOSTILE_NUMBERS = [
  0, -1, 1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e20, -1e20, 1e308, -1e308, 5e-324, Number.MAX_VALUE,
];

/** Strings no caller should be able to store: every one holds a value the edge rule refuses or is huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 6 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 24 }), weight: 3 },
  { arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\u0000", "\ud800", "\udfff")).map(([s, bad]) => s + bad), weight: 2 },
  { arbitrary: fc.integer({ min: 10_000, max: 70_000 }).map((n) => "h".repeat(n)), weight: 1 },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());

/** A value nested `n` arrays deep (the edge bound is 32; JSON encoders and jsonb break far deeper). */
export const deepValue: fc.Arbitrary<unknown> = fc.integer({ min: 30, max: 4000 }).map((n) => {
  let v: unknown = "bottom";
  for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v] : { d: v };
  return v;
});

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileScalar, weight: 6 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: fc.array(hostileScalar, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(hostileString.filter((s) => s.length < 100), hostileScalar, { maxKeys: 3 }), weight: 1 },
);

function regexArb(pattern: string, maxLength: number): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(pattern), { size: "xsmall" }).filter((s) => s.length <= maxLength);
  } catch {
    return null;
  }
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 40);
  const min = Math.min(s.minLength ?? 0, max);
  if (s.format === "uri" || s.format === "url") return fc.constantFrom("http://127.0.0.1:9/v1", "https://api.example.invalid/v1", "not a url");
  if (s.pattern) {
    const r = regexArb(s.pattern, s.maxLength ?? 10_000);
    if (r) return r;
  }
  return fc.string({ minLength: min, maxLength: max });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum === undefined ? -1e6 : s.exclusiveMinimum + (integer ? 1 : 1e-9));
  const hi = s.maximum ?? (s.exclusiveMaximum === undefined ? 1e6 : s.exclusiveMaximum - (integer ? 1 : 1e-9));
  const [min, max] = [Math.max(lo, -1e9), Math.min(hi, 1e9)];
  if (min > max) return fc.constant(min);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
}

/**
 * A value that mostly satisfies the schema (patterns, bounds, enums, required keys), small in size.
 * `known` strings (names and ids that exist) stand in for generated ones half the time, so requests
 * that need an existing model or round get past the lookups into the code behind them.
 */
export function plausible(s: JsonSchema, depth = 0, known: readonly string[] = []): fc.Arbitrary<unknown> {
  const sub = (x: JsonSchema) => plausible(x, depth + 1, known);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts && alts.length > 0) return fc.oneof(...alts.map((a) => sub(a)));
  if (s.allOf && s.allOf.length > 0) return sub(Object.assign({}, ...s.allOf) as JsonSchema);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ["object"] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => sub({ ...s, type: t })));
  switch (types[0]) {
    case "string":
      return known.length > 0 && !s.enum ? fc.oneof(stringArb(s), fc.constantFrom(...known)) : stringArb(s);
    case "integer":
      return numberArb(s, true);
    case "number":
      return numberArb(s, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(sub(s.items ?? {}), { minLength: Math.min(s.minItems ?? 0, 3), maxLength: Math.max(Math.min(s.maxItems ?? 3, 3), Math.min(s.minItems ?? 0, 3)) });
    case "object": {
      const props = s.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = sub(v);
      if (Object.keys(model).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 });
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }));
  }
}

type Path = (string | number)[];

function containersOf(v: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === "object" && path.length < 8) {
    out.push(path);
    for (const [k, x] of Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)) containersOf(x, [...path, k], out);
  }
  return out;
}

function at(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k];
  return cur;
}

export type Mutation = "replace" | "remove" | "extra" | "wrong-type";

/**
 * Applies one mutation at the `pick`-th container inside a structured clone of `value`: replace a
 * member with a hostile value, remove it, add an unknown member, or swap its type.
 */
export function mutate(value: unknown, pick: number, kind: Mutation, hostile: unknown): unknown {
  const copy: unknown = structuredClone(value);
  const spots = containersOf(copy);
  if (spots.length === 0) return hostile;
  const target = at(copy, spots[pick % spots.length] ?? []) as Record<string | number, unknown>;
  const keys = Object.keys(target);
  const key = keys.length > 0 ? (keys[pick % keys.length] ?? "") : "";
  if (kind === "extra" || keys.length === 0) {
    if (Array.isArray(target)) target.push(hostile);
    else target[`extra${pick % 7}`] = hostile;
  } else if (kind === "remove") {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else if (kind === "wrong-type") {
    const cur = target[key];
    target[key] = typeof cur === "string" ? pick : typeof cur === "number" ? String(cur) : Array.isArray(cur) ? {} : typeof cur === "object" && cur !== null ? [] : "wrong";
  } else {
    target[key] = hostile;
  }
  return copy;
}
