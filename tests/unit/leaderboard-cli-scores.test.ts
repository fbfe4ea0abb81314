// `matrix-arena leaderboard --score NAME --baseline M` run in-process on a log: JSON and table output with
// the definition, hand-computed values for a log (outcomes only), and the usage errors that name the problem.
import { describe, expect, it } from "vitest";
import { type LeaderboardIo, runLeaderboard } from "../../src/cli/leaderboard.js";

const meta = (a: number, b: number) => ({ sum_assistant_a_tokens: a, sum_assistant_b_tokens: b, header_count_a: 0, header_count_b: 0, list_count_a: 0, list_count_b: 0, bold_count_a: 0, bold_count_b: 0 });
const LOG = [
  { model_a: "base", model_b: "x", winner: "model_b", category: "math", conv_metadata: meta(100, 300) },
  { model_a: "x", model_b: "base", winner: "tie", category: "math", conv_metadata: meta(200, 150) },
  { model_a: "x", model_b: "base", score: 0.2, category: "writing" },
  { model_a: "y", model_b: "base", winner: "model_b" },
  { model_a: "x", model_b: "y", winner: "model_a" },
]
  .map((l) => JSON.stringify(l))
  .join("\n");

function memoryIo(): LeaderboardIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    readFile: (path: string) => (path === "log.jsonl" ? Promise.resolve(LOG) : Promise.reject(new Error(`ENOENT: ${path}`))),
  };
  return io;
}

interface Board {
  score: string;
  definition: string;
  items: { model: string; score: number | null; battles: number; categories?: { category: string; score: number }[] }[];
  skipped: Record<string, number>;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runLeaderboard(["leaderboard", "--input", "log.jsonl", ...args], io);
  return { code, out: io.out, err: io.err };
}

describe("leaderboard --score on a log (outcomes only: one plain game per battle)", () => {
  const cases = [
    // x: win, tie, loss (0.2) -> (1 + 0.5 + 0) / 3; y: loss -> 0
    { score: "winrate", x: 0.5, y: 0 },
    // rows x: 1 | 0.5 | 0 -> 0.5 (no strong verdicts in a log)
    { score: "arena-hard", x: 0.5, y: 0 },
    // rewards x: 0.5 | 0 | -0.5 -> 0; y: -0.5
    { score: "wildbench", x: 0, y: -0.5 },
  ];
  it.each(cases)("$score", async ({ score, x, y }) => {
    const r = await run(["--score", score, "--baseline", "base", "--bootstrap", "0", "--json"]);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Board;
    expect(b.score).toBe(score);
    expect(b.definition.startsWith(`${score}:`)).toBe(true);
    expect(b.items.find((i) => i.model === "x")?.score).toBeCloseTo(x, 12);
    expect(b.items.find((i) => i.model === "y")?.score).toBeCloseTo(y, 12);
    expect(b.skipped.notAgainstBaseline).toBe(1);
  });

  it("wildbench per category: math (0.5 + 0) / 2, writing -0.5", async () => {
    const b = JSON.parse((await run(["--score", "wildbench", "--baseline", "base", "--bootstrap", "0", "--json"])).out) as Board;
    expect(b.items.find((i) => i.model === "x")?.categories).toEqual([
      { category: "math", score: 0.25, battles: 2 },
      { category: "writing", score: -0.5, battles: 1 },
    ]);
  });

  it("lc uses the conv_metadata token counts and says which models have none", async () => {
    const b = JSON.parse((await run(["--score", "lc", "--baseline", "base", "--bootstrap", "0", "--json"])).out) as Board;
    expect(b.items.find((i) => i.model === "x")).toMatchObject({ battles: 2 });
    expect(b.items.find((i) => i.model === "y")).toMatchObject({ score: null, note: "no battle carries answer lengths" });
    expect(b.skipped.withoutLengths).toBe(2);
  });

  it("prints a table with the definition", async () => {
    const r = await run(["--score", "arena-hard", "--baseline", "base", "--bootstrap", "20"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^score: arena-hard against baseline base\n/);
    expect(r.out).toMatch(/\nx +50\.0% +\[/);
    expect(r.out).toMatch(/\ndefinition: arena-hard: arena-hard-auto/);
  });

  const errors = [
    { args: ["--score", "lc"], message: "--score needs --baseline MODEL" },
    { args: ["--score", "elo", "--baseline", "base"], message: "--score must be one of winrate, arena-hard, wildbench, lc" },
    { args: ["--score", "lc", "--baseline", "base", "--style-control"], message: "--style-control does not apply with --score" },
  ];
  it.each(errors)("usage error: $message", async ({ args, message }) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("a baseline with no battles is a usage error naming it", async () => {
    const r = await run(["--score", "winrate", "--baseline", "nobody"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'nobody' has no battles");
  });
});
