import { describe, expect, it } from "vitest";
import { BenchmarkFormatError, loadBenchmarkPrompts, type BenchmarkFormat } from "../../src/generator/clean/decontam-formats.js";
import { describeWithSharedData, readSharedData, type SharedDataFile } from "../helpers/arena.js";

describe("loadBenchmarkPrompts on inline text", () => {
  const cases: { format: BenchmarkFormat; text: string; want: { id: string; text: string }[] }[] = [
    {
      format: "mt-bench",
      text: '{"question_id": 81, "category": "writing", "turns": ["First turn.", "Second turn."]}\n\n{"question_id": 82, "turns": ["Only one."]}\n',
      want: [
        { id: "81:1", text: "First turn." },
        { id: "81:2", text: "Second turn." },
        { id: "82:1", text: "Only one." },
      ],
    },
    {
      format: "arena-hard",
      text: '{"uid":"abc","category":"arena-hard-v0.1","cluster":"x","prompt":"Use ABC notation."}',
      want: [{ id: "abc", text: "Use ABC notation." }],
    },
    {
      format: "alpaca-eval",
      text: '[{"instruction":"First?","output":"o","generator":"g","dataset":"d"},{"instruction":"Second?"}]',
      want: [
        { id: "0", text: "First?" },
        { id: "1", text: "Second?" },
      ],
    },
    {
      format: "self-instruct",
      text: '{"id": "seed_task_0", "name": "n", "instruction": "Is there anything I can eat?", "instances": []}',
      want: [{ id: "seed_task_0", text: "Is there anything I can eat?" }],
    },
  ];
  for (const tc of cases) {
    it(tc.format, () => {
      expect(loadBenchmarkPrompts(tc.format, tc.text)).toEqual(tc.want);
    });
  }

  const bad: { name: string; format: BenchmarkFormat; text: string; line: number | null; message: RegExp }[] = [
    { name: "broken JSON line", format: "mt-bench", text: '{"question_id": 1, "turns": ["a"]}\n{oops', line: 2, message: /not valid JSON/ },
    { name: "turns not strings", format: "mt-bench", text: '{"question_id": 1, "turns": [1]}', line: 1, message: /turns/ },
    { name: "missing prompt", format: "arena-hard", text: '{"uid": "u"}', line: 1, message: /prompt/ },
    { name: "array line", format: "self-instruct", text: "[1, 2]", line: 1, message: /object/ },
    { name: "not an array", format: "alpaca-eval", text: '{"instruction": "x"}', line: null, message: /array/ },
    { name: "element without instruction", format: "alpaca-eval", text: '[{"instruction": "x"}, {}]', line: null, message: /element 1/ },
  ];
  for (const tc of bad) {
    it(`throws BenchmarkFormatError on ${tc.name}`, () => {
      let caught: unknown;
      try {
        loadBenchmarkPrompts(tc.format, tc.text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(BenchmarkFormatError);
      const e = caught as BenchmarkFormatError;
      expect(e.code).toBe("bad_benchmark_file");
      expect(e.line).toBe(tc.line);
      expect(e.message).toMatch(tc.message);
    });
  }
});

describeWithSharedData("loadBenchmarkPrompts on the files in shared/data", () => {
  // Row counts from shared/data/README.md; MT-Bench has two turns per question.
  const cases: { format: BenchmarkFormat; file: SharedDataFile; count: number; first: { id: string; start: string } }[] = [
    { format: "mt-bench", file: "mt-bench-questions.jsonl", count: 160, first: { id: "81:1", start: "Compose an engaging travel blog post" } },
    { format: "arena-hard", file: "arena-hard-v0.1-questions.jsonl", count: 500, first: { id: "328c149ed45a41c0b9d6f14659e63599", start: "Use ABC notation" } },
    { format: "alpaca-eval", file: "alpaca-eval-prompts.json", count: 805, first: { id: "0", start: "What are the names of some famous actors" } },
    { format: "self-instruct", file: "self-instruct-seed-tasks.jsonl", count: 175, first: { id: "seed_task_0", start: "Is there anything I can eat" } },
    { format: "self-instruct", file: "self-instruct-user-oriented.jsonl", count: 252, first: { id: "user_oriented_task_0", start: "The sentence you are given" } },
  ];
  for (const tc of cases) {
    it(`${tc.file}: ${tc.count} prompts`, () => {
      const prompts = loadBenchmarkPrompts(tc.format, readSharedData(tc.file));
      expect(prompts).toHaveLength(tc.count);
      expect(prompts[0]?.id).toBe(tc.first.id);
      expect(prompts[0]?.text.startsWith(tc.first.start)).toBe(true);
      expect(new Set(prompts.map((p) => p.id)).size).toBe(tc.count);
    });
  }
});
