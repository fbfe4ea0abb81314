/**
 * Every suite that reads ../shared/data is a registered skip when the data is missing, never a crash at
 * collection: vitest collects each such file (found by what it imports or names) with
 * MATRIX_ARENA_SHARED_DATA pointed at an empty folder, and each must report skipped tests naming the
 * missing files, and no error. On CI the data is there, and `.ci/run` fails on any skip.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import type { CollectedFile } from "../helpers/collect-modes.js";

const ROOT = resolve(import.meta.dirname, "../..");
const READS_DATA = /\b(mtBenchItems|arenaHardItems|readSharedData|SHARED_DATA|describeWithSharedData|seedArena)\b|shared\/data/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : []));
}

const self = resolve(import.meta.filename);
const dataFiles = testFiles(join(ROOT, "tests")).filter((f) => f !== self && READS_DATA.test(readFileSync(f, "utf8")));
const empty = mkdtempSync(join(tmpdir(), "ma-no-data-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

it("finds the suites that read the benchmark prompt sets", () => {
  const names = dataFiles.map((f) => relative(ROOT, f));
  for (const f of ["tests/e2e/rounds.test.ts", "tests/http/generator-api.test.ts", "tests/unit/clean-filters.test.ts", "tests/fuzz/fuzz.test.ts", "tests/e2e/sim-quality.test.ts"]) expect(names).toContain(f);
});

it("registers every one of them as skipped, naming what is missing, when ../shared/data is not there", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", join(ROOT, "tests/helpers/collect-modes.ts"), ...dataFiles], {
    cwd: ROOT,
    env: { ...process.env, MATRIX_ARENA_SHARED_DATA: empty },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { files: CollectedFile[]; unhandledErrors: string[] };
  expect(out.unhandledErrors).toEqual([]);
  expect(out.files.map((f) => f.file).sort()).toEqual([...dataFiles].sort());
  for (const f of out.files) {
    const where = relative(ROOT, f.file);
    expect(f.errors, where).toEqual([]);
    const skipped = f.tests.filter((t) => t.mode === "skip");
    expect(skipped.length, `${where}: skipped tests`).toBeGreaterThan(0);
    expect(skipped.every((t) => t.name.includes("mt-bench-questions.jsonl") && t.name.includes("missing")), `${where}: skips name the missing files`).toBe(true);
  }
}, 180_000);
