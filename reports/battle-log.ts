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

/** What a log reader hands each line to: a plain `{model_a, model_b, winner}` line, any other accepted line, a rejected one. */
interface LogSink {
  /**
   * An accepted line with only the required keys and a `winner` (outcome 1, 0 or 0.5, weight 1). A sink
   * that returns a tag (>= 0) has later byte-identical lines passed to `again(tag)` (see LineCache).
   */
  plain: (modelA: string, modelB: string, outcome: number) => number | void;
  again?: (tag: number) => void;
  battle: (battle: Battle) => void;
  reject: (line: number, reason: string) => void;
}

/**
 * Reads a log from a string, text chunks or byte chunks, line by line, synchronously within a chunk (an
 * async step per line cost more than parsing it). Byte lines of the usual form take the fast path of
 * battle-log-bytes.ts; every other line is decoded and parsed by `parseBattleLine`.
 */
async function readBattleLog(input: string | AsyncIterable<string> | AsyncIterable<Uint8Array>, sink: LogSink): Promise<void> {
  let line = 0;
  const keep = (parsed: NumberedParse | null) => {
    if (parsed === null) return;
    if (parsed.ok) sink.battle(parsed.battle);
    else sink.reject(parsed.line, parsed.reason);
  };
  const take = (raw: string) => keep(parseRawLine(raw, ++line));
  const strings = new AsciiStrings();
  const again = sink.again;
  const cache = again ? new LineCache() : null;
  const takeBytes = (buf: Uint8Array, start: number, end: number) => {
    if (cache && again) {
      const tag = cache.find(start, end);
      if (tag >= 0) {
        line++;
        return again(tag);
      }
    }
    const plain = scanPlainBattle(buf, start, end, strings);
    if (plain === undefined) return take(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8"));
    // Only the three required keys: the optional fields' steps have nothing to check.
    const r = parseBattleCore(plain);
    line++;
    if (!r.ok) return sink.reject(line, r.reason);
    const tag = sink.plain(r.battle.modelA, r.battle.modelB, r.battle.outcome);
    if (cache && typeof tag === "number" && tag >= 0) cache.add(buf, start, end, tag);
  };
  if (typeof input === "string") {
    for (const raw of input.split("\n")) take(raw);
    return;
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
    cache?.chunk(buf);
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      takeBytes(buf, start, nl);
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest !== "") take(rest);
  if (carry) {
    cache?.chunk(carry);
    takeBytes(carry, 0, carry.length);
  }
}

/**
 * Accepted plain lines by their exact bytes, each with the tag its sink gave it. A plain line's battle
 * is a function of its bytes alone, so a line byte-identical to one seen before (all its bytes compared,
 * not only its hash) needs no parsing: a million-line log of 100 models has about 30,000 distinct lines.
 * An open-addressing table over typed arrays, the lines' bytes in one arena, hashed and compared four
 * bytes at a time (a Map and per-line objects cost half as much again). Holds at most `max` lines (then
 * adds none), so a log of ever-new lines costs a hash per line.
 */
export class LineCache {
  private readonly mask: number;
  /** Per table slot: the line's hash and its entry (-1 = empty). */
  private readonly hashes: Int32Array;
  private readonly entries: Int32Array;
  /** Per entry: where its bytes start in the arena (entry e ends where e + 1 starts), and its tag. */
  private readonly starts: Int32Array;
  private readonly tags: Int32Array;
  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;
  private size = 0;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** The hash and the free slot of the line last missed by `find`, for `add`. */
  private hash = 0;
  private slot = -1;

  constructor(private readonly max = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(2 * max));
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.entries = new Int32Array(slots).fill(-1);
    this.starts = new Int32Array(max + 1);
    this.tags = new Int32Array(max);
  }

  /** Sets the chunk that the offsets of `find` and `add` refer to. */
  chunk(buf: Uint8Array): void {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The tag of the line of bytes [start, end) of the chunk, or -1. */
  find(start: number, end: number): number {
    const v = this.view;
    const len = end - start;
    const words = start + (len & ~3);
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    let i = start;
    for (; i < words; i += 4) h = Math.imul(h ^ v.getInt32(i, true), 0x01000193);
    for (; i < end; i++) h = Math.imul(h ^ v.getUint8(i), 0x01000193);
    this.hash = h;
    const { mask, hashes, entries, starts, arenaView: a } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = entries[s] as number;
      if (e < 0) {
        this.slot = s;
        return -1;
      }
      const o = starts[e] as number;
      if (hashes[s] !== h || (starts[e + 1] as number) - o !== len) continue;
      let j = o;
      for (i = start; i < words; i += 4, j += 4) if (a.getInt32(j, true) !== v.getInt32(i, true)) break;
      if (i < words) continue;
      for (; i < end; i++, j++) if (a.getUint8(j) !== v.getUint8(i)) break;
      if (i === end) return this.tags[e] as number;
    }
  }

  /** Remembers the line last missed by `find` (same offsets, same chunk) with its tag. */
  add(buf: Uint8Array, start: number, end: number, tag: number): void {
    if (this.size >= this.max || this.slot < 0) return;
    const len = end - start;
    if (this.used + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(2 * this.arena.length, this.used + len));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer);
    }
    this.arena.set(buf.subarray(start, end), this.used);
    const e = this.size++;
    this.starts[e] = this.used;
    this.used += len;
    this.starts[e + 1] = this.used;
    this.tags[e] = tag;
    this.hashes[this.slot] = this.hash;
    this.entries[this.slot] = e;
    this.slot = -1;
  }
}

/** Reads a whole log into memory: the accepted battles and the rejected lines with their reasons. */
export async function collectBattleLog(
  input: string | AsyncIterable<string> | AsyncIterable<Uint8Array>,
): Promise<{ battles: Battle[]; rejected: { line: number; reason: string }[] }> {
  const battles: Battle[] = [];
  const rejected: { line: number; reason: string }[] = [];
  await readBattleLog(input, {
    plain: (modelA, modelB, outcome) => battles.push({ modelA, modelB, outcome }),
    battle: (b) => battles.push(b),
    reject: (line, reason) => rejected.push({ line, reason }),
  });
  return { battles, rejected };
}

/** Model ids a tally's cell key holds exactly (see tallyBattleLog). */
const ID_LIMIT = 1 << 24;

/** `count` battles of modelA against modelB with model A's share `outcome` (1, 0 or 0.5), weight 1 and no other field. */
export interface PlainCount {
  modelA: string;
  modelB: string;
  outcome: number;
  count: number;
}

/**
 * A log read for an order-free board (Bradley-Terry, the tally methods): plain lines only counted, per
 * (model_a, model_b, outcome), in order of first appearance; every other accepted line kept whole in
 * `battles`, in log order. `counts` expanded plus `battles` are the battles `collectBattleLog` returns, in
 * another order. Why: a million-line log has a few thousand distinct cells, so counting them saves
 * building (and collecting) a million objects.
 */
export async function tallyBattleLog(
  input: string | AsyncIterable<string> | AsyncIterable<Uint8Array>,
): Promise<{ counts: PlainCount[]; battles: Battle[]; rejected: { line: number; reason: string }[]; accepted: number }> {
  const battles: Battle[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const counts: PlainCount[] = [];
  // Model name -> id, and (idA, idB, outcome code) -> index into counts.
  const ids = new Map<string, number>();
  const cells = new Map<number, number>();
  let plainLines = 0;
  const id = (name: string): number => {
    let k = ids.get(name);
    if (k === undefined) {
      k = ids.size;
      ids.set(name, k);
    }
    return k;
  };
  await readBattleLog(input, {
    plain: (modelA, modelB, outcome) => {
      const a = id(modelA);
      const b = id(modelB);
      // The key (a, b, outcome code) is exact while both ids stay below 2^24 (well inside a safe
      // integer); a log with more distinct names keeps its further battles whole instead.
      if (a >= ID_LIMIT || b >= ID_LIMIT) {
        battles.push({ modelA, modelB, outcome });
        return;
      }
      plainLines++;
      const key = (a * ID_LIMIT + b) * 3 + (outcome === 1 ? 2 : outcome === 0 ? 0 : 1);
      let at = cells.get(key);
      if (at === undefined) {
        at = counts.push({ modelA, modelB, outcome, count: 1 }) - 1;
        cells.set(key, at);
      } else (counts[at] as PlainCount).count++;
      return at;
    },
    again: (at) => {
      plainLines++;
      (counts[at] as PlainCount).count++;
    },
    battle: (b) => battles.push(b),
    reject: (line, reason) => rejected.push({ line, reason }),
  });
  return { counts, battles, rejected, accepted: plainLines + battles.length };
}
