// Multi-turn rows in every export format, traces on and off, each expected line written out by hand:
// SFT and KTO carry the candidate's whole conversation; TRL preference rows share the prefix and give
// each side's continuation; OpenAI, LLaMA-Factory and Axolotl DPO hold the chosen candidate's
// conversation with the two last answers; reward `scores` gives each response its turns.
import { describe, expect, it } from "vitest";
import { createFormatter } from "../../src/exports/format.js";
import type { DpoRow, KtoRow, Provenance, RewardRow, SftRow } from "../../src/exports/select.js";

const PROV: Provenance = {
  instructionId: "i1", category: "writing", complexity: 2, source: null, target: null, iterationIds: [null], roundIds: ["r1"],
  battles: [], models: ["A", "B"], judges: ["j1"], promptVersions: ["mt-bench-pair-multi-turn@1"], scores: { A: 1, B: 0 }, margin: 0.8,
};
const SYS = { role: "system" as const, content: "Be kind." };
const PROMPT = [SYS, { role: "user" as const, content: "Write a haiku." }];
const TURNS = ["Write a haiku.", "Now translate it."];
const A = { model: "A", responseId: "1", text: "a2", trace: "think a2", earlier: [{ text: "a1", trace: "think a1" }] };
const B = { model: "B", responseId: "2", text: "b2", trace: null, earlier: [{ text: "b1", trace: null }] };
const tk = (trace: string, text: string) => `<think>\n${trace}\n</think>\n\n${text}`;
const u = (content: string) => ({ role: "user", content });
const as = (content: string) => ({ role: "assistant", content });

const SFT: SftRow = { kind: "sft", prompt: PROMPT, turns: TURNS, completion: A, provenance: PROV };
const DPO: DpoRow = { kind: "dpo", prompt: PROMPT, turns: TURNS, chosen: A, rejected: B, provenance: PROV };

describe("multi-turn SFT: the winner's whole conversation", () => {
  const cases = [
    { traces: "drop" as const, a1: "a1", a2: "a2" },
    { traces: "keep" as const, a1: tk("think a1", "a1"), a2: tk("think a2", "a2") },
  ];
  for (const { traces, a1, a2 } of cases) {
    it(`traces=${traces}`, () => {
      const messages = [SYS, u("Write a haiku."), as(a1), u("Now translate it."), as(a2)];
      for (const f of ["messages", "openai", "axolotl"] as const) expect(createFormatter("sft", f, { traces })(SFT)).toEqual([{ messages }]);
      expect(createFormatter("sft", "sharegpt", { traces })(SFT)).toEqual([
        { conversations: [{ from: "system", value: "Be kind." }, { from: "human", value: "Write a haiku." }, { from: "gpt", value: a1 }, { from: "human", value: "Now translate it." }, { from: "gpt", value: a2 }] },
      ]);
      expect(createFormatter("sft", "alpaca", { traces })(SFT)).toEqual([{ instruction: "Now translate it.", input: "", output: a2, system: "Be kind.", history: [["Write a haiku.", a1]] }]);
    });
  }
});

describe("multi-turn DPO", () => {
  const cases = [
    { traces: "drop" as const, a1: "a1", a2: "a2" },
    { traces: "keep" as const, a1: tk("think a1", "a1"), a2: tk("think a2", "a2") },
  ];
  for (const { traces, a1, a2 } of cases) {
    it(`trl (traces=${traces}): the shared prefix, and each side's whole continuation`, () => {
      expect(createFormatter("dpo", "trl", { traces })(DPO)).toEqual([
        {
          prompt: [SYS, u("Write a haiku.")],
          chosen: [as(a1), u("Now translate it."), as(a2)],
          rejected: [as("b1"), u("Now translate it."), as("b2")],
        },
      ]);
    });
    it(`one-history formats (traces=${traces}): the chosen conversation, the last answers differing`, () => {
      const shared = [SYS, u("Write a haiku."), as(a1), u("Now translate it.")];
      expect(createFormatter("dpo", "openai", { traces })(DPO)).toEqual([{ input: { messages: shared }, preferred_output: [as(a2)], non_preferred_output: [as("b2")] }]);
      expect(createFormatter("dpo", "axolotl", { traces })(DPO)).toEqual([{ messages: shared, chosen: as(a2), rejected: as("b2") }]);
      expect(createFormatter("dpo", "llamafactory", { traces })(DPO)).toEqual([
        {
          conversations: [{ from: "system", value: "Be kind." }, { from: "human", value: "Write a haiku." }, { from: "gpt", value: a1 }, { from: "human", value: "Now translate it." }],
          chosen: { from: "gpt", value: a2 },
          rejected: { from: "gpt", value: "b2" },
        },
      ]);
    });
  }
});

describe("multi-turn reward and KTO rows (final answers, traces never)", () => {
  const reward: RewardRow = { kind: "reward", prompt: PROMPT, turns: TURNS, provenance: PROV, responses: [{ ...A, score: 1, battles: 1 }, { ...B, score: 0, battles: 1 }] };
  it("scores: each response with its continuation", () => {
    expect(createFormatter("reward", "scores", { provenance: false, traces: "keep" })(reward)).toEqual([
      {
        prompt: [SYS, u("Write a haiku.")],
        responses: [
          { text: "a2", turns: [as("a1"), u("Now translate it."), as("a2")], score: 1, model: "A" },
          { text: "b2", turns: [as("b1"), u("Now translate it."), as("b2")], score: 0, model: "B" },
        ],
      },
    ]);
  });
  it("trl-pairwise: as TRL DPO, with the margin", () => {
    expect(createFormatter("reward", "trl-pairwise")(reward)).toEqual([
      { prompt: [SYS, u("Write a haiku.")], chosen: [as("a1"), u("Now translate it."), as("a2")], rejected: [as("b1"), u("Now translate it."), as("b2")], margin: 1 },
    ]);
  });
  it("kto: the candidate's own conversation", () => {
    const kto: KtoRow = { kind: "kto", prompt: PROMPT, turns: TURNS, completion: B, label: false, score: 0, provenance: PROV };
    expect(createFormatter("kto", "trl")(kto)).toEqual([{ prompt: [SYS, u("Write a haiku."), as("b1"), u("Now translate it.")], completion: [as("b2")], label: false }]);
    expect(createFormatter("kto", "llamafactory")(kto)).toEqual([
      { conversations: [{ from: "system", value: "Be kind." }, { from: "human", value: "Write a haiku." }, { from: "gpt", value: "b1" }, { from: "human", value: "Now translate it." }, { from: "gpt", value: "b2" }], kto_tag: false },
    ]);
  });
  it("a single-turn row is formatted as before", () => {
    const single: SftRow = { kind: "sft", prompt: [u("Hi")] as SftRow["prompt"], completion: { model: "A", responseId: "1", text: "Hello" }, provenance: PROV };
    expect(createFormatter("sft", "messages")(single)).toEqual([{ messages: [u("Hi"), as("Hello")] }]);
  });
});
