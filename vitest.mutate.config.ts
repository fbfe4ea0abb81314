// Vitest for `npm run mutate`: the table-driven unit tests only. Stryker reruns the tests that cover
// each mutant, and the end-to-end suites (servers, databases) would make each run take seconds.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
