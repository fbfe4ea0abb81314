/**
 * Collects test files with vitest's Node API, runs none of them, and prints one JSON line: per file, its
 * collection errors and each test's name and mode. tests/unit/shared-data-guard.test.ts runs it in a child
 * process with MATRIX_ARENA_SHARED_DATA pointed at an empty folder. Usage: tsx collect-modes.ts FILE...
 */
import { createVitest } from "vitest/node";

export interface CollectedFile {
  file: string;
  errors: string[];
  tests: { name: string; mode: string }[];
}

const vitest = await createVitest("test", { watch: false, reporters: [] });
try {
  const { testModules, unhandledErrors } = await vitest.collect(process.argv.slice(2));
  const files: CollectedFile[] = testModules.map((m) => ({
    file: m.moduleId,
    errors: m.errors().map((e) => e.message),
    tests: [...m.children.allTests()].map((t) => ({ name: t.fullName, mode: t.options.mode })),
  }));
  process.stdout.write(`${JSON.stringify({ files, unhandledErrors: unhandledErrors.map(String) })}\n`);
} finally {
  await vitest.close();
}
