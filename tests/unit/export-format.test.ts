// Export formats, each compared with a sample copied from the tool's documentation (keys and
// shapes), then field by field on a multi-turn prompt written out by hand for every format.
import { describe, expect, it } from "vitest";
import type { DpoRow, KtoRow, PromptMessage, Provenance, RewardRow, SftRow } from "../../src/exports/select.js";
import { datasetInfoEntry } from "../../src/exports/dataset-info.js";
import { createFormatter, FORMATS, isFormat, provenanceKept, type JsonRecord } from "../../src/exports/format.js";

/** Structure of a JSON value: object keys (sorted) and element shapes; arrays must be uniform. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) {
    const shapes = v.map(shapeOf).map((s) => JSON.stringify(s));
    expect(new Set(shapes).size).toBeLessThanOrEqual(1);
    return [v.length === 0 ? "empty" : shapeOf(v[0])];
  }
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shapeOf((v as Record<string, unknown>)[k])]));
  }
  return typeof v;
}

const msg = (role: PromptMessage["role"], content: string) => ({ role, content });
// The documented samples, copied from each page (optional keys we do not emit left out, noted inline).
const DOCS = {
  // https://huggingface.co/docs/trl/dataset_formats: conversational language modeling
  trlMessages: { messages: [msg("user", "What color is the sky?"), msg("assistant", "It is blue.")] },
  // https://platform.openai.com/docs/guides/supervised-fine-tuning
  openaiSft: { messages: [msg("system", "Marv is a factual chatbot."), msg("user", "What's the capital of France?"), msg("assistant", "Paris.")] },
  // LLaMA-Factory data/README.md, sharegpt SFT ("system" and "tools" columns are optional)
  sharegpt: { conversations: [{ from: "human", value: "human instruction" }, { from: "gpt", value: "model response" }] },
  // LLaMA-Factory data/README.md, alpaca SFT
  alpaca: {
    instruction: "human instruction (required)",
    input: "human input (optional)",
    output: "model response (required)",
    system: "system prompt (optional)",
    history: [["human instruction in the first round (optional)", "model response in the first round (optional)"]],
  },
  // Axolotl docs, chat_template (field_messages defaults to "messages")
  axolotlSft: { messages: [msg("user", "..."), msg("assistant", "...")] },
  // https://huggingface.co/docs/trl/dataset_formats: conversational preference (explicit prompt)
  trlDpo: { prompt: [msg("user", "What color is the sky?")], chosen: [msg("assistant", "It is blue.")], rejected: [msg("assistant", "It is green.")] },
  // https://platform.openai.com/docs/guides/direct-preference-optimization (input.tools and
  // input.parallel_tool_calls are optional and omitted)
  openaiDpo: {
    input: { messages: [msg("user", "Hello, can you tell me how cold San Francisco is today?")] },
    preferred_output: [msg("assistant", "Today in San Francisco, it is not quite cold as expected.")],
    non_preferred_output: [msg("assistant", "It is not particularly cold in San Francisco today.")],
  },
  // LLaMA-Factory data/README.md, sharegpt preference
  llamafactoryDpo: {
    conversations: [{ from: "human", value: "human instruction" }, { from: "gpt", value: "model response" }, { from: "human", value: "human instruction" }],
    chosen: { from: "gpt", value: "chosen answer (required)" },
    rejected: { from: "gpt", value: "rejected answer (required)" },
  },
  // Axolotl docs/rlhf.qmd, DPO chat_template.default
  axolotlDpo: { messages: [msg("system", "..."), msg("user", "...")], chosen: msg("assistant", "..."), rejected: msg("assistant", "...") },
  // https://huggingface.co/docs/trl/dataset_formats: conversational unpaired preference
  trlKto: { prompt: [msg("user", "What color is the sky?")], completion: [msg("assistant", "It is blue.")], label: true },
  // LLaMA-Factory data/README.md: KTO is sharegpt plus a boolean kto_tag column
  llamafactoryKto: { conversations: [{ from: "human", value: "q" }, { from: "gpt", value: "a" }], kto_tag: true },
  // https://huggingface.co/docs/trl/reward_trainer: conversational preference with optional margin
  trlPairwise: { prompt: [msg("user", "q")], chosen: [msg("assistant", "a")], rejected: [msg("assistant", "b")], margin: 0.5 },
  // Our own reward layout (the task's contract)
  scores: { prompt: [msg("user", "q")], responses: [{ text: "a", score: 0.5, model: "m" }] },
};

const PROMPT: PromptMessage[] = [msg("system", "Be brief."), msg("user", "Hi"), msg("assistant", "Hello!"), msg("user", "What is 2+2?")];
const PROV: Provenance = {
  instructionId: "i1", category: "math", complexity: 2, source: "planted", target: "T", iterationIds: ["it1"], roundIds: ["r1"],
  battles: [{ battleId: "b1", roundId: "r1", iterationId: "it1", modelA: "A", modelB: "T", outcome: 1, margin: 0.8 }],
  models: ["A", "T"], judges: ["j1"], promptVersions: ["pv1"], scores: { A: 1, T: 0 }, margin: 0.8,
};
const ans = (model: string, text: string) => ({ model, responseId: `i1-${model}`, text });
const SFT: SftRow = { kind: "sft", prompt: PROMPT, completion: ans("A", "4"), provenance: PROV };
const DPO: DpoRow = { kind: "dpo", prompt: PROMPT, chosen: ans("A", "4"), rejected: ans("T", "5"), provenance: PROV };
const KTO: KtoRow = { kind: "kto", prompt: PROMPT, completion: ans("T", "5"), label: false, score: 0, provenance: PROV };
const REWARD: RewardRow = {
  kind: "reward", prompt: PROMPT, provenance: PROV,
  responses: [{ ...ans("A", "4"), score: 1, battles: 1 }, { ...ans("B", "four"), score: 1, battles: 1 }, { ...ans("T", "5"), score: 0, battles: 2 }],
};

const sys = msg("system", "Be brief.");
const convo = [{ from: "system", value: "Be brief." }, { from: "human", value: "Hi" }, { from: "gpt", value: "Hello!" }, { from: "human", value: "What is 2+2?" }];
const one = (lines: JsonRecord[]) => {
  expect(lines).toHaveLength(1);
  return lines[0];
};

const cases: { name: string; line: () => JsonRecord | undefined; doc: unknown; want: unknown }[] = [
  { name: "sft messages (TRL)", line: () => one(createFormatter("sft", "messages")(SFT)), doc: DOCS.trlMessages, want: { messages: [...PROMPT, msg("assistant", "4")] } },
  { name: "sft openai", line: () => one(createFormatter("sft", "openai")(SFT)), doc: DOCS.openaiSft, want: { messages: [...PROMPT, msg("assistant", "4")] } },
  { name: "sft axolotl", line: () => one(createFormatter("sft", "axolotl")(SFT)), doc: DOCS.axolotlSft, want: { messages: [...PROMPT, msg("assistant", "4")] } },
  { name: "sft sharegpt", line: () => one(createFormatter("sft", "sharegpt")(SFT)), doc: DOCS.sharegpt, want: { conversations: [...convo, { from: "gpt", value: "4" }] } },
  {
    name: "sft alpaca",
    line: () => one(createFormatter("sft", "alpaca")(SFT)),
    doc: DOCS.alpaca,
    want: { instruction: "What is 2+2?", input: "", output: "4", system: "Be brief.", history: [["Hi", "Hello!"]] },
  },
  {
    name: "dpo trl",
    line: () => one(createFormatter("dpo", "trl")(DPO)),
    doc: DOCS.trlDpo,
    want: { prompt: PROMPT, chosen: [msg("assistant", "4")], rejected: [msg("assistant", "5")] },
  },
  {
    name: "dpo openai",
    line: () => one(createFormatter("dpo", "openai")(DPO)),
    doc: DOCS.openaiDpo,
    want: { input: { messages: PROMPT }, preferred_output: [msg("assistant", "4")], non_preferred_output: [msg("assistant", "5")] },
  },
  {
    name: "dpo llamafactory",
    line: () => one(createFormatter("dpo", "llamafactory")(DPO)),
    doc: DOCS.llamafactoryDpo,
    want: { conversations: convo, chosen: { from: "gpt", value: "4" }, rejected: { from: "gpt", value: "5" } },
  },
  {
    name: "dpo axolotl",
    line: () => one(createFormatter("dpo", "axolotl")(DPO)),
    doc: DOCS.axolotlDpo,
    want: { messages: [sys, msg("user", "Hi"), msg("assistant", "Hello!"), msg("user", "What is 2+2?")], chosen: msg("assistant", "4"), rejected: msg("assistant", "5") },
  },
  { name: "kto trl", line: () => one(createFormatter("kto", "trl")(KTO)), doc: DOCS.trlKto, want: { prompt: PROMPT, completion: [msg("assistant", "5")], label: false } },
  {
    name: "kto llamafactory",
    line: () => one(createFormatter("kto", "llamafactory")(KTO)),
    doc: DOCS.llamafactoryKto,
    want: { conversations: [...convo, { from: "gpt", value: "5" }], kto_tag: false },
  },
  {
    name: "reward scores (without metadata)",
    line: () => one(createFormatter("reward", "scores", { provenance: false })(REWARD)),
    doc: DOCS.scores,
    want: { prompt: PROMPT, responses: [{ text: "4", score: 1, model: "A" }, { text: "four", score: 1, model: "B" }, { text: "5", score: 0, model: "T" }] },
  },
];

describe("formats match the documented samples and render multi-turn prompts", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const line = tc.line();
      expect(shapeOf(line)).toEqual(shapeOf(tc.doc));
      expect(line).toEqual(tc.want);
    });
  }

  it("reward trl-pairwise: one line per differently scored pair, margin = score gap", () => {
    const lines = createFormatter("reward", "trl-pairwise")(REWARD);
    // A and B tie at 1 (no line); A > T and B > T, gap 1 each.
    expect(lines.map((l) => shapeOf(l))).toEqual([shapeOf(DOCS.trlPairwise), shapeOf(DOCS.trlPairwise)]);
    expect(lines).toEqual([
      { prompt: PROMPT, chosen: [msg("assistant", "4")], rejected: [msg("assistant", "5")], margin: 1 },
      { prompt: PROMPT, chosen: [msg("assistant", "four")], rejected: [msg("assistant", "5")], margin: 1 },
    ]);
  });
});

describe("prompt edge cases in the alternating formats", () => {
  const cases: { name: string; prompt: PromptMessage[]; history: unknown; instruction: string; system?: string }[] = [
    { name: "single turn", prompt: [msg("user", "Q")], history: [], instruction: "Q" },
    { name: "consecutive user turns merge", prompt: [msg("user", "a"), msg("user", "b")], history: [], instruction: "a\n\nb" },
    { name: "two system turns join", prompt: [msg("system", "s1"), msg("system", "s2"), msg("user", "Q")], history: [], instruction: "Q", system: "s1\n\ns2" },
    { name: "leading assistant gets an empty user turn", prompt: [msg("assistant", "Hi!"), msg("user", "Q")], history: [["", "Hi!"]], instruction: "Q" },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const line = one(createFormatter("sft", "alpaca")({ ...SFT, prompt: tc.prompt }));
      expect(line).toMatchObject({ instruction: tc.instruction, history: tc.history, output: "4" });
      expect(line?.system).toBe(tc.system);
    });
  }
});

describe("provenance", () => {
  const table: [string, "sft" | "dpo" | "reward" | "kto", string, boolean, boolean][] = [
    // kind, format, kept by default, kept when asked
    ["sft messages", "sft", "messages", false, true],
    ["sft openai", "sft", "openai", false, false],
    ["sft alpaca", "sft", "alpaca", false, true],
    ["dpo openai", "dpo", "openai", false, false],
    ["dpo llamafactory", "dpo", "llamafactory", false, true],
    ["reward scores", "reward", "scores", true, true],
    ["kto trl", "kto", "trl", false, true],
  ];
  for (const [name, kind, format, byDefault, asked] of table) {
    it(name, () => {
      expect(provenanceKept(kind, format)).toBe(byDefault);
      expect(provenanceKept(kind, format, { provenance: true })).toBe(asked);
    });
  }

  it("metadata carries the row's provenance and which answers were used", () => {
    const line = one(createFormatter("dpo", "trl", { provenance: true })(DPO));
    expect(line?.metadata).toEqual({ ...PROV, chosenModel: "A", chosenResponseId: "i1-A", rejectedModel: "T", rejectedResponseId: "i1-T" });
    const openai = one(createFormatter("dpo", "openai", { provenance: true })(DPO));
    expect(openai).not.toHaveProperty("metadata");
    const scores = one(createFormatter("reward", "scores")(REWARD));
    expect(scores?.metadata).toMatchObject({ instructionId: "i1", responseIds: { A: "i1-A", B: "i1-B", T: "i1-T" } });
  });

  it("isFormat accepts exactly the listed formats", () => {
    expect(FORMATS.sft.every((f) => isFormat("sft", f))).toBe(true);
    expect(isFormat("sft", "trl")).toBe(false);
    expect(isFormat("dpo", "trl")).toBe(true);
  });
});

describe("datasetInfoEntry (LLaMA-Factory data/README.md)", () => {
  const SHAREGPT_TAGS = { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt", system_tag: "system" };
  const OPENAI_TAGS = { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" };
  const cases: { kind: "sft" | "dpo" | "reward" | "kto"; format: string; want: unknown; row: () => JsonRecord | undefined }[] = [
    {
      kind: "sft", format: "alpaca", row: () => one(createFormatter("sft", "alpaca")(SFT)),
      want: { file_name: "f.jsonl", formatting: "alpaca", columns: { prompt: "instruction", query: "input", response: "output", system: "system", history: "history" } },
    },
    { kind: "sft", format: "sharegpt", row: () => one(createFormatter("sft", "sharegpt")(SFT)), want: { file_name: "f.jsonl", formatting: "sharegpt", columns: { messages: "conversations" }, tags: SHAREGPT_TAGS } },
    { kind: "sft", format: "openai", row: () => one(createFormatter("sft", "openai")(SFT)), want: { file_name: "f.jsonl", formatting: "sharegpt", columns: { messages: "messages" }, tags: OPENAI_TAGS } },
    {
      kind: "dpo", format: "llamafactory", row: () => one(createFormatter("dpo", "llamafactory")(DPO)),
      want: { file_name: "f.jsonl", formatting: "sharegpt", ranking: true, columns: { messages: "conversations", chosen: "chosen", rejected: "rejected" }, tags: SHAREGPT_TAGS },
    },
    {
      kind: "dpo", format: "axolotl", row: () => one(createFormatter("dpo", "axolotl")(DPO)),
      want: { file_name: "f.jsonl", formatting: "sharegpt", ranking: true, columns: { messages: "messages", chosen: "chosen", rejected: "rejected" }, tags: OPENAI_TAGS },
    },
    { kind: "kto", format: "llamafactory", row: () => one(createFormatter("kto", "llamafactory")(KTO)), want: { file_name: "f.jsonl", formatting: "sharegpt", columns: { messages: "conversations", kto_tag: "kto_tag" }, tags: SHAREGPT_TAGS } },
  ];
  for (const tc of cases) {
    it(`${tc.kind} ${tc.format}: entry, and every named column and tag exists in a real line`, () => {
      const entry = datasetInfoEntry("arena", tc.kind, tc.format, "f.jsonl");
      expect(entry).toEqual({ arena: tc.want });
      const info = entry?.arena;
      const line = tc.row() ?? {};
      for (const column of Object.values(info?.columns ?? {})) expect(line).toHaveProperty(column);
      const tags = info?.tags;
      if (tags === undefined) return;
      const roles = new Set([tags.user_tag, tags.assistant_tag, tags.system_tag]);
      for (const m of line[info?.columns.messages ?? ""] as Record<string, unknown>[]) {
        expect(roles.has(String(m[tags.role_tag ?? ""]))).toBe(true);
        expect(typeof m[tags.content_tag ?? ""]).toBe("string");
      }
    });
  }

  it("formats LLaMA-Factory cannot read have no entry", () => {
    expect(datasetInfoEntry("x", "dpo", "trl", "f.jsonl")).toBeNull();
    expect(datasetInfoEntry("x", "dpo", "openai", "f.jsonl")).toBeNull();
    expect(datasetInfoEntry("x", "reward", "scores", "f.jsonl")).toBeNull();
  });
});
