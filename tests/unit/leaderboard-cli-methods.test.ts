// `matrix-arena leaderboard --method ...` for every rating method, run in-process: --json prints the board
// computeLeaderboard gives (with scale, definition, ties and the tie parameter), the table names the scale
// and prints shares and probabilities with four decimals, and a bad method or anchor is a usage error.
import { describe, expect, it } from "vitest";
import { collectBattleLog } from "../../reports/battle-log.js";
import { computeLeaderboard, RATING_METHODS, type Leaderboard, type RatingMethod } from "../../reports/leaderboard.js";
import { runLeaderboard, type LeaderboardIo } from "../../src/cli/leaderboard.js";

// alpha beats beta 3-1 with 2 ties, beta beats gamma 2-0 with 2 ties, alpha and gamma tie twice.
const BATTLES: [string, string, string][] = [
  ["alpha", "beta", "model_a"],
  ["alpha", "beta", "model_a"],
  ["beta", "alpha", "model_b"],
  ["alpha", "beta", "model_b"],
  ["alpha", "beta", "tie"],
  ["beta", "alpha", "tie"],
  ["beta", "gamma", "model_a"],
  ["gamma", "beta", "model_b"],
  ["beta", "gamma", "tie"],
  ["gamma", "beta", "tie"],
  ["alpha", "gamma", "tie"],
  ["gamma", "alpha", "tie"],
];
const FILE = BATTLES.map(([a, b, w], k) => JSON.stringify({ model_a: a, model_b: b, winner: w, tstamp: k })).join("\n");

function memoryIo(): LeaderboardIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    readFile: (path: string) => (path === "log.jsonl" ? Promise.resolve(FILE) : Promise.reject(new Error(`ENOENT: ${path}`))),
  };
  return io;
}

async function expected(method: RatingMethod, bootstrap: number): Promise<Leaderboard> {
  const { battles } = await collectBattleLog(FILE);
  return computeLeaderboard(battles, { method, bootstrap, seed: 0 });
}

describe("leaderboard --method", () => {
  for (const method of RATING_METHODS) {
    it(`--json --method ${method}`, async () => {
      const io = memoryIo();
      expect(await runLeaderboard(["--input", "log.jsonl", "--method", method, "--bootstrap", "20", "--json"], io)).toBe(0);
      const board = JSON.parse(io.out) as Leaderboard;
      expect(board).toEqual(await expected(method, 20));
      expect(board.method).toBe(method);
      // 6 of the 12 battles are ties.
      expect(board.ties).toBeCloseTo(6 / 12, 12);
      expect(board.tieParameter !== undefined).toBe(method === "newman" || method === "davidson");
    });
  }

  it("counting by hand: alpha 3 + 2·0.5 + 2·0.5 = 5, beta 1 + 2 + 4·0.5 = 5, gamma 4·0.5 = 2", async () => {
    const io = memoryIo();
    expect(await runLeaderboard(["--input", "log.jsonl", "--method=counting", "--bootstrap", "0", "--json"], io)).toBe(0);
    const board = JSON.parse(io.out) as Leaderboard;
    expect(Object.fromEntries(board.items.map((i) => [i.model, i.rating]))).toEqual({ alpha: 5, beta: 5, gamma: 2 });
    expect(board.scale).toBe("points");
  });

  it("the table names the scale, the share of ties and the tie parameter", async () => {
    const davidson = memoryIo();
    expect(await runLeaderboard(["--input", "log.jsonl", "--method", "davidson", "--bootstrap", "10"], davidson)).toBe(0);
    const board = await expected("davidson", 10);
    expect(davidson.out.split("\n")[0]).toBe("method: davidson");
    expect(davidson.out).toContain(`scale: elo; ${board.definition ?? "?"}`);
    expect(davidson.out).toContain("ties: 50.0% of battles");
    const tp = board.tieParameter;
    expect(davidson.out).toContain(`tie parameter: ${tp?.value.toFixed(4) ?? "?"} [${tp?.ciLow.toFixed(4) ?? "?"}, ${tp?.ciHigh.toFixed(4) ?? "?"}]`);
    const pagerank = memoryIo();
    expect(await runLeaderboard(["--input", "log.jsonl", "--method", "pagerank", "--bootstrap", "0"], pagerank)).toBe(0);
    const top = (await expected("pagerank", 0)).items[0];
    const row = pagerank.out.split("\n").find((l) => l.includes(top?.model ?? "?"))?.split(/\s{2,}/);
    expect(row?.[2]).toBe(top?.rating.toFixed(4));
    expect(pagerank.out).toContain("scale: probability;");
  });

  const usage: { argv: string[]; message: string }[] = [
    { argv: ["--method", "bradley"], message: "--method must be one of bt, elo, newman, davidson, counting, average-win-rate, eigen, pagerank" },
    { argv: ["--method", "eigen", "--baseline-rating", "1100"], message: "baselineRating: applies only to Elo-scale methods" },
    { argv: ["--method", "newman", "--style-control"], message: "styleControl: needs method bt" },
  ];
  it.each(usage)("exit 2: $message", async ({ argv, message }) => {
    const io = memoryIo();
    expect(await runLeaderboard(["--input", "log.jsonl", ...argv], io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.out).toBe("");
  });
});
