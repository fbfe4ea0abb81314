/**
 * Pure row formatters: one selected row -> the JSON object(s) of one JSONL line each, in the
 * layout a training tool documents. Sources, checked field by field in tests/unit/export-format.test.ts:
 * - TRL: https://huggingface.co/docs/trl/dataset_formats (conversational language modeling,
 *   preference, unpaired preference) and https://huggingface.co/docs/trl/reward_trainer
 *   (explicit-prompt preference, optional `margin` column).
 * - OpenAI: https://platform.openai.com/docs/guides/supervised-fine-tuning (`{ messages }`) and
 *   https://platform.openai.com/docs/guides/direct-preference-optimization
 *   (`{ input: { messages }, preferred_output, non_preferred_output }`).
 * - LLaMA-Factory: https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md (alpaca with
 *   `history`, sharegpt `conversations`, sharegpt preference `chosen`/`rejected`, `kto_tag`).
 * - Axolotl: https://docs.axolotl.ai/docs/dataset-formats/conversation.html (`chat_template`;
 *   `field_messages` defaults to "messages" in prompt_strategies/chat_template.py) and
 *   https://docs.axolotl.ai/docs/rlhf.html (DPO `chat_template.default`:
 *   `{ messages: [prompt turns], chosen: { role, content }, rejected: { role, content } }`).
 *
 * Provenance goes into a `metadata` field only where the tool ignores unknown columns; see
 * `provenanceKept`. OpenAI validates uploaded files against a fixed schema, so its formats never
 * carry it: an unknown key would put the whole file at risk of rejection.
 */

import { TIE_EPSILON } from "../../judges/index.js";
import { withThinkBlock } from "../../lib/reasoning-trace.js";
import type {
  DpoRow,
  KtoRow,
  PromptMessage,
  RewardRow,
  RowAnswer,
  RowOfKind,
  SelectionKind,
  SftRow,
} from "./select-types.js";
import { continuationMessages, ownPrompt, plainMessages, toAlternating, toShareGpt } from "./format-turns.js";

export const SFT_FORMATS = ["messages", "openai", "sharegpt", "alpaca", "axolotl"] as const;
export const DPO_FORMATS = ["trl", "openai", "llamafactory", "axolotl"] as const;
export const REWARD_FORMATS = ["scores", "trl-pairwise"] as const;
export const KTO_FORMATS = ["trl", "llamafactory"] as const;

export interface FormatOfKind {
  sft: (typeof SFT_FORMATS)[number];
  dpo: (typeof DPO_FORMATS)[number];
  reward: (typeof REWARD_FORMATS)[number];
  kto: (typeof KTO_FORMATS)[number];
}

export const FORMATS: { [K in SelectionKind]: readonly FormatOfKind[K][] } = {
  sft: SFT_FORMATS,
  dpo: DPO_FORMATS,
  reward: REWARD_FORMATS,
  kto: KTO_FORMATS,
};

export type JsonRecord = Record<string, unknown>;

export interface FormatOptions {
  /** Add a `metadata` field with the row's provenance (default: true only for our own `scores`). */
  provenance?: boolean;
  /**
   * "drop" (default): SFT and DPO rows carry final answers only. "keep": an answer's reasoning trace
   * goes in front of it as a `<think>` block (`traceLayout` says where, per format).
   */
  traces?: "drop" | "keep";
}

/**
 * Where a kept trace goes, per format: every SFT and DPO layout here holds the assistant turn as one
 * content string, and the trainers read reasoning data from it as a leading `<think>...</think>` block:
 * TRL conversational data, LLaMA-Factory's reasoning templates (its `enable_thinking` handling) and
 * chat templates applied by Axolotl. OpenAI's fine-tuning formats have no reasoning field, so there the
 * block is plain content too. Reward and KTO rows always carry final answers.
 */
export function traceLayout(kind: SelectionKind, options: FormatOptions = {}): "think-block" | null {
  return options.traces === "keep" && (kind === "sft" || kind === "dpo") ? "think-block" : null;
}

/** The answer as a row carries it: with its trace in front when traces are kept. */
const answerText = (a: Pick<RowAnswer, "text" | "trace">, traces: boolean): string => (traces ? withThinkBlock(a.text, a.trace ?? null) : a.text);

/**
 * Multi-turn rows (a row with `turns`). The candidates shared the prefix (`prompt`: system messages and
 * the first user turn) and nothing after it, since each answered the later turns after its own earlier
 * answers. So:
 * - SFT and KTO: the candidate's whole conversation, its earlier answers in the prompt part;
 * - TRL preference (DPO `trl`, reward `trl-pairwise`): `prompt` the shared prefix, `chosen`/`rejected`
 *   each candidate's continuation (its answers and the later user turns) as a message list, which TRL's
 *   conversational preference format takes as it is;
 * - OpenAI DPO, LLaMA-Factory sharegpt preference and Axolotl's DPO `chat_template.default` hold one
 *   conversation and one final assistant message per side, so they cannot carry two different histories:
 *   the conversation is the chosen candidate's (its earlier answers) and only the last answers differ;
 * - reward `scores`: the shared prefix, and each response with its `turns` (the continuation).
 * With `traces=keep`, every assistant turn carries its own trace; the later turns' requests carried the
 * earlier answers without traces.
 */
function multiTurnPrompt(row: { prompt: PromptMessage[]; turns?: string[] }, answer: RowAnswer, traces: boolean): PromptMessage[] {
  return row.turns === undefined ? row.prompt : ownPrompt(row.prompt, row.turns, answer, (a) => answerText(a, traces));
}

function continuation(turns: readonly string[], answer: RowAnswer, traces: boolean): PromptMessage[] {
  return continuationMessages(turns, answer, (a) => answerText(a, traces), answerText(answer, traces));
}

/** Formats whose tools ignore an extra `metadata` column; the OpenAI formats are not among them. */
const TOLERATES_METADATA = new Set([
  ...["sft:messages", "sft:sharegpt", "sft:alpaca", "sft:axolotl"],
  ...["dpo:trl", "dpo:llamafactory", "dpo:axolotl"],
  ...["reward:scores", "reward:trl-pairwise", "kto:trl", "kto:llamafactory"],
]);
const METADATA_BY_DEFAULT = new Set(["reward:scores"]);

export function isFormat<K extends SelectionKind>(kind: K, format: string): format is FormatOfKind[K] {
  return (FORMATS[kind] as readonly string[]).includes(format);
}

/** Whether rows of this kind and format will carry `metadata` under these options. */
export function provenanceKept(kind: SelectionKind, format: string, options: FormatOptions = {}): boolean {
  const key = `${kind}:${format}`;
  return TOLERATES_METADATA.has(key) && (options.provenance ?? METADATA_BY_DEFAULT.has(key));
}

const assistant = (content: string) => ({ role: "assistant" as const, content });
const gpt = (value: string) => ({ from: "gpt" as const, value });

/**
 * The line with its `metadata` (the provenance plus which answer(s) the line holds), or as it is
 * when the format drops it. Formatters build `meta` only when it is kept (`keep ? {...} : null`):
 * they run once per row of the largest exports.
 */
function withMetadata(obj: JsonRecord, meta: JsonRecord | null): JsonRecord {
  return meta === null ? obj : { ...obj, metadata: meta };
}

function alpaca(prompt: readonly PromptMessage[], output: string): JsonRecord {
  const { system, turns } = toAlternating(prompt);
  const history: [string, string][] = [];
  for (let i = 0; i + 1 < turns.length; i += 2) {
    history.push([turns[i]?.content ?? "", turns[i + 1]?.content ?? ""]);
  }
  const instruction = turns[turns.length - 1]?.content ?? "";
  const line: JsonRecord = { instruction, input: "", output };
  if (system !== null) line.system = system;
  return { ...line, history };
}

export function formatSft(row: SftRow, format: FormatOfKind["sft"], keep: boolean, traces = false): JsonRecord {
  const { model, responseId } = row.completion;
  const text = answerText(row.completion, traces);
  const meta = keep ? { ...row.provenance, completionModel: model, completionResponseId: responseId } : null;
  // A multi-turn row: the winner's whole conversation, its earlier answers included.
  const prompt = multiTurnPrompt(row, row.completion, traces);
  switch (format) {
    case "messages":
    case "openai":
    case "axolotl":
      return withMetadata({ messages: [...plainMessages(prompt), assistant(text)] }, meta);
    case "sharegpt":
      return withMetadata({ conversations: [...toShareGpt(prompt), gpt(text)] }, meta);
    case "alpaca":
      return withMetadata(alpaca(prompt, text), meta);
  }
}

export function formatDpo(row: DpoRow, format: FormatOfKind["dpo"], keep: boolean, traces = false): JsonRecord {
  const chosen = answerText(row.chosen, traces);
  const rejected = answerText(row.rejected, traces);
  const meta = keep
    ? {
        ...row.provenance,
        chosenModel: row.chosen.model,
        chosenResponseId: row.chosen.responseId,
        rejectedModel: row.rejected.model,
        rejectedResponseId: row.rejected.responseId,
      }
    : null;
  if (row.turns !== undefined) return multiTurnDpo(row, row.turns, format, meta, traces, chosen, rejected);
  const prompt = plainMessages(row.prompt);
  switch (format) {
    case "trl":
      return withMetadata({ prompt, chosen: [assistant(chosen)], rejected: [assistant(rejected)] }, meta);
    case "openai":
      return {
        input: { messages: prompt },
        preferred_output: [assistant(chosen)],
        non_preferred_output: [assistant(rejected)],
      };
    case "llamafactory":
      return withMetadata({ conversations: toShareGpt(row.prompt), chosen: gpt(chosen), rejected: gpt(rejected) }, meta);
    case "axolotl":
      return withMetadata({ messages: prompt, chosen: assistant(chosen), rejected: assistant(rejected) }, meta);
  }
}

/** A multi-turn DPO row in each layout (see `multiTurnPrompt` for what each can hold). */
function multiTurnDpo(row: DpoRow, turns: string[], format: FormatOfKind["dpo"], meta: JsonRecord | null, traces: boolean, chosen: string, rejected: string): JsonRecord {
  if (format === "trl") {
    return withMetadata({ prompt: plainMessages(row.prompt), chosen: continuation(turns, row.chosen, traces), rejected: continuation(turns, row.rejected, traces) }, meta);
  }
  // One shared conversation per line: the chosen candidate's.
  const shared = multiTurnPrompt(row, row.chosen, traces);
  switch (format) {
    case "openai":
      return { input: { messages: shared }, preferred_output: [assistant(chosen)], non_preferred_output: [assistant(rejected)] };
    case "llamafactory":
      return withMetadata({ conversations: toShareGpt(shared), chosen: gpt(chosen), rejected: gpt(rejected) }, meta);
    case "axolotl":
      return withMetadata({ messages: shared, chosen: assistant(chosen), rejected: assistant(rejected) }, meta);
  }
}

/**
 * `scores`: one line per instruction. `trl-pairwise`: one line per pair of differently scored
 * answers (scores within judges/ `TIE_EPSILON` are the same score, as in selection).
 */
export function formatReward(row: RewardRow, format: FormatOfKind["reward"], keep: boolean): JsonRecord[] {
  const prompt = plainMessages(row.prompt);
  if (format === "scores") {
    const turns = row.turns;
    const responses = row.responses.map((r) => (turns === undefined ? { text: r.text, score: r.score, model: r.model } : { text: r.text, turns: continuation(turns, r, false), score: r.score, model: r.model }));
    const responseIds = Object.fromEntries(row.responses.map((r) => [r.model, r.responseId]));
    return [withMetadata({ prompt, responses }, keep ? { ...row.provenance, responseIds } : null)];
  }
  const lines: JsonRecord[] = [];
  // responses are sorted best first, so i < j means i scored at least as high as j.
  row.responses.forEach((hi, i) => {
    for (const lo of row.responses.slice(i + 1)) {
      const margin = hi.score - lo.score;
      if (margin <= TIE_EPSILON) continue;
      const turns = row.turns;
      const line = turns === undefined ? { prompt, chosen: [assistant(hi.text)], rejected: [assistant(lo.text)], margin } : { prompt, chosen: continuation(turns, hi, false), rejected: continuation(turns, lo, false), margin };
      lines.push(withMetadata(line, keep ? { ...row.provenance, chosenModel: hi.model, rejectedModel: lo.model } : null));
    }
  });
  return lines;
}

export function formatKto(row: KtoRow, format: FormatOfKind["kto"], keep: boolean): JsonRecord {
  const { text, model, responseId } = row.completion;
  const meta = keep ? { ...row.provenance, completionModel: model, completionResponseId: responseId, score: row.score } : null;
  const prompt = multiTurnPrompt(row, row.completion, false);
  if (format === "trl") {
    return withMetadata({ prompt: plainMessages(prompt), completion: [assistant(text)], label: row.label }, meta);
  }
  return withMetadata({ conversations: [...toShareGpt(prompt), gpt(text)], kto_tag: row.label }, meta);
}

type Formatters = {
  [K in SelectionKind]: (row: RowOfKind[K], format: FormatOfKind[K], keep: boolean, traces: boolean) => JsonRecord[];
};

const FORMATTERS: Formatters = {
  sft: (row, format, keep, traces) => [formatSft(row, format, keep, traces)],
  dpo: (row, format, keep, traces) => [formatDpo(row, format, keep, traces)],
  reward: (row, format, keep) => formatReward(row, format, keep),
  kto: (row, format, keep) => [formatKto(row, format, keep)],
};

/** A row -> lines function for one export; most rows give one line, `trl-pairwise` gives several. */
export function createFormatter<K extends SelectionKind>(
  kind: K,
  format: FormatOfKind[K],
  options: FormatOptions = {},
): (row: RowOfKind[K]) => JsonRecord[] {
  const keep = provenanceKept(kind, format, options);
  const traces = traceLayout(kind, options) !== null;
  const fn = FORMATTERS[kind];
  return (row) => fn(row, format, keep, traces);
}
