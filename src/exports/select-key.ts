/**
 * Compact dedup keys for selected rows: text is normalised (case, whitespace, Unicode form; lib/text.ts
 * `foldCaseAndSpace`) and hashed with cyrb53 (lib/hash.ts) to a 53-bit integer, so a Set of a million
 * keys costs numbers, not strings. A collision (about n^2 / 2^54: ~5e-5 for a million rows) only drops
 * one extra row.
 */

import { cyrb53 } from "../../lib/hash.js";
import { foldCaseAndSpace } from "../../lib/text.js";
import type { PromptMessage } from "./select-types.js";

// Separators that normalisation never produces, so "ab"+"c" and "a"+"bc" hash differently.
const FIELD_SEP = "\u0001";
const TURN_SEP = "\u0002";

/** The normalised prompt: roles are kept, so a system line and a user line with the same text differ. */
export function normalisePrompt(messages: readonly PromptMessage[]): string {
  return messages.map((m) => `${m.role}:${foldCaseAndSpace(m.content)}`).join(TURN_SEP);
}

/** Dedup key of a row: the normalised prompt plus its answer texts (and label, for KTO), in order. */
export function rowKey(prompt: readonly PromptMessage[], parts: readonly string[]): number {
  return cyrb53([normalisePrompt(prompt), ...parts.map(foldCaseAndSpace)].join(FIELD_SEP));
}
