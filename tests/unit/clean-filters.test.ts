import { describe, expect, it } from "vitest";
import { loadBenchmarkPrompts, type BenchmarkFormat } from "../../src/generator/clean/decontam-formats.js";
import { applyFilters, checkLength, type FilterOptions } from "../../src/generator/clean/filters.js";
import { describeWithSharedData, readSharedData, type SharedDataFile } from "../helpers/arena.js";

describe("applyFilters", () => {
  const cases: { name: string; text: string; opts?: FilterOptions; reason: string | null; detail?: string }[] = [
    { name: "ordinary instruction passes", text: "Write a haiku about autumn leaves falling in a quiet park.", reason: null },
    { name: "two words", text: "Hi there", reason: "too_short", detail: "2 words < 3" },
    { name: "punctuation does not count as words", text: "Hello ... !!! ???", reason: "too_short", detail: "1 words < 3" },
    { name: "custom minimum", text: "Write a poem", opts: { minWords: 4 }, reason: "too_short" },
    { name: "over the maximum", text: "one two three four five six seven eight nine ten eleven", opts: { maxWords: 10 }, reason: "too_long", detail: "11 words > 10" },
    { name: "one word repeated", text: "spam spam spam spam spam spam spam spam spam spam", reason: "low_quality", detail: "few_distinct_words: ratio 0.10" },
    { name: "mostly digits and symbols", text: "1234 5678 9012 #### $$$$ %%%% a", reason: "low_quality", detail: "mostly_non_letters: letter ratio 0.04" },
    {
      name: "the same line three times",
      text: "Write a poem about cats\nWrite a poem about cats\nWrite a poem about cats\nthanks",
      reason: "low_quality",
      detail: "repeated_lines: ratio 0.67",
    },
    { name: "AI-language-model boilerplate", text: "As an AI language model, I cannot browse the internet for you.", reason: "low_quality" },
    { name: "apology refusal", text: "I\u2019m sorry, but I can't help with that request.", reason: "low_quality" },
    { name: "cannot-fulfil refusal", text: "Unfortunately I cannot fulfill this request at the moment.", reason: "low_quality" },
    { name: "code with repeated short lines passes", text: "Fix this code:\n}\n}\n}\nreturn x;\n}", reason: null },
    { name: "non-Latin script counts as letters", text: "\u041D\u0430\u043F\u0438\u0448\u0438 \u043A\u043E\u0440\u043E\u0442\u043A\u043E\u0435 \u0441\u0442\u0438\u0445\u043E\u0442\u0432\u043E\u0440\u0435\u043D\u0438\u0435 \u043F\u0440\u043E \u043C\u043E\u0440\u0435", reason: null },
  ];
  for (const tc of cases) {
    it(`${tc.name} -> ${tc.reason ?? "kept"}`, () => {
      const result = applyFilters(tc.text, tc.opts);
      expect(result?.reason ?? null).toBe(tc.reason);
      if (tc.detail !== undefined) expect(result?.detail).toBe(tc.detail);
    });
  }

  it("measures distinct words over the first distinctWindow words only", () => {
    const varied = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const text = [...varied, ...Array(300).fill("same")].join(" "); // 201 distinct of 500 overall
    expect(applyFilters(text)).toBeNull();
    expect(applyFilters(text, { distinctWindow: 256 })).toBeNull(); // 201/256 = 0.79
    const late = [...Array(300).fill("same"), ...varied].join(" ");
    expect(applyFilters(late)?.detail).toBe("few_distinct_words: ratio 0.01"); // 1 of the first 200
  });

  it("names the refusal check in the detail", () => {
    expect(applyFilters("As an AI language model, I have no opinions on this.")?.detail).toMatch(/^refusal_boilerplate/);
  });

  it("checkLength is inclusive at both bounds", () => {
    expect(checkLength(3, { minWords: 3, maxWords: 5 })).toBeNull();
    expect(checkLength(5, { minWords: 3, maxWords: 5 })).toBeNull();
  });
});

const files: [BenchmarkFormat, SharedDataFile][] = [
  ["mt-bench", "mt-bench-questions.jsonl"],
  ["arena-hard", "arena-hard-v0.1-questions.jsonl"],
  ["alpaca-eval", "alpaca-eval-prompts.json"],
  ["self-instruct", "self-instruct-seed-tasks.jsonl"],
  ["self-instruct", "self-instruct-user-oriented.jsonl"],
];

describeWithSharedData("filters on the real prompt sets", () => {
  it("reject only AlpacaEval #199, a two-word prompt, of all 1,892 real prompts", () => {
    const rejected: string[] = [];
    let total = 0;
    for (const [format, file] of files) {
      for (const p of loadBenchmarkPrompts(format, readSharedData(file))) {
        total++;
        const r = applyFilters(p.text);
        if (r) rejected.push(`${format}:${p.id}:${r.reason}`);
      }
    }
    expect(total).toBe(80 * 2 + 500 + 805 + 175 + 252);
    expect(rejected).toEqual(["alpaca-eval:199:too_short"]);
  });
});
