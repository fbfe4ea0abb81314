/**
 * `matrix-arena demo` as a newcomer runs it: exits 0, writes exports with SFT and DPO dataset cards,
 * the target's rating rises, and nothing is left in the temporary folder (its database is removed).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { spawnCli } from "../helpers/proc.js";

it("runs two iterations against the simulator and shows the target improving", async () => {
  const out = mkdtempSync(join(tmpdir(), "ma-demo-"));
  // A private TMPDIR (os.tmpdir() reads it) shows whatever the demo leaves behind.
  const tmp = mkdtempSync(join(tmpdir(), "ma-demo-tmp-"));
  const p = spawnCli(["demo", "--iterations", "2", "--seed", "7", "--out", out], { TMPDIR: tmp });
  expect(await p.exited).toBe(0);
  const stdout = p.stdout.join("");
  expect(stdout).toContain("SIMULATOR");
  expect(stdout).toMatch(/leaderboard on the held-out evaluation set/);
  const versions = [...stdout.matchAll(/^ {2}(target-v\d) +(-?\d+\.\d)/gm)].map((m) => ({ v: m[1], r: Number(m[2]) }));
  expect(versions.map((x) => x.v)).toEqual(["target-v1", "target-v2"]);
  expect(versions[1]?.r ?? 0).toBeGreaterThan(versions[0]?.r ?? 0);
  // tsx keeps its compile cache there (tsx-<uid>); everything else would be the demo's.
  expect(readdirSync(tmp).filter((f) => !f.startsWith("tsx-"))).toEqual([]);
  for (const f of ["iteration-1.sft.messages.jsonl", "iteration-1.sft.card.md", "iteration-1.dpo.trl.jsonl", "iteration-1.dpo.card.md"]) {
    expect(existsSync(join(out, f)), f).toBe(true);
  }
  const dpo = readFileSync(join(out, "iteration-1.dpo.trl.jsonl"), "utf8").trim().split("\n");
  expect(dpo.length).toBeGreaterThan(5);
  for (const line of dpo) expect(Object.keys(JSON.parse(line) as object)).toEqual(expect.arrayContaining(["prompt", "chosen", "rejected"]));
  const sftCard = readFileSync(join(out, "iteration-1.sft.card.md"), "utf8");
  expect(sftCard).toMatch(/^---\n/);
  expect(sftCard).toContain("## Rows per category");
}, 300_000);
