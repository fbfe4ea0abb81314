/**
 * Parsers for the public prompt sets used as decontamination targets (formats as in
 * shared/data/README.md). Pure: they take the file's text and return `{ id, text }` prompts; reading
 * the file is the caller's job. A malformed record throws `BenchmarkFormatError` naming the line.
 */
import type { BenchmarkPrompt } from "./decontaminate.js";

export type BenchmarkFormat = "mt-bench" | "arena-hard" | "alpaca-eval" | "self-instruct";

export class BenchmarkFormatError extends Error {
  readonly code = "bad_benchmark_file";
  constructor(
    readonly format: BenchmarkFormat,
    readonly line: number | null,
    message: string,
  ) {
    super(`${format}${line === null ? "" : ` line ${line}`}: ${message}`);
    this.name = "BenchmarkFormatError";
  }
}

type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parse JSON Lines, skipping blank lines; each record must be an object. */
function jsonLines(format: BenchmarkFormat, text: string): { row: Row; line: number }[] {
  const out: { row: Row; line: number }[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new BenchmarkFormatError(format, index + 1, "not valid JSON");
    }
    if (!isRow(value)) throw new BenchmarkFormatError(format, index + 1, "expected a JSON object");
    out.push({ row: value, line: index + 1 });
  });
  return out;
}

function stringField(format: BenchmarkFormat, row: Row, field: string, line: number | null): string {
  const value = row[field];
  if (typeof value === "string") return value;
  if (typeof value === "number" && field.endsWith("id")) return String(value);
  throw new BenchmarkFormatError(format, line, `field "${field}" must be a string`);
}

/** MT-Bench `question.jsonl`: one prompt per turn, id `<question_id>:<turn>` (turns numbered from 1). */
export function parseMtBench(text: string): BenchmarkPrompt[] {
  return jsonLines("mt-bench", text).flatMap(({ row, line }) => {
    const id = stringField("mt-bench", row, "question_id", line);
    const turns = row["turns"];
    if (!Array.isArray(turns) || !turns.every((t): t is string => typeof t === "string")) {
      throw new BenchmarkFormatError("mt-bench", line, 'field "turns" must be an array of strings');
    }
    return turns.map((turn, i) => ({ id: `${id}:${i + 1}`, text: turn }));
  });
}

/** Arena-Hard `question.jsonl`: id `uid`, text `prompt`. */
export function parseArenaHard(text: string): BenchmarkPrompt[] {
  return jsonLines("arena-hard", text).map(({ row, line }) => ({
    id: stringField("arena-hard", row, "uid", line),
    text: stringField("arena-hard", row, "prompt", line),
  }));
}

/** AlpacaEval JSON array of `{ instruction, ... }`: records carry no id, so the id is the array index. */
export function parseAlpacaEval(text: string): BenchmarkPrompt[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BenchmarkFormatError("alpaca-eval", null, "not valid JSON");
  }
  if (!Array.isArray(value)) throw new BenchmarkFormatError("alpaca-eval", null, "expected a JSON array");
  return value.map((item: unknown, index) => {
    const text = isRow(item) ? item["instruction"] : undefined;
    if (typeof text !== "string") {
      throw new BenchmarkFormatError("alpaca-eval", null, `element ${index} needs a string "instruction"`);
    }
    return { id: String(index), text };
  });
}

/** Self-Instruct seed or user-oriented tasks (JSONL): id `id`, text `instruction`. */
export function parseSelfInstruct(text: string): BenchmarkPrompt[] {
  return jsonLines("self-instruct", text).map(({ row, line }) => ({
    id: stringField("self-instruct", row, "id", line),
    text: stringField("self-instruct", row, "instruction", line),
  }));
}

/** Parse one prompt-set file's text by format name. */
export function loadBenchmarkPrompts(format: BenchmarkFormat, fileText: string): BenchmarkPrompt[] {
  switch (format) {
    case "mt-bench":
      return parseMtBench(fileText);
    case "arena-hard":
      return parseArenaHard(fileText);
    case "alpaca-eval":
      return parseAlpacaEval(fileText);
    case "self-instruct":
      return parseSelfInstruct(fileText);
  }
}
