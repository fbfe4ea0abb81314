// The offline leaderboard command run in-process: JSON and table output, rejected lines, bad arguments,
// unreadable input, and the default file-streaming I/O on a real temporary file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectBattleLog } from "../../reports/battle-log.js";
import { computeLeaderboard, type Leaderboard } from "../../reports/leaderboard.js";
import { defaultLeaderboardIo, runLeaderboard, type LeaderboardIo } from "../../src/cli/leaderboard.js";

const lines = [
  '{"model_a":"alpha","model_b":"beta","winner":"model_a","tstamp":1}',
  '{"model_a":"alpha","model_b":"beta","winner":"model_a","tstamp":2}',
  '{"model_a":"beta","model_b":"gamma","winner":"model_a","tstamp":3}',
  "not json",
  '{"model_a":"gamma","model_b":"alpha","winner":"tie","tstamp":4}',
  '{"model_a":"gamma","model_b":"alpha","score":0.25,"tstamp":5}',
  "",
  '{"model_a":"beta","model_b":"beta","winner":"model_b"}',
  '{"model_a":"beta","model_b":"gamma","winner":"model_b","tstamp":6}',
  '{"model_a":"alpha","model_b":"gamma","winner":"model_a","tstamp":7}',
];
const FILE = lines.join("\n");

function memoryIo(files: Record<string, string>, chunked = false): LeaderboardIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    readFile: (path: string): Promise<string> | AsyncIterable<string> => {
      const text = files[path];
      if (text === undefined) return Promise.reject(new Error(`ENOENT: ${path}`));
      if (!chunked) return Promise.resolve(text);
      return (async function* () {
        for (let k = 0; k < text.length; k += 7) yield text.slice(k, k + 7);
      })();
    },
  };
  return io;
}

async function expectedBoard(method: "bt" | "elo", bootstrap: number): Promise<Leaderboard> {
  const { battles } = await collectBattleLog(FILE);
  return computeLeaderboard(battles, { method, bootstrap, seed: 0 });
}

describe("runLeaderboard output", () => {
  const cases = [
    { name: "bt, default bootstrap", argv: ["--input", "log.jsonl", "--json"], method: "bt" as const, bootstrap: 100, chunked: false },
    { name: "elo, --flag=value, streamed", argv: ["--input=log.jsonl", "--method=elo", "--bootstrap", "0", "--json"], method: "elo" as const, bootstrap: 0, chunked: true },
    { name: "leading subcommand word", argv: ["leaderboard", "--json", "--bootstrap", "20", "--input", "log.jsonl"], method: "bt" as const, bootstrap: 20, chunked: false },
  ];
  it.each(cases)("--json: $name", async ({ argv, method, bootstrap, chunked }) => {
    const io = memoryIo({ "log.jsonl": FILE }, chunked);
    expect(await runLeaderboard(argv, io)).toBe(0);
    const printed = JSON.parse(io.out) as Leaderboard;
    expect(printed).toEqual(await expectedBoard(method, bootstrap));
    expect(printed.items.map((i) => i.model)).toHaveLength(3);
    expect(io.err).toContain("line 4: invalid JSON\n");
    expect(io.err).toContain("line 8: model_b: must differ from model_a\n");
    expect(io.err).not.toContain("line 7");
  });

  it("prints an aligned table by default", async () => {
    const io = memoryIo({ "log.jsonl": FILE });
    expect(await runLeaderboard(["--input", "log.jsonl", "--bootstrap", "0"], io)).toBe(0);
    const board = await expectedBoard("bt", 0);
    const rows = io.out.trimEnd().split("\n");
    expect(rows[0]).toBe("method: bt");
    expect(rows[1]?.split(/\s{2,}/)).toEqual(["rank", "model", "rating", "95% CI", "battles", "decisive", "win rate", "note"]);
    board.items.forEach((item, k) => {
      const cells = rows[k + 2]?.split(/\s{2,}/);
      expect(cells?.[0]).toBe(String(item.rank));
      expect(cells?.[1]).toBe(item.model);
      expect(cells?.[2]).toBe(item.rating.toFixed(1));
      expect(cells?.[4]).toBe(String(item.battles));
    });
  });

  it("--help prints usage and exits 0", async () => {
    const io = memoryIo({});
    expect(await runLeaderboard(["--help"], io)).toBe(0);
    expect(io.out).toContain("usage: matrix-arena leaderboard --input FILE");
  });
});

// Two islands: alpha/beta/gamma (above) and delta/epsilon, who only ever met each other.
const ISLANDS = [FILE, ...Array.from({ length: 3 }, (_, k) => JSON.stringify({ model_a: "delta", model_b: "epsilon", winner: k < 2 ? "model_a" : "tie", tstamp: 10 + k }))].join("\n");

describe("runLeaderboard on a disconnected log", () => {
  it("--json carries connected, components, component and provisional; --min-battles sets the bar", async () => {
    const io = memoryIo({ "log.jsonl": ISLANDS });
    expect(await runLeaderboard(["--input", "log.jsonl", "--json", "--bootstrap", "10"], io)).toBe(0);
    const printed = JSON.parse(io.out) as Leaderboard;
    expect(printed.connected).toBe(false);
    expect(printed.components.map((c) => [...c].sort())).toEqual([["alpha", "beta", "gamma"], ["delta", "epsilon"]]);
    expect(printed.items.map((i) => [i.model, i.component, i.provisional])).toEqual(expect.arrayContaining([["delta", 1, true], ["epsilon", 1, true], ["alpha", 0, true]]));
    expect(printed.items.find((i) => i.model === "delta")).toMatchObject({ battles: 3, decisive: 2, rank: 1 });
    const lenient = memoryIo({ "log.jsonl": ISLANDS });
    // alpha, beta and gamma have 4 decisive battles each; delta and epsilon 2.
    expect(await runLeaderboard(["--input", "log.jsonl", "--json", "--bootstrap", "0", "--min-battles", "3"], lenient)).toBe(0);
    expect((JSON.parse(lenient.out) as Leaderboard).items.filter((i) => i.provisional).map((i) => i.model).sort()).toEqual(["delta", "epsilon"]);
  });

  it("the table shows each component on its own and marks provisional models", async () => {
    const io = memoryIo({ "log.jsonl": ISLANDS });
    expect(await runLeaderboard(["--input", "log.jsonl", "--bootstrap", "0", "--min-battles", "3"], io)).toBe(0);
    const out = io.out;
    expect(out).toContain("not connected: 2 components");
    const second = out.indexOf("component 2 of 2");
    expect(out.indexOf("component 1 of 2")).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(out.indexOf("component 1 of 2"));
    // delta and epsilon sit under their own heading, each ranked within it.
    const rows = out.slice(second).split("\n").filter((l) => /^\d/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/).slice(0, 2))).toEqual([["1", "delta"], ["2", "epsilon"]]);
    const alphaRow = out.split("\n").find((l) => l.includes("alpha")) ?? "";
    expect(alphaRow).not.toContain("provisional");
    expect(rows.every((r) => r.endsWith("provisional"))).toBe(true);
    expect(out).toContain("provisional: fewer than 3 decisive (non-tie) battles");
  });
});

describe("runLeaderboard errors", () => {
  const usage: { argv: string[]; message: string }[] = [
    { argv: [], message: "--input FILE is required" },
    { argv: ["--input"], message: "--input needs a value" },
    { argv: ["--input", "log.jsonl", "--method", "glicko"], message: '--method must be one of bt, elo, newman, davidson, counting, average-win-rate, eigen, pagerank, got "glicko"' },
    { argv: ["--input", "log.jsonl", "--bootstrap", "-1"], message: "--bootstrap must be an integer >= 0" },
    { argv: ["--input", "log.jsonl", "--bootstrap", "ten"], message: "--bootstrap must be an integer >= 0" },
    { argv: ["--input", "log.jsonl", "--frobnicate"], message: "unknown option --frobnicate" },
    { argv: ["--input", "log.jsonl", "extra"], message: "unexpected argument extra" },
    { argv: ["--input", "log.jsonl", "--baseline", "omega"], message: 'baseline: model "omega" has no battles' },
    { argv: ["--input", "log.jsonl", "--min-battles", "-1"], message: "--min-battles must be an integer >= 0" },
  ];
  it.each(usage)("exit 2: $message", async ({ argv, message }) => {
    const io = memoryIo({ "log.jsonl": FILE });
    expect(await runLeaderboard(argv, io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.out).toBe("");
  });

  const input: { name: string; files: Record<string, string>; message: string }[] = [
    { name: "missing file", files: {}, message: "error: cannot read log.jsonl: ENOENT" },
    { name: "no valid battles", files: { "log.jsonl": "nope\n\n{}\n" }, message: "error: no valid battles in log.jsonl" },
  ];
  it.each(input)("exit 1: $name", async ({ files, message }) => {
    const io = memoryIo(files);
    expect(await runLeaderboard(["--input", "log.jsonl"], io)).toBe(1);
    expect(io.err).toContain(message);
  });
});

describe("default io", () => {
  const dir = mkdtempSync(join(tmpdir(), "leaderboard-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("streams a real file", async () => {
    const path = join(dir, "battles.jsonl");
    writeFileSync(path, FILE);
    let out = "";
    let err = "";
    const io = { ...defaultLeaderboardIo(), stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) };
    expect(await runLeaderboard(["--input", path, "--json", "--bootstrap", "10"], io)).toBe(0);
    expect(JSON.parse(out)).toEqual(await expectedBoard("bt", 10));
    expect(err).toContain("line 4: invalid JSON");
  });

  it("reports a missing file as exit 1", async () => {
    let err = "";
    const io = { ...defaultLeaderboardIo(), stdout: () => undefined, stderr: (s: string) => void (err += s) };
    expect(await runLeaderboard(["--input", join(dir, "absent.jsonl")], io)).toBe(1);
    expect(err).toContain("cannot read");
  });
});
