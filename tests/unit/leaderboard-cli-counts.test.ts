// The offline leaderboard counts a log as it reads it (tallyBattleLog, LineCache) for BT and the tally
// methods: the board printed must be the board of the battles read whole (collectBattleLog +
// computeLeaderboard), for plain logs (counted only), mixed logs (counts expanded beside the other
// lines), rejected and repeated lines, and byte chunks that split lines anywhere.
import { describe, expect, it } from "vitest";
import { collectBattleLog, LineCache, tallyBattleLog } from "../../reports/battle-log.js";
import { computeLeaderboard, type Leaderboard, type RatingMethod } from "../../reports/leaderboard.js";
import { runLeaderboard, type LeaderboardIo } from "../../src/cli/leaderboard.js";
import { mulberry32 } from "../../lib/random.js";

const enc = new TextEncoder();

/** A seeded plain log: 6 models, repeated lines, some ties, optionally `extra` lines mixed in. */
function plainLog(n: number, seed: number, extra: string[] = []): string {
  const rnd = mulberry32(seed);
  const models = ["m-a", "m-b", "m-c", "m-d", "m-e", "m-f"];
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rnd() * 6);
    let j = Math.floor(rnd() * 5);
    if (j >= i) j++;
    const u = rnd();
    const winner = u < 0.15 ? "tie" : u < 0.2 ? "tie (bothbad)" : u < 0.2 + 0.8 * (i < j ? 0.7 : 0.3) ? "model_a" : "model_b";
    out.push(`{"model_a":"${models[i]}","model_b":"${models[j]}","winner":"${winner}"}`);
    if (extra.length > 0 && k % 37 === 0) out.push(extra[(k / 37) % extra.length] ?? "");
  }
  return out.join("\n");
}

const MIXED = [
  '{"model_a":"m-a","model_b":"m-c","winner":"model_a","weight":2.5}',
  '{"model_a":"m-b","model_b":"m-d","score":0.25}',
  '{"model_a": "m-e", "model_b": "m-f", "winner": "model_b"}',
  '{"model_a":"m-c","model_b":"m-a","winner":"tie","tstamp":12}',
  '{"model_a":"m-a","model_b":"m-a","winner":"tie"}',
  "not json",
  '{"model_a":"m-a","model_b":"m-b","winner":"nobody"}',
  '{"model_a":"m-a","model_b":"m-b","winner":"model_a"}\r',
  "",
];

/** The log as bytes in chunks of `size` (lines split anywhere), or whole text. */
function memoryIo(text: string, size: number | null): LeaderboardIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    readFile: (): Promise<string> | AsyncIterable<Uint8Array> => {
      if (size === null) return Promise.resolve(text);
      const bytes = enc.encode(text);
      return (async function* () {
        for (let k = 0; k < bytes.length; k += size) yield bytes.subarray(k, k + size);
      })();
    },
  };
  return io;
}

async function* bytesIn(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = enc.encode(text);
  for (let k = 0; k < bytes.length; k += size) yield bytes.slice(k, k + size);
}

describe("runLeaderboard on a counted log equals the board of the battles read whole", () => {
  const logs = [
    { name: "plain only", text: plainLog(3000, 1) },
    { name: "mixed with weights, scores, spacing, rejects, CRLF", text: plainLog(3000, 2, MIXED) },
  ];
  const methods: RatingMethod[] = ["bt", "newman", "davidson", "counting", "average-win-rate", "eigen", "pagerank"];
  const chunks = [null, 1 << 20, 61, 7];
  for (const log of logs) {
    for (const method of methods) {
      it.each(chunks)(`${log.name}, ${method}, chunks of %s bytes`, async (size) => {
        const io = memoryIo(log.text, size);
        expect(await runLeaderboard(["--input", "log.jsonl", "--json", "--method", method, "--bootstrap", "25", "--seed", "3", "--baseline", "m-c"], io)).toBe(0);
        const whole = await collectBattleLog(log.text);
        const expected = computeLeaderboard(whole.battles, { method, bootstrap: 25, seed: 3, baseline: "m-c", minBattles: 30 });
        const printed = JSON.parse(io.out) as Leaderboard;
        if (log.name === "plain only") {
          // Counted only: the very same numbers.
          expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
        } else {
          // Weighted battles summed in another order: the same board up to rounding.
          expect(printed.items.map((i) => [i.model, i.rank, i.battles, i.decisive, i.component, i.provisional])).toEqual(expected.items.map((i) => [i.model, i.rank, i.battles, i.decisive, i.component, i.provisional]));
          printed.items.forEach((item, k) => {
            for (const key of ["rating", "ciLow", "ciHigh", "winRate"] as const) expect(item[key]).toBeCloseTo(expected.items[k]?.[key] ?? Number.NaN, 6);
          });
          expect(printed.ties).toBeCloseTo(expected.ties ?? Number.NaN, 12);
        }
        expect(io.err).toContain(`${whole.battles.length} battles read, ${whole.rejected.length} lines rejected`);
        for (const r of whole.rejected.slice(0, 20)) expect(io.err).toContain(`line ${r.line}: ${r.reason}\n`);
      });
    }
  }

  it("an unknown baseline is still a usage error (exit 2) naming it", async () => {
    const io = memoryIo(plainLog(200, 4), 64);
    expect(await runLeaderboard(["--input", "log.jsonl", "--baseline", "nobody"], io)).toBe(2);
    expect(io.err).toMatch(/nobody|baseline/);
  });

  it("a log of rejected lines only is exit 1", async () => {
    const io = memoryIo('{"model_a":"x","model_b":"x","winner":"tie"}\nnope\n', 16);
    expect(await runLeaderboard(["--input", "log.jsonl"], io)).toBe(1);
    expect(io.err).toContain("no valid battles");
  });
});

describe("tallyBattleLog", () => {
  it("counts plain lines per (model_a, model_b, outcome) and keeps the rest whole, lines numbered as read", async () => {
    const text = [
      '{"model_a":"a","model_b":"b","winner":"model_a"}',
      '{"model_a":"a","model_b":"b","winner":"model_a"}',
      '{"model_b":"b","model_a":"a","winner":"model_a"}',
      '{"model_a":"b","model_b":"a","winner":"model_b"}',
      '{"model_a":"a","model_b":"b","winner":"tie"}',
      '{"model_a":"a","model_b":"b","winner":"tie (bothbad)"}',
      '{"model_a":"a","model_b":"b","winner":"model_a","weight":2}',
      '{"model_a":"a","model_b":"a","winner":"model_a"}',
      '{"model_a":"a","model_b":"a","winner":"model_a"}',
      '{"model_a":"a","model_b":"b","winner":"model_a"}',
    ].join("\n");
    for (const size of [3, 50, 4096]) {
      const t = await tallyBattleLog(bytesIn(text, size));
      expect(t.counts).toEqual([
        { modelA: "a", modelB: "b", outcome: 1, count: 4 },
        { modelA: "b", modelB: "a", outcome: 0, count: 1 },
        { modelA: "a", modelB: "b", outcome: 0.5, count: 2 },
      ]);
      expect(t.battles).toEqual([{ modelA: "a", modelB: "b", outcome: 1, weight: 2 }]);
      // A rejected line is parsed every time: the same bytes twice are two rejects with their own numbers.
      expect(t.rejected).toEqual([
        { line: 8, reason: "model_b: must differ from model_a" },
        { line: 9, reason: "model_b: must differ from model_a" },
      ]);
      expect(t.accepted).toBe(8);
    }
  });
});

describe("LineCache", () => {
  const bytes = (s: string) => enc.encode(s);
  it("finds a line only by its exact bytes, probing past other lines in a tiny table", () => {
    const cache = new LineCache(4);
    const lines = ["abcd", "abce", "abcdabcd", "x", "abcdabcde", "ab"];
    const tags: number[] = [];
    lines.forEach((line, k) => {
      const buf = bytes(`..${line}..`);
      cache.chunk(buf);
      const tag = cache.find(2, 2 + line.length);
      if (tag < 0) cache.add(buf, 2, 2 + line.length, 100 + k);
      tags.push(tag);
    });
    expect(tags).toEqual([-1, -1, -1, -1, -1, -1]);
    // Only the first four fit (max 4); the later two were never added.
    const found = lines.map((line) => {
      const buf = bytes(line);
      cache.chunk(buf);
      return cache.find(0, line.length);
    });
    expect(found).toEqual([100, 101, 102, 103, -1, -1]);
    // Same length, one byte different anywhere: not found.
    for (const near of ["abcD", "Abcd", "abcdabcD", "y"]) {
      const buf = bytes(near);
      cache.chunk(buf);
      expect(cache.find(0, near.length)).toBe(-1);
    }
  });

  it("holds many lines across chunks (the arena grows) and finds each again", () => {
    const cache = new LineCache(5000);
    const rnd = mulberry32(9);
    const lines = Array.from({ length: 4000 }, (_, k) => `{"k":${k},"r":"${"z".repeat(Math.floor(rnd() * 40))}"}`);
    for (const [k, line] of lines.entries()) {
      const buf = bytes(`\n${line}\n`);
      cache.chunk(buf);
      expect(cache.find(1, 1 + line.length)).toBe(-1);
      cache.add(buf, 1, 1 + line.length, k);
    }
    const all = bytes(lines.join("\n"));
    cache.chunk(all);
    let start = 0;
    lines.forEach((line, k) => {
      const len = enc.encode(line).length;
      expect(cache.find(start, start + len)).toBe(k);
      start += len + 1;
    });
  });
});
