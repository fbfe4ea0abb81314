// What an export withholds (pure): held-out ids and normalised texts, benchmark exact and 13-gram
// collisions, the flags that let each kind in, and the counts the dataset card prints.
import { describe, expect, it } from "vitest";
import type { InstructionGroup, PromptMessage } from "../../src/exports/select.js";
import { renderDatasetCard } from "../../src/exports/dataset-card.js";
import { createWithholding, type WithheldFlags, type WithheldReason, type WithheldSets } from "../../src/exports/withheld.js";
import { buildDecontamIndex } from "../../src/generator/clean/decontaminate.js";
import { foldToWordText } from "../../lib/text.js";

const HELD = "Explain how tides work to a ten year old.";
const LONG = "Write a short story about a lighthouse keeper who discovers that the light has been guiding ships to a hidden island";
const SHORT = "Name three primary colours.";
const benchmarks = [{ benchmark: "mini", prompts: [{ id: "1", text: SHORT }, { id: "2", text: LONG }] }];

const SETS: WithheldSets = {
  heldOutIds: new Set(["7"]),
  heldOutTexts: new Set([foldToWordText(HELD)]),
  benchmarkExact: new Set(benchmarks[0]?.prompts.map((p) => foldToWordText(p.text))),
  decontam: buildDecontamIndex(benchmarks),
};

const user = (content: string): PromptMessage => ({ role: "user", content });
const group = (id: string, messages: PromptMessage[], turns?: string[]): InstructionGroup => ({ instruction: { id, messages, ...(turns ? { turns } : {}), category: "general", complexity: null, source: null }, answers: [], battles: [] });

const OFF: WithheldFlags = { includeHeldOut: false, includeBenchmarkCollisions: false };
const cases: { name: string; id: string; messages: PromptMessage[]; turns?: string[]; flags?: WithheldFlags; want: WithheldReason | null }[] = [
  { name: "multi-turn: a benchmark prompt as a later user turn", id: "30", messages: [user("Hi there")], turns: ["Hi there", SHORT], want: "benchmark-exact" },
  { name: "multi-turn: held out by its first user turn", id: "31", messages: [user(HELD)], turns: [HELD, "And the moon?"], want: "held-out-text" },
  { name: "multi-turn: 13 words of a benchmark prompt in a later turn", id: "32", messages: [user("Hi there")], turns: ["Hi there", `Now ${LONG}`], want: "benchmark-ngram" },
  { name: "multi-turn: nothing to withhold", id: "33", messages: [user("Hi there")], turns: ["Hi there", "Tell me a joke."], want: null },
  { name: "held-out id, whatever the text", id: "7", messages: [user("anything at all")], want: "held-out-id" },
  { name: "copy: case, spacing and punctuation differ", id: "8", messages: [user("  EXPLAIN how tides   work, to a ten-year old!! ")], want: "held-out-text" },
  { name: "copy behind a system prompt", id: "9", messages: [{ role: "system", content: "Be brief." }, user(HELD)], want: "held-out-text" },
  { name: "copy as the first turn of a conversation", id: "10", messages: [user(HELD), { role: "assistant", content: "Sure." }, user("And the moon?")], want: "held-out-text" },
  { name: "held-out text only as a later turn is not the held-out prompt", id: "11", messages: [user("Hello"), { role: "assistant", content: "Hi" }, user(HELD)], want: null },
  { name: "a longer prompt that contains the held-out one", id: "12", messages: [user(`${HELD} Then quiz them.`)], want: null },
  { name: "benchmark prompt, normalised", id: "13", messages: [user("name THREE primary colours")], want: "benchmark-exact" },
  { name: "benchmark prompt as a later user turn", id: "14", messages: [user("Hi"), { role: "assistant", content: "Hello" }, user(SHORT)], want: "benchmark-exact" },
  { name: "short benchmark prompt inside a longer one is no collision", id: "15", messages: [user(`${SHORT} And mix them.`)], want: null },
  { name: "13 words of a long benchmark prompt", id: "16", messages: [user("Please: write a short story about a lighthouse keeper who discovers that the light has been guiding ships elsewhere")], want: "benchmark-ngram" },
  { name: "12 words of it are not enough", id: "17", messages: [user("write a short story about a lighthouse keeper who discovers that the lamp has gone")], want: null },
  { name: "includeHeldOut keeps a held-out id", id: "7", messages: [user("x")], flags: { includeHeldOut: true, includeBenchmarkCollisions: false }, want: null },
  { name: "includeHeldOut does not let a benchmark collision in", id: "7", messages: [user(SHORT)], flags: { includeHeldOut: true, includeBenchmarkCollisions: false }, want: "benchmark-exact" },
  { name: "includeBenchmarkCollisions does not let held-out in", id: "7", messages: [user(SHORT)], flags: { includeHeldOut: false, includeBenchmarkCollisions: true }, want: "held-out-id" },
  { name: "both flags keep everything", id: "7", messages: [user(SHORT)], flags: { includeHeldOut: true, includeBenchmarkCollisions: true }, want: null },
];

describe("createWithholding", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const w = createWithholding(SETS, tc.flags ?? OFF);
      const rows = w.rows(group(tc.id, tc.messages, tc.turns), () => ["row"], () => 3);
      const s = w.summary();
      const withheld = Object.entries(s.withheld).filter(([, v]) => v.instructions > 0);
      if (tc.want === null) {
        expect(rows).toEqual(["row"]);
        expect(withheld).toEqual([]);
      } else {
        expect(rows).toEqual([]);
        expect(withheld).toEqual([[tc.want, { instructions: 1, rows: 3 }]]);
      }
    });
  }

  it("counts what the flags let in", () => {
    const w = createWithholding(SETS, { includeHeldOut: true, includeBenchmarkCollisions: true });
    for (const [id, text] of [["7", SHORT], ["8", HELD], ["20", "fresh"]] as const) w.rows(group(id, [user(text)]), () => [1], () => 0);
    expect(w.summary().included).toEqual({ heldOut: 2, benchmark: 1 });
  });

  it("checks nothing and keeps everything when there is nothing to withhold", () => {
    const w = createWithholding({ heldOutIds: new Set(), heldOutTexts: new Set(), benchmarkExact: new Set(), decontam: null }, OFF);
    expect(w.rows(group("7", [user(HELD)]), () => [1, 2], () => 9)).toEqual([1, 2]);
    expect(w.summary().included).toEqual({ heldOut: 0, benchmark: 0 });
  });
});

describe("dataset card, withheld rows", () => {
  const summary = { kind: "dpo" as const, groups: 2, rows: 2, perCategory: { general: 2 }, skipped: {}, models: ["a"], judges: ["j"], promptVersions: ["v"], roundIds: ["r"], iterationIds: [], dedupHashes: 2 };
  const base = { name: "x", kind: "dpo" as const, format: "trl", fileName: "x.jsonl", summary, options: {}, generatedAt: "2026-01-01T00:00:00.000Z" };
  const counts = { "held-out-id": { instructions: 3, rows: 5 }, "held-out-text": { instructions: 1, rows: 2 }, "benchmark-exact": { instructions: 0, rows: 0 }, "benchmark-ngram": { instructions: 4, rows: 4 } };
  const bodyStart = (card: string) => card.slice(card.indexOf("\n---\n", 4) + 5).split("\n").find((l) => l !== "") ?? "";

  it("tables each reason with instructions and rows, and says how to include them", () => {
    const card = renderDatasetCard({ ...base, withheld: { summary: { withheld: counts, included: { heldOut: 0, benchmark: 0 } }, flags: OFF, evalRound: null } });
    for (const line of ["| held-out-id | held out for evaluation by a loop | 3 | 5 |", "| held-out-text |", "| 1 | 2 |", "| benchmark-exact |", "| 0 | 0 |", "| benchmark-ngram |", "| 4 | 4 |", "`includeHeldOut=true` keeps them", "`includeBenchmarkCollisions=true` keeps them", "- Withheld: 11 rows from 8 instructions held out by loops or colliding with benchmark sets"]) {
      expect(card).toContain(line);
    }
    expect(bodyStart(card)).toBe("# x");
    expect(card).not.toContain("held-out-evaluation-data");
  });

  it("opens with a warning naming the evaluation round when one is exported", () => {
    const card = renderDatasetCard({ ...base, withheld: { summary: { withheld: counts, included: { heldOut: 60, benchmark: 0 } }, flags: { includeHeldOut: true, includeBenchmarkCollisions: false }, evalRound: { roundId: "r-eval", loop: "wizard", iteration: 2 } } });
    expect(bodyStart(card)).toMatch(/^> \*\*Contains held-out evaluation data:\*\* .*`r-eval` of loop `wizard` \(iteration 2\)/);
    expect(card).toContain("  - held-out-evaluation-data");
    expect(card).toContain("includeHeldOut=true: instructions held out by loops were kept (60 in this export)");
  });

  it("opens with a warning when includeHeldOut let held-out instructions into a wider export", () => {
    const card = renderDatasetCard({ ...base, withheld: { summary: { withheld: counts, included: { heldOut: 7, benchmark: 0 } }, flags: { includeHeldOut: true, includeBenchmarkCollisions: false }, evalRound: null } });
    expect(bodyStart(card)).toContain("holds 7 instructions that loops hold out for evaluation");
  });
});
