/**
 * Hostile HTTP requests for one OpenAPI operation: path parameters (known ids, traversal, injection,
 * broken percent-encoding), query parameters (wrong types, huge and NaN-like values, repeats, extras),
 * bodies (plausible, mutated, wholly hostile, truncated or invalid JSON, NDJSON lines, bad content
 * types, over the size limit) and auth (valid, missing, unknown, malformed).
 */
import fc from "fast-check";
import type { JsonSchema, Operation, Param } from "./operations.js";
import { hostileNumber, hostileString, hostileValue, mutate, type Mutation, plausible } from "./values.js";

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What was generated, for the failure message. */
  label: string;
}

export interface FuzzContext {
  /** The API key with every scope. */
  key: string;
  /** Body size limit of the app under test, so over-limit bodies are exactly one byte over. */
  bodyLimit: number;
  /** Ids that exist, per path parameter name; used for read-only (GET) operations only. */
  knownIds: Record<string, string[]>;
  /** Path parameter values read-only operations may use but writes must never target (seeded rows). */
  protectedIds: Set<string>;
  /** Names and ids that exist, mixed into generated string fields of bodies and queries. */
  knownStrings: string[];
  /** Operations whose path parameter may only be a known id or a value that cannot name a row. */
  knownOnly: Set<string>;
}

/** Percent-encodes like encodeURIComponent, but keeps going through lone surrogates (sent as raw bytes). */
export function encode(s: string): string {
  let out = "";
  for (const ch of s) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      out += "%ED%A0%80";
    }
  }
  return out;
}

const RAW_SEGMENTS = ["..", ".", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%00b", "%ZZ", "%", "%E0%A4%A", "%ED%A0%80", "%C0%AF", "a%2Fb", "%20", "a;b", "*", "~", "x".repeat(300)];

function pathValue(op: Operation, p: Param, ctx: FuzzContext): fc.Arbitrary<string> {
  const known = ctx.knownIds[p.name] ?? [];
  const raw = fc.constantFrom(...RAW_SEGMENTS);
  const hostile = hostileString.filter((s) => s.length > 0 && s.length < 5000).map(encode);
  if (ctx.knownOnly.has(`${op.method} ${op.path}`)) {
    // Only ids that exist (seeded, loopback-backed) or values that cannot name any row (NUL, '/', '!').
    const unmatched = fc.oneof(raw, hostile.map((s) => `${s}%21`));
    return known.length > 0 ? fc.oneof(fc.constantFrom(...known), unmatched) : unmatched;
  }
  const plain = plausible(p.schema).map((v) => encode(String(v)));
  const writeSafe = (a: fc.Arbitrary<string>) => (op.method === "GET" ? a : a.filter((s) => !ctx.protectedIds.has(decodeURIComponentSafe(s))));
  const alts = [raw, hostile, plain];
  return writeSafe(op.method === "GET" && known.length > 0 ? fc.oneof(fc.constantFrom(...known), ...alts) : fc.oneof(...alts));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function queryString(op: Operation, known: readonly string[]): fc.Arbitrary<string> {
  const one = (p: Param) =>
    fc.option(
      fc.oneof(
        plausible(p.schema, 0, known).map((v) => encode(typeof v === "string" ? v : JSON.stringify(v) ?? "")),
        hostileString.map(encode),
        hostileNumber.map((n) => encode(String(n))),
        fc.constantFrom("%ZZ", "%00", "NaN", "1e20", "-1", "1.5", "0x10", "", "%ED%A0%80"),
      ),
      { freq: 3 },
    ).map((v) => (v === null ? [] : [`${encode(p.name)}=${v}`]));
  const extras = fc.array(fc.tuple(fc.constantFrom("extra", "limit", "__proto__", "constructor", "a[b]", "roundId"), hostileString.map(encode)), { maxLength: 2 }).map((xs) => xs.map(([k, v]) => `${encode(k)}=${v}`));
  const repeat = fc.boolean().map((b) => (b && op.query[0] ? [`${op.query[0].name}=1`, `${op.query[0].name}=2`] : []));
  return fc.tuple(fc.tuple(...op.query.map(one)), extras, repeat).map(([ps, ex, rep]) => {
    const parts = [...ps.flat(), ...ex, ...rep];
    return parts.length > 0 ? `?${parts.join("&")}` : "";
  });
}

const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max });
const modelName = fc.constantFrom("seed-a", "seed-b", "seed-judge", "other-model");

const battleLines = [
  fc.record(
    { model_a: modelName, model_b: modelName, winner: fc.constantFrom("model_a", "model_b", "tie", "tie (bothbad)"), id: text(1, 12), category: fc.constantFrom("writing", "coding"), tstamp: fc.integer({ min: 0, max: 2_000_000_000 }), judge: modelName },
    { requiredKeys: ["model_a", "model_b", "winner"] },
  ),
  fc.record({ model_a: modelName, model_b: modelName, score: fc.double({ min: 0, max: 1, noNaN: true }) }),
];
const itemLines = [
  fc.record({ text: text(1, 60), category: fc.constantFrom("writing", "coding"), source: text(1, 10), metadata: fc.dictionary(text(1, 6), text(0, 6), { maxKeys: 2 }) }, { requiredKeys: ["text"] }),
  fc.record({ name: text(1, 20), goal: text(1, 40), plan: fc.array(text(1, 20), { minLength: 1, maxLength: 3 }) }),
  fc.record({ text: text(20, 80), title: text(1, 20) }, { requiredKeys: ["text"] }),
  fc.record({ question_id: fc.integer({ min: 1, max: 1000 }), category: fc.constantFrom("writing", "coding"), turns: fc.array(text(1, 40), { minLength: 1, maxLength: 2 }) }),
  fc.record({ uid: text(1, 12), prompt: text(1, 60) }),
];

type Line = { line: string; hostile: boolean };

/** Lines for a line-based body: mostly the route's own format, plausible or with one hostile member. */
function ndjsonLine(path: string): fc.Arbitrary<Line> {
  const own = path.includes("battles") ? battleLines : itemLines;
  const template: fc.Arbitrary<Record<string, unknown>> = fc.oneof({ arbitrary: fc.oneof(...own), weight: 4 }, ...battleLines, ...itemLines);
  const bad = fc.oneof({ arbitrary: hostileString, weight: 3 }, hostileValue);
  return fc.oneof(
    { arbitrary: template.map((o) => ({ line: JSON.stringify(o), hostile: false })), weight: 3 },
    {
      arbitrary: fc.tuple(template, fc.nat(), fc.constantFrom<Mutation>("replace", "replace", "remove", "extra", "wrong-type"), bad).map(([o, pick, kind, h]) => ({ line: JSON.stringify(mutate(o, pick, kind, h)) ?? "null", hostile: true })),
      weight: 3,
    },
    fc.constantFrom("{", "not json", "", "[1,2", '{"text":"trunc', "\u0000", "\ud800", "null", "[]").map((line) => ({ line, hostile: false })),
  );
}

type BodyPart = { body?: string; contentType?: string; label: string };

function bodyFor(path: string, type: string, schema: JsonSchema, ctx: FuzzContext): fc.Arbitrary<BodyPart> {
  const isJson = type.includes("json") && !type.includes("ndjson");
  if (!isJson) {
    return fc.array(ndjsonLine(path), { maxLength: 6 }).map((lines) => ({
      body: lines.map((l) => l.line).join("\n"),
      contentType: type,
      label: `${type} ${lines.some((l) => l.hostile) ? "hostile lines" : "lines"}`,
    }));
  }
  const good = plausible(schema, 0, ctx.knownStrings);
  const kinds: fc.Arbitrary<BodyPart>[] = [
    good.map((v) => ({ body: JSON.stringify(v), contentType: type, label: "plausible" })),
    fc
      .tuple(good, fc.nat(), fc.constantFrom<Mutation>("replace", "remove", "extra", "wrong-type"), hostileValue)
      .map(([v, pick, kind, h]) => ({ body: JSON.stringify(mutate(v, pick, kind, h)) ?? "null", contentType: type, label: `mutated ${kind}` })),
    hostileValue.map((v) => ({ body: JSON.stringify(v) ?? "null", contentType: type, label: "hostile value" })),
    fc.tuple(good, fc.nat()).map(([v, n]) => {
      const s = JSON.stringify(v) ?? "";
      return { body: s.slice(0, s.length > 1 ? n % (s.length - 1) : 0), contentType: type, label: "truncated JSON" };
    }),
    fc.constantFrom("{", "{]", "nul", "'single'", '{"a":1,}', "\u0000", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", "NaN", "1e999", "[".repeat(5000)).map((b) => ({ body: b, contentType: type, label: "invalid JSON" })),
    fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1", "").map((ct) => ({ body: "name=x&a=1", contentType: ct || undefined, label: `content-type ${ct || "missing"}` })),
    fc.constant({ body: JSON.stringify({ pad: "x".repeat(ctx.bodyLimit) }), contentType: type, label: "over the body limit" }),
    fc.constant({ label: "no body", contentType: type }),
  ];
  return fc.oneof({ arbitrary: kinds[0] as fc.Arbitrary<BodyPart>, weight: 3 }, { arbitrary: kinds[1] as fc.Arbitrary<BodyPart>, weight: 5 }, ...kinds.slice(2));
}

function authHeader(ctx: FuzzContext): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${ctx.key}`), weight: 17 },
    { arbitrary: fc.constantFrom(undefined, "", "Bearer", "Bearer ", "Bearer wrong-key", `Bearer ${ctx.key}x`, `Basic ${ctx.key}`, `bearer  ${ctx.key.slice(0, -1)}`, `Bearer ${"k".repeat(5000)}`, "Bearer a b c"), weight: 3 },
  );
}

/** Every hostile request the fuzz may send for `op`. */
export function requestsFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...op.pathParams.map((p) => pathValue(op, p, ctx))).map((values) => {
    let url = op.path;
    op.pathParams.forEach((p, i) => {
      url = url.replace(`{${p.name}}`, values[i] ?? "");
    });
    return url;
  });
  const types = Object.keys(op.bodies);
  const body: fc.Arbitrary<BodyPart> =
    types.length === 0
      ? fc.oneof({ arbitrary: fc.constant<BodyPart>({ label: "no body" }), weight: 9 }, fc.constant<BodyPart>({ body: "{}", contentType: "application/json", label: "unexpected body" }))
      : fc.constantFrom(...types).chain((t) => bodyFor(op.path, t, op.bodies[t] ?? {}, ctx));
  return fc.tuple(path, queryString(op, ctx.knownStrings), body, authHeader(ctx)).map(([p, q, b, auth]) => {
    const headers: Record<string, string> = {};
    if (auth !== undefined) headers.authorization = auth;
    if (b.contentType) headers["content-type"] = b.contentType;
    // A GET cannot carry a body (the Request constructor refuses it), so its body is dropped.
    const body = op.method === "GET" ? undefined : b.body;
    return { method: op.method, url: `http://localhost${p}${q}`, headers, body, label: `${op.method} ${op.path} [${b.label}]` };
  });
}
