/**
 * The fast path of a battle log read from bytes (the offline `matrix-arena leaderboard`). The usual line,
 * `{"model_a": "...", "model_b": "...", "winner": "..."}` (these keys once each, in any order, JSON
 * whitespace anywhere between tokens, values of printable ASCII without `"` or `\`), is read straight
 * from the bytes: no UTF-8 decoding of the line, no `JSON.parse`, and the model names come from a cache
 * of the strings already seen. Its fields then go through the same `parseBattleObject` as every other
 * line, so the validation rules are the same. Any other line is decoded and parsed by `parseBattleLine`.
 * Why: on a million-line log, decoding and `JSON.parse` were most of the command's time, while such a
 * log names a few hundred distinct strings.
 */

/** Strings of printable ASCII seen so far, keyed by an FNV-1a hash of their bytes. */
export class AsciiStrings {
  private readonly byHash = new Map<number, string>();
  constructor(private readonly max = 4096) {}

  /** The string of bytes [start, end) (printable ASCII), from the cache when its bytes match. */
  get(buf: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] ?? 0), 0x01000193);
    const known = this.byHash.get(h);
    if (known !== undefined && sameAscii(known, buf, start, end)) return known;
    const s = String.fromCharCode(...buf.subarray(start, end));
    // A hash collision keeps the first string; a log of ever-new names drops the cache when full.
    if (known === undefined) {
      if (this.byHash.size >= this.max) this.byHash.clear();
      this.byHash.set(h, s);
    }
    return s;
  }
}

function sameAscii(s: string, buf: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

export type PlainBattle = { model_a: string; model_b: string; winner: string };

const isWs = (c: number | undefined): boolean => c === 32 || c === 9 || c === 10 || c === 13;

const MODEL_ = [109, 111, 100, 101, 108, 95]; // "model_"
const WINNER = [119, 105, 110, 110, 101, 114]; // "winner"

/** Which key the bytes [start, end) spell: 0 model_a, 1 model_b, 2 winner, -1 any other. */
function keyIndex(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 7) {
    for (let k = 0; k < 6; k++) if (buf[start + k] !== MODEL_[k]) return -1;
    const last = buf[start + 6];
    return last === 97 ? 0 : last === 98 ? 1 : -1;
  }
  if (n === 6) {
    for (let k = 0; k < 6; k++) if (buf[start + k] !== WINNER[k]) return -1;
    return 2;
  }
  return -1;
}

/** Index of the closing quote of a plain value starting at `i` (bytes 0x20..0x7e, no `\`), or -1. */
function plainEnd(buf: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c === 34) return i;
    if (c < 32 || c > 126 || c === 92) return -1;
  }
  return -1;
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(buf[i])) i++;
  return i;
}

/**
 * The three fields of a plain battle line in bytes [start, end), or undefined when the line has any
 * other form (then it is decoded and parsed as text; the result is the object JSON.parse would give).
 */
export function scanPlainBattle(buf: Uint8Array, start: number, end: number, strings: AsciiStrings): PlainBattle | undefined {
  let i = skipWs(buf, start, end);
  if (buf[i] !== 123) return undefined;
  let modelA: string | undefined;
  let modelB: string | undefined;
  let winner: string | undefined;
  for (let pair = 0; pair < 3; pair++) {
    i = skipWs(buf, i + 1, end);
    if (buf[i] !== 34) return undefined;
    const keyEnd = plainEnd(buf, i + 1, end);
    if (keyEnd < 0) return undefined;
    const k = keyIndex(buf, i + 1, keyEnd);
    i = skipWs(buf, keyEnd + 1, end);
    if (k < 0 || buf[i] !== 58) return undefined;
    i = skipWs(buf, i + 1, end);
    if (buf[i] !== 34) return undefined;
    const valueEnd = plainEnd(buf, i + 1, end);
    if (valueEnd < 0) return undefined;
    const value = strings.get(buf, i + 1, valueEnd);
    // A repeated key is left to the text path (JSON.parse keeps the last; so would it).
    if (k === 0) {
      if (modelA !== undefined) return undefined;
      modelA = value;
    } else if (k === 1) {
      if (modelB !== undefined) return undefined;
      modelB = value;
    } else {
      if (winner !== undefined) return undefined;
      winner = value;
    }
    i = skipWs(buf, valueEnd + 1, end);
    // Three pairs, then the closing brace and nothing but whitespace.
    if (buf[i] !== (pair < 2 ? 44 : 125)) return undefined;
  }
  if (skipWs(buf, i + 1, end) !== end || modelA === undefined || modelB === undefined || winner === undefined) return undefined;
  return { model_a: modelA, model_b: modelB, winner };
}
