/**
 * What publishing and /v1/clean pass through `cleanInstructions` (whose ids are plain strings) as a
 * typed value: a generated item, a pool instruction, or the n-th posted text. The string form
 * (`item:12`, `pool:7`, `text:3`) exists only inside one cleaning call, so it is written and read here
 * and nowhere else; `collisionJson` gives the stored and wire form of what a removed item collided
 * with (gen_items.collided_with and the API: `{ itemId }`, `{ instructionId }`, a benchmark prompt as
 * it is), and `generatedExternalId` the pool's external id of a published item (`gen-item:12`).
 */

export type CleanRef = { kind: "item"; id: number } | { kind: "pool"; id: number } | { kind: "text"; index: number };

export const itemRef = (id: number): CleanRef => ({ kind: "item", id });
export const poolRef = (id: number): CleanRef => ({ kind: "pool", id });
export const textRef = (index: number): CleanRef => ({ kind: "text", index });

export function encodeCleanRef(r: CleanRef): string {
  return r.kind === "text" ? `text:${r.index}` : `${r.kind}:${r.id}`;
}

// Canonical decimal only, so decode(encode(r)) is r and every string has at most one meaning.
const REF = /^(item|pool|text):(0|[1-9][0-9]*)$/;

/** The ref a string encodes, or null when it encodes none (a benchmark hit, a caller's own id). */
export function decodeCleanRef(s: string): CleanRef | null {
  const m = REF.exec(s);
  if (!m) return null;
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) return null;
  return m[1] === "item" ? itemRef(n) : m[1] === "pool" ? poolRef(n) : textRef(n);
}

/** A collision as stored and answered: an item's or a pool instruction's id, else the string as an id. */
export function collisionJson(c: string): { itemId: number } | { instructionId: number } | { id: string } {
  const r = decodeCleanRef(c);
  if (r?.kind === "item") return { itemId: r.id };
  if (r?.kind === "pool") return { instructionId: r.id };
  return { id: c };
}

/** The instruction pool's external id of a published generated item. */
export const generatedExternalId = (itemId: number): string => `gen-item:${itemId}`;
