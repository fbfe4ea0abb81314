// traces=keep in the export formats, table-driven: for every SFT and DPO format the traced answer
// reads "<think>\n{trace}\n</think>\n\n{answer}" where the format holds the assistant turn, written
// out by hand per format; an answer without a trace, the default (drop), and reward/KTO rows carry
// final answers only. The card's line follows traceLayout.
import { describe, expect, it } from "vitest";
import { createFormatter, traceLayout, type JsonRecord } from "../../src/exports/format.js";
import type { DpoRow, KtoRow, Provenance, RewardRow, SftRow } from "../../src/exports/select.js";

const PROV: Provenance = {
  instructionId: "i1", category: "math", complexity: 2, source: null, target: "T", iterationIds: [null], roundIds: ["r1"],
  battles: [], models: ["A", "T"], judges: ["j1"], promptVersions: ["pv1"], scores: { A: 1, T: 0 }, margin: 0.8,
};
const PROMPT = [{ role: "user" as const, content: "What is 2+2?" }];
const A = { model: "A", responseId: "1", text: "4", trace: "2 and 2 make 4" };
const T = { model: "T", responseId: "2", text: "5", trace: null };
const THOUGHT = "<think>\n2 and 2 make 4\n</think>\n\n4";
const SFT: SftRow = { kind: "sft", prompt: PROMPT, completion: A, provenance: PROV };
const DPO: DpoRow = { kind: "dpo", prompt: PROMPT, chosen: A, rejected: T, provenance: PROV };

/** Where each format keeps the assistant's answer. */
const sftAnswer: Record<string, (l: JsonRecord) => unknown> = {
  messages: (l) => (l.messages as { content: string }[]).at(-1)?.content,
  openai: (l) => (l.messages as { content: string }[]).at(-1)?.content,
  axolotl: (l) => (l.messages as { content: string }[]).at(-1)?.content,
  sharegpt: (l) => (l.conversations as { value: string }[]).at(-1)?.value,
  alpaca: (l) => l.output,
};
const dpoAnswers: Record<string, (l: JsonRecord) => [unknown, unknown]> = {
  trl: (l) => [(l.chosen as { content: string }[])[0]?.content, (l.rejected as { content: string }[])[0]?.content],
  openai: (l) => [(l.preferred_output as { content: string }[])[0]?.content, (l.non_preferred_output as { content: string }[])[0]?.content],
  llamafactory: (l) => [(l.chosen as { value: string }).value, (l.rejected as { value: string }).value],
  axolotl: (l) => [(l.chosen as { content: string }).content, (l.rejected as { content: string }).content],
};

describe("SFT formats with traces", () => {
  for (const [format, read] of Object.entries(sftAnswer)) {
    it(`${format}: keep puts the <think> block first; drop carries the final answer`, () => {
      const f = format as "messages";
      expect(read(createFormatter("sft", f, { traces: "keep" })(SFT)[0] ?? {})).toBe(THOUGHT);
      expect(read(createFormatter("sft", f, { traces: "drop" })(SFT)[0] ?? {})).toBe("4");
      expect(read(createFormatter("sft", f)(SFT)[0] ?? {})).toBe("4");
      expect(read(createFormatter("sft", f, { traces: "keep" })({ ...SFT, completion: T })[0] ?? {})).toBe("5");
    });
  }
});

describe("DPO formats with traces", () => {
  for (const [format, read] of Object.entries(dpoAnswers)) {
    it(`${format}: keep traces the chosen answer, leaves the untraced rejected one alone`, () => {
      const f = format as "trl";
      expect(read(createFormatter("dpo", f, { traces: "keep" })(DPO)[0] ?? {})).toEqual([THOUGHT, "5"]);
      expect(read(createFormatter("dpo", f)(DPO)[0] ?? {})).toEqual(["4", "5"]);
    });
  }
});

describe("reward and KTO rows", () => {
  it("carry final answers even with traces=keep", () => {
    const kto: KtoRow = { kind: "kto", prompt: PROMPT, completion: A, label: true, score: 1, provenance: PROV };
    const reward: RewardRow = { kind: "reward", prompt: PROMPT, provenance: PROV, responses: [{ ...A, score: 1, battles: 1 }] };
    expect(JSON.stringify(createFormatter("kto", "trl", { traces: "keep" })(kto))).not.toContain("<think>");
    expect(JSON.stringify(createFormatter("reward", "scores", { traces: "keep" })(reward))).not.toContain("think");
  });

  const layouts = [
    { kind: "sft", traces: "keep", want: "think-block" },
    { kind: "dpo", traces: "keep", want: "think-block" },
    { kind: "sft", traces: "drop", want: null },
    { kind: "sft", traces: undefined, want: null },
    { kind: "kto", traces: "keep", want: null },
    { kind: "reward", traces: "keep", want: null },
  ] as const;
  for (const tc of layouts) {
    it(`traceLayout(${tc.kind}, ${tc.traces}) = ${tc.want}`, () => expect(traceLayout(tc.kind, tc.traces === undefined ? {} : { traces: tc.traces })).toBe(tc.want));
  }
});
