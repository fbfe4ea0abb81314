/**
 * Response-cache keys and the in-memory `ResponseCache`.
 * A key is the sha256 of the canonical JSON (sorted object keys, `undefined` dropped) of everything that
 * decides a completion: provider, base URL, model id, messages, merged params and the JSON schema.
 * Pure apart from hashing; the in-memory cache is for tests and single-process runs.
 */
import { createHash } from "node:crypto";
import type { CachedCompletion, ChatMessage, ChatParams, JsonSchemaSpec, ResponseCache } from "./types.js";

/** JSON with object keys sorted at every depth; `undefined` members are omitted (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // JSON.stringify(undefined) is undefined: a bare undefined becomes null, like inside arrays.
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  }
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v === undefined || typeof v === "function") continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

export interface CacheKeyInput {
  provider: string;
  baseUrl: string | null;
  model: string;
  messages: ChatMessage[];
  params: ChatParams;
  jsonSchema?: JsonSchemaSpec | null;
  /** Distinguishes non-chat tasks (e.g. "score") that share a model id. */
  task?: string;
}

/**
 * sha256 hex of the canonical JSON of the call's identity; equal inputs in any key order give equal
 * keys. Equivalent to `sha256(canonicalJson({ baseUrl, messages, model, params, provider, schema,
 * task }))`, but written out in sorted key order by hand: this runs on every call, and the generic
 * sort-every-object walk was a measurable share of the gateway's CPU.
 */
export function cacheKey(input: CacheKeyInput): string {
  let messages = "[";
  for (let i = 0; i < input.messages.length; i++) {
    const m = input.messages[i];
    if (m === undefined) continue;
    messages += `${i > 0 ? "," : ""}{"content":${JSON.stringify(m.content)},"role":${JSON.stringify(m.role)}}`;
  }
  messages += "]";
  const text =
    `{"baseUrl":${JSON.stringify(input.baseUrl)},"messages":${messages},"model":${JSON.stringify(input.model)}` +
    `,"params":${canonicalJson(input.params)},"provider":${JSON.stringify(input.provider)}` +
    `,"schema":${schemaJson(input.jsonSchema ?? null)},"task":${JSON.stringify(input.task ?? "chat")}}`;
  return createHash("sha256").update(text).digest("hex");
}

/** Canonical JSON of a schema spec, memoised per schema object (callers reuse one schema for many calls). */
const schemaJsonCache = new WeakMap<object, string>();
function schemaJson(spec: JsonSchemaSpec | null): string {
  if (spec === null) return "null";
  let schema = schemaJsonCache.get(spec.schema);
  if (schema === undefined) {
    schema = canonicalJson(spec.schema);
    schemaJsonCache.set(spec.schema, schema);
  }
  return `{"name":${JSON.stringify(spec.name)},"schema":${schema}}`;
}

/** A Map-backed cache with an optional entry limit (oldest entry evicted first). */
export class MemoryCache implements ResponseCache {
  private readonly entries = new Map<string, CachedCompletion>();
  constructor(private readonly maxEntries = 100_000) {}

  async get(key: string): Promise<CachedCompletion | null> {
    const hit = this.entries.get(key);
    return hit ? { text: hit.text, usage: { ...hit.usage } } : null;
  }

  async put(key: string, _model: string, value: CachedCompletion): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { text: value.text, usage: { ...value.usage } });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
