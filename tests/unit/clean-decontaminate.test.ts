import { describe, expect, it } from "vitest";
import { loadBenchmarkPrompts, type BenchmarkFormat } from "../../src/generator/clean/decontam-formats.js";
import { buildDecontamIndex, type BenchmarkPrompt } from "../../src/generator/clean/decontaminate.js";
import { describeWithSharedData, HAS_SHARED_DATA, readSharedData, type SharedDataFile } from "../helpers/arena.js";

const load = (format: BenchmarkFormat, file: SharedDataFile): BenchmarkPrompt[] => loadBenchmarkPrompts(format, readSharedData(file));

describeWithSharedData("decontamination against the real prompt sets in shared/data", () => {
  const mtBench = HAS_SHARED_DATA ? load("mt-bench", "mt-bench-questions.jsonl") : [];
  const arenaHard = HAS_SHARED_DATA ? load("arena-hard", "arena-hard-v0.1-questions.jsonl") : [];
  const alpaca = HAS_SHARED_DATA ? load("alpaca-eval", "alpaca-eval-prompts.json") : [];
  const index = buildDecontamIndex([
    { benchmark: "mt-bench", prompts: mtBench },
    { benchmark: "arena-hard", prompts: arenaHard },
    { benchmark: "alpaca-eval", prompts: alpaca },
  ]);
  const textOf = (prompts: BenchmarkPrompt[], id: string): string => prompts.find((p) => p.id === id)?.text ?? "";
  /** Words [from, from + count) of a prompt, as written (punctuation and case kept). */
  const span = (text: string, from: number, count: number): string => text.split(/\s+/).slice(from, from + count).join(" ");

  const flagged = [
    {
      name: "MT-Bench turn 1 span of 13 words",
      text: `Before anything else, ${span(textOf(mtBench, "81:1"), 0, 13)} and keep it under 300 words.`,
      benchmark: "mt-bench",
      promptId: "81:1",
    },
    {
      name: "MT-Bench span of 15 words from mid-prompt, re-cased",
      text: `Task: ${span(textOf(mtBench, "82:1"), 10, 15).toUpperCase()} Thanks!`,
      benchmark: "mt-bench",
      promptId: "82:1",
    },
    {
      name: "Arena-Hard span from the middle of a prompt",
      text: `My manager asked me this: ${span(textOf(arenaHard, "1f07cf6d146d4038b2b93aaba3935ce0"), 3, 16)}. Please answer briefly.`,
      benchmark: "arena-hard",
      promptId: "1f07cf6d146d4038b2b93aaba3935ce0",
    },
    {
      name: "AlpacaEval prompt embedded whole",
      text: `Quick question for a quiz night. ${textOf(alpaca, "0")} Give three names.`,
      benchmark: "alpaca-eval",
      promptId: "0",
    },
    {
      name: "AlpacaEval prompt with changed punctuation and spacing",
      text: textOf(alpaca, "300").replace(/[?.]/g, " ;").replace(/'/g, "\u2019").replace(/\s+/g, "  "),
      benchmark: "alpaca-eval",
      promptId: "300",
    },
    {
      name: "short MT-Bench prompt matched whole after normalisation",
      text: "PROVE the   Pythagorean theorem!!",
      benchmark: "mt-bench",
      promptId: "99:2",
    },
  ];
  for (const tc of flagged) {
    it(`flags: ${tc.name}`, () => {
      const hit = index.findContamination(tc.text);
      expect(hit).toMatchObject({ benchmark: tc.benchmark, promptId: tc.promptId });
      expect(hit?.ngram.split(" ").length).toBeGreaterThan(0);
    });
  }

  const clean = [
    { name: "a 12-word span (below the 13-gram)", text: `Please ${span(textOf(mtBench, "81:1"), 0, 12)} today, with photos.` },
    { name: "a short prompt inside a longer instruction", text: "Prove the Pythagorean theorem using similar triangles only." },
    { name: "an unrelated instruction", text: "Summarise the attached meeting notes into five bullet points for the sales team." },
  ];
  for (const tc of clean) {
    it(`does not flag ${tc.name}`, () => {
      expect(index.findContamination(tc.text)).toBeNull();
    });
  }

  it("the short-prompt case uses a real short prompt", () => {
    expect(textOf(mtBench, "99:2")).toBe("Prove the Pythagorean theorem.");
  });

  it("reports the matched 13-gram in normalised form", () => {
    const hit = index.findContamination(`Start: ${span(textOf(mtBench, "81:1"), 0, 13)}`);
    expect(hit?.ngram).toBe("compose an engaging travel blog post about a recent trip to hawaii highlighting");
  });

  it("flags none of the 175 Self-Instruct seed tasks (none is a benchmark prompt)", () => {
    const seeds = load("self-instruct", "self-instruct-seed-tasks.jsonl");
    expect(seeds).toHaveLength(175);
    expect(seeds.filter((s) => index.findContamination(s.text) !== null).map((s) => s.id)).toEqual([]);
  });

  it("flags every Self-Instruct user-oriented task that AlpacaEval contains verbatim", () => {
    // AlpacaEval's `selfinstruct` subset is drawn from these 252 tasks; reference by plain string equality.
    const userTasks = load("self-instruct", "self-instruct-user-oriented.jsonl");
    const alpacaTexts = new Set(alpaca.map((p) => p.text.trim()));
    const verbatim = userTasks.filter((t) => alpacaTexts.has(t.text.trim()));
    expect(verbatim.length).toBeGreaterThan(40);
    for (const t of verbatim) expect(index.findContamination(t.text)?.benchmark).toBe("alpaca-eval");
  });

  it("indexes n-grams and whole short prompts", () => {
    expect(index.n).toBe(13);
    expect(index.ngramCount).toBeGreaterThan(10_000);
    // 41 MT-Bench turns, 93 Arena-Hard and 262 AlpacaEval prompts have under 13 words (some may share text).
    expect(index.shortPromptCount).toBeGreaterThan(350);
    expect(index.shortPromptCount).toBeLessThanOrEqual(41 + 93 + 262);
  });
});

describe("buildDecontamIndex on inline prompts", () => {
  const index = buildDecontamIndex(
    [
      { benchmark: "a", prompts: [{ id: "a1", text: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen" }] },
      { benchmark: "b", prompts: [{ id: "b1", text: "one two three four five six seven eight nine ten eleven twelve thirteen" }] },
    ],
    { n: 13 },
  );
  const cases = [
    { text: "zero one two three four five six seven eight nine ten eleven twelve thirteen", want: { benchmark: "a", promptId: "a1" } },
    { text: "two three four five six seven eight nine ten eleven twelve thirteen fourteen", want: { benchmark: "a", promptId: "a1" } },
    { text: "one two three four five six seven eight nine ten eleven twelve", want: null },
    { text: "", want: null },
  ];
  for (const tc of cases) {
    it(`${JSON.stringify(tc.text.slice(0, 30))} -> ${tc.want?.promptId ?? "null"}`, () => {
      const hit = index.findContamination(tc.text);
      if (tc.want === null) expect(hit).toBeNull();
      else expect(hit).toMatchObject(tc.want);
    });
  }
});
