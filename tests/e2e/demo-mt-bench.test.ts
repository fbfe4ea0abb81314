/**
 * `matrix-arena demo --mt-bench FILE` as a newcomer runs it (on the first questions, to keep it short):
 * exits 0, prints the three boards, the forgetful model drops from the first-turn board to the two-turn
 * ones, writes whole-conversation exports, and leaves nothing in the temporary folder. A missing file
 * is exit 2 with a message naming it. The line parser is checked against the real file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { mtBenchItems } from "../../src/demo/mt-bench.js";
import { describeWithSharedData, readSharedData, SHARED_DATA } from "../helpers/arena.js";
import { spawnCli } from "../helpers/proc.js";

describeWithSharedData("demo --mt-bench", () => {
  it("reads MT-bench's 80 two-turn questions", () => {
    const { items, skipped } = mtBenchItems(readSharedData("mt-bench-questions.jsonl"));
    expect([items.length, skipped]).toEqual([80, 0]);
    expect(items.every((i) => i.turns.length === 2)).toBe(true);
    expect(mtBenchItems('{"question_id":1,"category":"x","turns":["one"]}\nnot json\n\n').skipped).toBe(2);
  });

  it("runs multi-turn rounds and shows the forgetful model dropping on two turns", async () => {
    const out = mkdtempSync(join(tmpdir(), "ma-demo-mt-"));
    const tmp = mkdtempSync(join(tmpdir(), "ma-demo-mt-tmp-"));
    const p = spawnCli(["demo", "--mt-bench", resolve(SHARED_DATA, "mt-bench-questions.jsonl"), "--limit", "10", "--seed", "7", "--out", out], { TMPDIR: tmp });
    expect(await p.exited).toBe(0);
    const stdout = p.stdout.join("");
    expect(stdout).toContain("SIMULATOR");
    expect(stdout).toContain("10 two-turn MT-bench questions");
    const boards = stdout.split("\n== ").slice(1).map((b) => [...b.matchAll(/^ +\d+ +(sim-[a-z-]+) +(-?\d+\.\d)/gm)].map((m) => m[1]));
    expect(boards).toHaveLength(3);
    const [first, conversation, last] = boards;
    expect(first?.indexOf("sim-forgetful")).toBeLessThan(conversation?.indexOf("sim-forgetful") ?? -1);
    expect(first?.indexOf("sim-forgetful")).toBeLessThan(last?.indexOf("sim-forgetful") ?? -1);
    expect(readdirSync(tmp).filter((f) => !f.startsWith("tsx-"))).toEqual([]);
    for (const f of ["mt-bench.sft.messages.jsonl", "mt-bench.dpo.trl.jsonl", "mt-bench.sft.card.md", "mt-bench.dpo.card.md"]) expect(existsSync(join(out, f)), f).toBe(true);
    const sft = readFileSync(join(out, "mt-bench.sft.messages.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { messages: { role: string }[] });
    expect(sft.length).toBeGreaterThan(0);
    for (const l of sft) expect(l.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  }, 600_000);

  it("exits 2 naming a missing questions file", async () => {
    const p = spawnCli(["demo", "--mt-bench", "/nonexistent/mt.jsonl"], {});
    expect(await p.exited).toBe(2);
    expect(p.stdout.join("")).toContain("/nonexistent/mt.jsonl not found");
  }, 120_000);
});
