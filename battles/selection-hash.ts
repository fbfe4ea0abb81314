/**
 * Compact dedup keys for selected rows: text is normalised (case, whitespace, Unicode form) and
 * hashed with cyrb53 to a 53-bit integer, so a Set of a million keys costs numbers, not strings.
 * A collision (about n^2 / 2^54: ~5e-5 for a million rows) only drops one extra row.
 */

import type { PromptMessage } from "./selection-types.js";

// Separators that normalisation never produces, so "ab"+"c" and "a"+"bc" hash differently.
const FIELD_SEP = "\u0001";
const TURN_SEP = "\u0002";

/** Lower-cases, applies NFKC, collapses runs of whitespace and trims. */
export function normaliseText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * cyrb53 (bryc, public domain): a fast 53-bit string hash. Reference values from the author's
 * README: cyrb53("a") = 7929297801672961, cyrb53("revenge") = 4051478007546757.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The normalised prompt: roles are kept, so a system line and a user line with the same text differ. */
export function normalisePrompt(messages: readonly PromptMessage[]): string {
  return messages.map((m) => `${m.role}:${normaliseText(m.content)}`).join(TURN_SEP);
}

/** Dedup key of a row: the normalised prompt plus its answer texts (and label, for KTO), in order. */
export function rowKey(prompt: readonly PromptMessage[], parts: readonly string[]): number {
  return cyrb53([normalisePrompt(prompt), ...parts.map(normaliseText)].join(FIELD_SEP));
}
