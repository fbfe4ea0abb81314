import { describe, expect, it } from "vitest";
import { sseEvents } from "../../src/cli/round.js";
import { progressLine } from "../../src/progress-line.js";

const p = (done: number, failed: number, total: number, status = "running", eta: number | null = 12, adaptive: { wave: number; ciWidth: number | null; targetCiWidth: number | null } | null = null) => ({
  status,
  adaptive,
  counts: { total, done, failed, pending: total - done - failed },
  costUsd: 0.5,
  tokens: { total: 1234 },
  etaSeconds: eta,
});

describe("progressLine", () => {
  const cases: { input: ReturnType<typeof p>; width: number; expected: string }[] = [
    { input: p(0, 0, 10), width: 10, expected: "[..........]  0/10   0%  failed 0  tokens 1234  $0.5000  running  eta 12s" },
    { input: p(4, 1, 10), width: 10, expected: "[#####.....]  5/10  50%  failed 1  tokens 1234  $0.5000  running  eta 12s" },
    { input: p(300, 0, 300, "done", 0), width: 4, expected: "[####] 300/300 100%  failed 0  tokens 1234  $0.5000  done  eta 0s" },
    { input: p(0, 0, 0, "done", null), width: 2, expected: "[##] 0/0 100%  failed 0  tokens 1234  $0.5000  done" },
    // An adaptive round shows its wave and the widest interval against the target (spent battles are the total).
    { input: p(56, 0, 112, "running", 5, { wave: 2, ciWidth: 254.1007, targetCiWidth: 60 }), width: 4, expected: "[##..]  56/112  50%  failed 0  tokens 1234  $0.5000  running  eta 5s  wave 2  ci 254.1/60 Elo" },
    { input: p(0, 0, 56, "pending", null, { wave: 1, ciWidth: null, targetCiWidth: null }), width: 2, expected: "[..]  0/56   0%  failed 0  tokens 1234  $0.5000  pending  wave 1  ci - Elo" },
  ];
  for (const tc of cases) it(tc.expected, () => expect(progressLine(tc.input, tc.width)).toBe(tc.expected));
});

describe("sseEvents", () => {
  it("parses events split across chunks", async () => {
    const enc = new TextEncoder();
    const parts = ["event: progress\ndata: {\"a\"", ":1}\nid: 0\n\nevent: end\nda", "ta: {}\n\n"];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const x of parts) c.enqueue(enc.encode(x));
        c.close();
      },
    });
    const got: { event: string; data: string }[] = [];
    for await (const e of sseEvents(body)) got.push(e);
    expect(got).toEqual([{ event: "progress", data: '{"a":1}' }, { event: "end", data: "{}" }]);
  });
});
