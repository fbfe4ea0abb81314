/**
 * `jsonLine(value)`: the same text as `JSON.stringify(value)` for the plain records the export
 * formatters build, faster on the export hot path. Strings that need no escaping (no quote,
 * backslash, control character or surrogate) are wrapped in quotes as they are instead of being
 * scanned and copied by the escaper; object keys are quoted once and cached. Anything that is not
 * a plain object, array or primitive (a Date, a class instance, anything with toJSON) goes to
 * `JSON.stringify` itself, so the result never differs (tests/unit/export-stream-json.test.ts checks
 * this on random values).
 */

/** Characters JSON.stringify would escape (surrogates too: it escapes lone ones, so defer to it). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 4096;

function quotedKey(k: string): string {
  let q = keyCache.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(k, q);
  }
  return q;
}

/**
 * The last few long strings and their JSON text. Export lines repeat long strings close together
 * (an instruction's prompt and the target's answer recur in each of its DPO pairs), and a hit
 * skips the escape scan; a miss costs a few length comparisons.
 */
const RING = 8;
const LONG = 64;
const ringIn: (string | null)[] = new Array<string | null>(RING).fill(null);
const ringOut: string[] = new Array<string>(RING).fill("");
let ringNext = 0;

/** The JSON text of `s` as a string value. */
export function jsonString(s: string): string {
  if (s.length < LONG) return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
  for (let i = 0; i < RING; i++) if (ringIn[i] === s) return ringOut[i] as string;
  const out = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
  ringIn[ringNext] = s;
  ringOut[ringNext] = out;
  ringNext = (ringNext + 1) % RING;
  return out;
}

/** Values JSON leaves out of objects (and writes as null in arrays). */
function skipped(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}

export function jsonLine(value: unknown): string {
  switch (typeof value) {
    case "string":
      return jsonString(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let s = "[";
        for (let i = 0; i < value.length; i++) {
          const x: unknown = value[i];
          if (i > 0) s += ",";
          s += skipped(x) ? "null" : jsonLine(x);
        }
        return `${s}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || "toJSON" in value) return JSON.stringify(value);
      const obj = value as Record<string, unknown>;
      let s = "{";
      let first = true;
      // for-in over a plain object visits its own enumerable string keys in JSON.stringify's order.
      for (const k in obj) {
        const x = obj[k];
        if (skipped(x)) continue;
        if (!first) s += ",";
        first = false;
        s += quotedKey(k);
        s += jsonLine(x);
      }
      return `${s}}`;
    }
    default:
      // undefined, functions, symbols at top level (JSON.stringify gives undefined), bigint (throws).
      return JSON.stringify(value);
  }
}
