import { pick, randomIntBetween, type Rng } from "../../lib/random.js";
import { clamp } from "./math.js";
/**
 * Structured output: produce a JSON value that satisfies a JSON Schema (the subset that structured-output
 * APIs accept: objects, arrays with minItems/maxItems, strings with enum/const/length/common formats,
 * numbers and integers with bounds, booleans, null, anyOf/oneOf/allOf, local $ref). Strings are built
 * from the prompt's own words so generated text stays on topic; a caller can override fields (a judge
 * fills verdict-like fields from its decision).
 */

type Schema = Record<string, unknown>;

/** Return a value for `key` (the property name) under `schema`, or undefined to let the filler decide. */
export type FieldOverride = (key: string, schema: Schema) => unknown;

export interface FillContext {
  rng: Rng;
  /** Words to build strings from, most relevant first. */
  words: readonly string[];
  override?: FieldOverride;
}

const MAX_DEPTH = 8;
const LONG_TEXT_KEY = /text|instruction|question|prompt|content|answer|description|body|message|response|scenario|task|summary|rationale|reason|explanation/i;
const FALLBACK_WORDS = ["topic", "detail", "example"];

function isSchema(x: unknown): x is Schema {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Follow a local `$ref` ("#/$defs/X", "#/definitions/X", "#"). */
function resolveRef(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return schema;
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    node = isSchema(node) ? node[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return isSchema(node) ? node : {};
}

function schemaType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === "string" && x !== "null") ?? "null";
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

function makeString(key: string, schema: Schema, ctx: FillContext): string {
  const format = schema.format;
  if (format === "date-time") return "2024-01-01T00:00:00Z";
  if (format === "date") return "2024-01-01";
  if (format === "email") return "user@example.com";
  if (format === "uri" || format === "url") return "https://example.com/";
  if (format === "uuid") return "00000000-0000-4000-8000-000000000000";
  const pool = ctx.words.length > 0 ? ctx.words : FALLBACK_WORDS;
  const n = LONG_TEXT_KEY.test(key) ? randomIntBetween(ctx.rng, 4, 8) : randomIntBetween(ctx.rng, 1, 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pool[(i + randomIntBetween(ctx.rng, 0, 2)) % pool.length] ?? "topic");
  let s = LONG_TEXT_KEY.test(key) ? `Explain how ${parts.join(", ")} relate to each other.` : parts.join(" ");
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  while (s.length < min) s += ` ${pick(ctx.rng, pool, "topic")}`;
  return s.length > max ? s.slice(0, max) : s;
}

function makeNumber(schema: Schema, integer: boolean, rng: Rng): number {
  const num = (k: string): number | undefined => (typeof schema[k] === "number" ? (schema[k] as number) : undefined);
  const exMin = num("exclusiveMinimum");
  const exMax = num("exclusiveMaximum");
  let lo = num("minimum") ?? (exMin !== undefined ? exMin + (integer ? 1 : 1e-6) : 0);
  let hi = num("maximum") ?? (exMax !== undefined ? exMax - (integer ? 1 : 1e-6) : Math.max(lo, 0) + 100);
  if (integer) [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  if (hi < lo) hi = lo;
  const x = lo + rng() * (hi - lo);
  return integer ? clamp(Math.round(x), lo, hi) : Math.round(x * 100) / 100;
}

function makeArray(key: string, schema: Schema, root: Schema, ctx: FillContext, depth: number): unknown[] {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(min, 4);
  const n = randomIntBetween(ctx.rng, Math.max(min, Math.min(1, max)), Math.max(min, Math.min(max, min + 3)));
  const items = isSchema(schema.items) ? schema.items : {};
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    // Rotate the word pool so sibling items differ.
    const words = ctx.words.length > 0 ? [...ctx.words.slice(i % ctx.words.length), ...ctx.words] : ctx.words;
    out.push(fill(key, items, root, { ...ctx, words }, depth + 1));
  }
  return out;
}

function makeObject(schema: Schema, root: Schema, ctx: FillContext, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = isSchema(schema.properties) ? schema.properties : {};
  for (const [k, sub] of Object.entries(props)) {
    if (isSchema(sub)) out[k] = fill(k, sub, root, ctx, depth + 1);
  }
  return out;
}

function merged(all: unknown[], root: Schema): Schema {
  const out: Schema = { type: "object", properties: {} };
  for (const s of all) {
    if (!isSchema(s)) continue;
    const r = resolveRef(s, root);
    Object.assign(out, r, { properties: { ...(out.properties as Schema), ...(isSchema(r.properties) ? r.properties : {}) } });
  }
  return out;
}

function fill(key: string, raw: Schema, root: Schema, ctx: FillContext, depth: number): unknown {
  const schema = resolveRef(raw, root);
  const forced = ctx.override?.(key, schema);
  if (forced !== undefined) return forced;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(ctx.rng, schema.enum, schema.enum[0]);
  const alt = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(alt)) {
    const first = alt.find((s) => isSchema(s) && s.type !== "null") ?? alt[0];
    return isSchema(first) ? fill(key, first, root, ctx, depth) : null;
  }
  if (Array.isArray(schema.allOf)) return fill(key, merged(schema.allOf, root), root, ctx, depth);
  if (depth > MAX_DEPTH) return null;
  switch (schemaType(schema)) {
    case "object":
      return makeObject(schema, root, ctx, depth);
    case "array":
      return makeArray(key, schema, root, ctx, depth);
    case "integer":
      return makeNumber(schema, true, ctx.rng);
    case "number":
      return makeNumber(schema, false, ctx.rng);
    case "boolean":
      return ctx.rng() < 0.5;
    case "null":
      return null;
    default:
      return makeString(key, schema, ctx);
  }
}

/** A JSON value satisfying `schema` (see the module header for the supported subset). */
export function fillSchema(schema: Schema, ctx: FillContext): unknown {
  return fill("", schema, schema, ctx, 0);
}

/** A malformed rendering of `value` (cut mid-way), for the invalid-JSON fault. */
export function breakJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
