/**
 * The shape of every versioned prompt template of the generator, and the two things done with one:
 * its `id/vN` tag, stored with every task output (so a change of wording is a new version and old
 * results stay attributable), and the chat messages it renders for given variables.
 */
import type { ChatMessage } from "../../gateway/types.js";

export interface Template<V> {
  id: string;
  version: number;
  system: string;
  user(vars: V): string;
}

export const tagOf = (t: Template<never>): string => `${t.id}/v${t.version}`;

export function messagesOf<V>(t: Template<V>, vars: V): ChatMessage[] {
  return [
    { role: "system", content: t.system },
    { role: "user", content: t.user(vars) },
  ];
}
