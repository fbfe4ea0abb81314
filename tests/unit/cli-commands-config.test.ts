// The CLI imports the configuration only when a command reads it: the offline leaderboard without
// MATRIX_ARENA_MIN_BATTLES runs whatever the server's variables say, and with it the whole configuration
// is validated as before (exit 1 naming the variable).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runCommand } from "../../src/cli/commands.js";

const dir = mkdtempSync(join(tmpdir(), "ma-cli-config-"));
const file = join(dir, "log.jsonl");
writeFileSync(file, Array.from({ length: 12 }, (_, k) => `{"model_a":"a","model_b":"b","winner":"${k % 3 === 0 ? "model_b" : "model_a"}"}`).join("\n"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

async function run(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  Object.assign(process.env, env);
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  const code = await runCommand(["leaderboard", "--input", file, "--json", "--bootstrap", "0"]);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe("leaderboard and the configuration", () => {
  const cases: { name: string; env: Record<string, string>; code: number; provisional?: boolean; error?: RegExp }[] = [
    { name: "default threshold, a bad server variable is not read", env: { DATABASE_URL: "not-a-url" }, code: 0, provisional: true },
    { name: "MATRIX_ARENA_MIN_BATTLES=4", env: { MATRIX_ARENA_MIN_BATTLES: "4" }, code: 0, provisional: false },
    { name: "MATRIX_ARENA_MIN_BATTLES=abc", env: { MATRIX_ARENA_MIN_BATTLES: "abc" }, code: 1, error: /MATRIX_ARENA_MIN_BATTLES/ },
    { name: "MATRIX_ARENA_MIN_BATTLES set, so a bad DATABASE_URL counts", env: { MATRIX_ARENA_MIN_BATTLES: "4", DATABASE_URL: "not-a-url" }, code: 1, error: /DATABASE_URL/ },
  ];
  it.each(cases)("$name", async (tc) => {
    const r = await run(tc.env);
    expect(r.code).toBe(tc.code);
    if (tc.code === 0) {
      const board = JSON.parse(r.out) as { items: { provisional: boolean }[] };
      // 12 battles, all decisive: provisional under the default 30, not under 4.
      expect(board.items.map((i) => i.provisional)).toEqual([tc.provisional, tc.provisional]);
    } else expect(r.err).toMatch(tc.error ?? /./);
  });
});
