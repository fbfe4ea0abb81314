/**
 * LLaMA-Factory `dataset_info.json` entries for exported files, as documented in
 * https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md: `formatting` (alpaca or
 * sharegpt), `ranking` for preference data, `columns` naming the file's fields and, for sharegpt,
 * `tags` naming the role and content keys and values. Role/content files (TRL, OpenAI, Axolotl SFT
 * and Axolotl DPO) load through the README's "OpenAI format" tags.
 */

import type { SelectionKind } from "./select-types.js";
import { axolotlConfig, type AxolotlConfig } from "./axolotl-config.js";

export interface DatasetInfoEntry {
  file_name: string;
  formatting: "alpaca" | "sharegpt";
  ranking?: true;
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

const SHAREGPT_TAGS = {
  role_tag: "from",
  content_tag: "value",
  user_tag: "human",
  assistant_tag: "gpt",
  system_tag: "system",
};
const OPENAI_TAGS = {
  role_tag: "role",
  content_tag: "content",
  user_tag: "user",
  assistant_tag: "assistant",
  system_tag: "system",
};

type Layout = Omit<DatasetInfoEntry, "file_name">;

const LAYOUTS: Record<string, Layout> = {
  "sft:alpaca": {
    formatting: "alpaca",
    columns: { prompt: "instruction", query: "input", response: "output", system: "system", history: "history" },
  },
  "sft:sharegpt": { formatting: "sharegpt", columns: { messages: "conversations" }, tags: SHAREGPT_TAGS },
  "sft:messages": { formatting: "sharegpt", columns: { messages: "messages" }, tags: OPENAI_TAGS },
  "sft:openai": { formatting: "sharegpt", columns: { messages: "messages" }, tags: OPENAI_TAGS },
  "sft:axolotl": { formatting: "sharegpt", columns: { messages: "messages" }, tags: OPENAI_TAGS },
  "dpo:llamafactory": {
    formatting: "sharegpt",
    ranking: true,
    columns: { messages: "conversations", chosen: "chosen", rejected: "rejected" },
    tags: SHAREGPT_TAGS,
  },
  // Axolotl's DPO rows hold chosen/rejected as single { role, content } messages, which is
  // exactly what LLaMA-Factory's sharegpt ranking reader takes under the OpenAI tags.
  "dpo:axolotl": {
    formatting: "sharegpt",
    ranking: true,
    columns: { messages: "messages", chosen: "chosen", rejected: "rejected" },
    tags: OPENAI_TAGS,
  },
  "kto:llamafactory": {
    formatting: "sharegpt",
    columns: { messages: "conversations", kto_tag: "kto_tag" },
    tags: SHAREGPT_TAGS,
  },
};

/**
 * `{ [name]: entry }`, ready to merge into `dataset_info.json`, or null when LLaMA-Factory cannot
 * read that format (TRL and OpenAI preference rows nest their messages differently, and reward
 * score lists have no LLaMA-Factory layout).
 */
export function datasetInfoEntry(
  name: string,
  kind: SelectionKind,
  format: string,
  fileName: string,
): Record<string, DatasetInfoEntry> | null {
  const layout = LAYOUTS[`${kind}:${format}`];
  if (layout === undefined) return null;
  const entry: DatasetInfoEntry = { file_name: fileName, ...structuredClone(layout) };
  return { [name]: entry };
}

/** How a trainer loads an export file: Axolotl's own config for `axolotl` files, else LLaMA-Factory's. */
export type DatasetConfig =
  | { tool: "axolotl"; config: AxolotlConfig }
  | { tool: "llamafactory"; config: Record<string, DatasetInfoEntry> };

/** The loader config of an export file, or null when neither trainer has a layout for it. */
export function datasetConfig(name: string, kind: SelectionKind, format: string, fileName: string): DatasetConfig | null {
  if (format === "axolotl") {
    const config = axolotlConfig(kind, fileName);
    return config === null ? null : { tool: "axolotl", config };
  }
  const config = datasetInfoEntry(name, kind, format, fileName);
  return config === null ? null : { tool: "llamafactory", config };
}
