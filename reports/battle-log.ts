/**
 * Battle logs in Chatbot Arena's JSONL fields: one battle a line, either
 * `{ model_a, model_b, winner: "model_a"|"model_b"|"tie"|"tie (bothbad)" }` or `{ model_a, model_b, score }`
 * with score = model A's share in [0, 1]; optional `id`, `category`, `tstamp` (seconds), `judge`, `weight`
 * and Chatbot Arena's `conv_metadata` (answer token and markdown counts, used by style control).
 * Parsing never throws: a bad line is a value whose reason names the field. Every accepted value is one
 * the database stores unchanged (no NUL or lone surrogate, names and ids within index size, finite numbers).
 */
import { INDEXED_TEXT_MAX_BYTES, unsafeText } from "../lib/safe-value.js";
import { AsciiStrings, scanPlainBattle } from "./battle-log-bytes.js";
import type { StyleCounts } from "./style-features.js";

/** One battle, outcome from model A's side: 1 = A won, 0 = B won, 0.5 = tie, anything between = soft. */
export interface Battle {
  modelA: string;
  modelB: string;
  outcome: number;
  /** Importance weight (default 1): counts as this many battles in the fit. */
  weight?: number;
  tstamp?: number;
  category?: string;
  judge?: string;
  id?: string | number;
  styleA?: StyleCounts;
  styleB?: StyleCounts;
}

export type BattleParse = { ok: true; battle: Battle } | { ok: false; reason: string };

export const WINNER_OUTCOME: Readonly<Record<string, number>> = {
  model_a: 1,
  model_b: 0,
  tie: 0.5,
  "tie (bothbad)": 0.5,
};

type Json = Record<string, unknown>;
type Step = { ok: true } | { ok: false; reason: string };

const OK: Step = { ok: true };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Parses one JSONL line. Never throws. */
export function parseBattleLine(line: string): BattleParse {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail("invalid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("line: must be a JSON object");
  }
  return parseBattleObject(value as Json);
}

/** Validates an already-decoded battle object (the same rules as `parseBattleLine`). */
export function parseBattleObject(obj: Json): BattleParse {
  const core = parseBattleCore(obj);
  if (!core.ok) return core;
  const battle = core.battle;
  const steps = [parseId(obj, battle), parseStrings(obj, battle), parseNumbers(obj, battle), parseStyle(obj, battle)];
  for (const step of steps) if (!step.ok) return step;
  return { ok: true, battle };
}

/**
 * The required fields' rules (names, outcome): the whole of `parseBattleObject` for an object with no
 * optional field, as the byte fast path's `{model_a, model_b, winner}` (reports/battle-log-bytes.ts).
 */
export function parseBattleCore(obj: Json): BattleParse {
  const modelA = obj.model_a;
  const modelB = obj.model_b;
  if (modelA === undefined || modelA === null) return fail("model_a: required");
  if (typeof modelA !== "string" || modelA === "") return fail("model_a: must be a non-empty string");
  if (modelB === undefined || modelB === null) return fail("model_b: required");
  if (typeof modelB !== "string" || modelB === "") return fail("model_b: must be a non-empty string");
  const unsafeA = unsafeName(modelA);
  if (unsafeA) return fail(`model_a: ${unsafeA}`);
  const unsafeB = unsafeName(modelB);
  if (unsafeB) return fail(`model_b: ${unsafeB}`);
  if (modelA === modelB) return fail("model_b: must differ from model_a");
  const outcome = parseOutcome(obj);
  if (typeof outcome === "string") return fail(outcome);
  return { ok: true, battle: { modelA, modelB, outcome } };
}

/** Model names seen with their `unsafeText` verdict: a log names a few models a million times. */
const NAME_VERDICTS = new Map<string, string | null>();
const NAME_VERDICTS_MAX = 4096;

function unsafeName(name: string): string | null {
  const known = NAME_VERDICTS.get(name);
  if (known !== undefined) return known;
  const verdict = unsafeText(name, INDEXED_TEXT_MAX_BYTES);
  // A pure function's memo: dropped whole when full, so a log of ever-new names costs no memory.
  if (NAME_VERDICTS.size >= NAME_VERDICTS_MAX) NAME_VERDICTS.clear();
  NAME_VERDICTS.set(name, verdict);
  return verdict;
}

/** Returns A's share, or a reason string. */
function parseOutcome(obj: Json): number | string {
  const hasWinner = obj.winner !== undefined && obj.winner !== null;
  const hasScore = obj.score !== undefined && obj.score !== null;
  if (hasWinner && hasScore) return "score: give either winner or score, not both";
  if (hasWinner) {
    const share = typeof obj.winner === "string" ? WINNER_OUTCOME[obj.winner] : undefined;
    if (share === undefined) return `winner: must be one of ${Object.keys(WINNER_OUTCOME).map((k) => JSON.stringify(k)).join(", ")}`;
    return share;
  }
  if (hasScore) {
    if (typeof obj.score !== "number" || !Number.isFinite(obj.score)) return "score: must be a number";
    if (obj.score < 0 || obj.score > 1) return "score: must be in [0,1]";
    return obj.score;
  }
  return "winner: required (or score)";
}

function parseId(obj: Json, battle: Battle): Step {
  const id = obj.id;
  if (id === undefined || id === null) return OK;
  if (typeof id === "string" || (typeof id === "number" && Number.isFinite(id))) {
    const unsafe = typeof id === "string" ? unsafeText(id, INDEXED_TEXT_MAX_BYTES) : null;
    if (unsafe) return fail(`id: ${unsafe}`);
    battle.id = id;
    return OK;
  }
  return fail("id: must be a string or number");
}

function parseStrings(obj: Json, battle: Battle): Step {
  for (const key of ["category", "judge"] as const) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return fail(`${key}: must be a string`);
    const unsafe = unsafeText(v, INDEXED_TEXT_MAX_BYTES);
    if (unsafe) return fail(`${key}: ${unsafe}`);
    battle[key] = v;
  }
  return OK;
}

/** The range of a JavaScript Date (±8.64e15 ms), so every stored tstamp can be shown as a date. */
const MAX_TSTAMP_SECONDS = 8.64e12;

function parseNumbers(obj: Json, battle: Battle): Step {
  const { tstamp, weight } = obj;
  if (tstamp !== undefined && tstamp !== null) {
    if (typeof tstamp !== "number" || !Number.isFinite(tstamp)) return fail("tstamp: must be a number (seconds)");
    if (Math.abs(tstamp) > MAX_TSTAMP_SECONDS) return fail(`tstamp: out of range (seconds since 1970, at most ${MAX_TSTAMP_SECONDS} either way)`);
    battle.tstamp = tstamp;
  }
  if (weight !== undefined && weight !== null) {
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
      return fail("weight: must be a positive number");
    }
    battle.weight = weight;
  }
  return OK;
}

const META_FIELDS = [
  ["length", "sum_assistant_a_tokens", "sum_assistant_b_tokens"],
  ["headers", "header_count_a", "header_count_b"],
  ["listItems", "list_count_a", "list_count_b"],
  ["bold", "bold_count_a", "bold_count_b"],
] as const;

/**
 * Chatbot Arena's `conv_metadata`: each count is a number or an object of numbers (e.g. headers by level),
 * summed as FastChat does. Style is attached only when all eight counts are present.
 */
function parseStyle(obj: Json, battle: Battle): Step {
  const meta = obj.conv_metadata;
  if (meta === undefined || meta === null) return OK;
  if (typeof meta !== "object" || Array.isArray(meta)) return fail("conv_metadata: must be an object");
  const m = meta as Json;
  const a: StyleCounts = { length: 0, headers: 0, listItems: 0, bold: 0 };
  const b: StyleCounts = { length: 0, headers: 0, listItems: 0, bold: 0 };
  let complete = true;
  for (const [feature, keyA, keyB] of META_FIELDS) {
    for (const [key, side] of [[keyA, a], [keyB, b]] as const) {
      if (m[key] === undefined || m[key] === null) {
        complete = false;
        continue;
      }
      const total = sumCount(m[key]);
      if (total === null) return fail(`conv_metadata.${key}: must be a count or an object of counts`);
      side[feature] = total;
    }
  }
  if (complete) {
    battle.styleA = a;
    battle.styleB = b;
  }
  return OK;
}

function sumCount(v: unknown): number | null {
  const isCount = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
  if (isCount(v)) return v;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  let total = 0;
  for (const x of Object.values(v)) {
    if (!isCount(x)) return null;
    total += x;
  }
  // Finite parts can overflow to Infinity, which a jsonb column would store as null.
  return Number.isFinite(total) ? total : null;
}

/** One parsed line of a log, numbered from 1 as an editor shows it. */
export type NumberedParse = { line: number } & BattleParse;

/**
 * Parses a whole JSONL log, from a string or a stream of text chunks (chunk boundaries need not be line
 * boundaries, e.g. `fs.createReadStream(path, "utf8")`). Blank lines are skipped but still numbered.
 */
export async function* parseBattleLog(input: string | AsyncIterable<string>): AsyncGenerator<NumberedParse> {
  yield* parseBattleLines(splitLines(input));
}

/**
 * Parses a log given as lines; a null line is one whose bytes were not valid UTF-8 (see
 * src/http/ndjson-lines.ts) and is rejected as such. A trailing CR and a leading BOM are stripped.
 */
export async function* parseBattleLines(lines: Iterable<string | null> | AsyncIterable<string | null>): AsyncGenerator<NumberedParse> {
  let line = 0;
  for await (const raw of lines) {
    const parsed = parseRawLine(raw, ++line);
    if (parsed) yield parsed;
  }
}

/** One raw line numbered `line` (null = not valid UTF-8), or null for a blank line. */
function parseRawLine(raw: string | null, line: number): NumberedParse | null {
  if (raw === null) return { line, ok: false, reason: "invalid UTF-8" };
  let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (line === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
  if (text.trim() === "") return null;
  const r = parseBattleLine(text);
  return r.ok ? { line, ok: true, battle: r.battle } : { line, ok: false, reason: r.reason };
}

async function* splitLines(input: string | AsyncIterable<string>): AsyncGenerator<string> {
  if (typeof input === "string") {
    yield* input.split("\n");
    return;
  }
  let rest = "";
  for await (const chunk of input) {
    rest += chunk;
    let start = 0;
    let nl = rest.indexOf("\n", start);
    while (nl !== -1) {
      yield rest.slice(start, nl);
      start = nl + 1;
      nl = rest.indexOf("\n", start);
    }
    rest = rest.slice(start);
  }
  if (rest !== "") yield rest;
}

/** Reads a whole log into memory: the accepted battles and the rejected lines with their reasons. */
export async function collectBattleLog(
  input: string | AsyncIterable<string> | AsyncIterable<Uint8Array>,
): Promise<{ battles: Battle[]; rejected: { line: number; reason: string }[] }> {
  const battles: Battle[] = [];
  const rejected: { line: number; reason: string }[] = [];
  let line = 0;
  const keep = (parsed: NumberedParse | null) => {
    if (parsed === null) return;
    if (parsed.ok) battles.push(parsed.battle);
    else rejected.push({ line: parsed.line, reason: parsed.reason });
  };
  // Synchronous within a chunk: an async step per line cost more than parsing it.
  const take = (raw: string) => keep(parseRawLine(raw, ++line));
  const strings = new AsciiStrings();
  const takeBytes = (buf: Uint8Array, start: number, end: number) => {
    const plain = scanPlainBattle(buf, start, end, strings);
    if (plain === undefined) return take(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8"));
    // Only the three required keys: the optional fields' steps have nothing to check.
    const r = parseBattleCore(plain);
    line++;
    keep(r.ok ? { line, ok: true, battle: r.battle } : { line, ok: false, reason: r.reason });
  };
  if (typeof input === "string") {
    for (const raw of input.split("\n")) take(raw);
    return { battles, rejected };
  }
  let rest = "";
  let carry: Uint8Array | null = null;
  for await (const chunk of input) {
    if (typeof chunk === "string") {
      rest += chunk;
      let start = 0;
      for (let nl = rest.indexOf("\n"); nl !== -1; nl = rest.indexOf("\n", start)) {
        take(rest.slice(start, nl));
        start = nl + 1;
      }
      rest = rest.slice(start);
      continue;
    }
    // Bytes: lines split at LF, which never occurs inside a UTF-8 sequence.
    const buf: Uint8Array = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      takeBytes(buf, start, nl);
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest !== "") take(rest);
  if (carry) takeBytes(carry, 0, carry.length);
  return { battles, rejected };
}
