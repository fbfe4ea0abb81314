// JSONL chunking: chunks are whole lines, reassemble to exactly the input values, and respect the
// chunk size (a chunk closes at the first line that reaches it).
import { describe, expect, it } from "vitest";
import { DEFAULT_CHUNK_SIZE, jsonlChunks } from "../../src/exports/jsonl.js";
import { createRng } from "../../reports/random.js";

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of source) out.push(c);
  return out;
}

async function* slowly<T>(xs: T[]): AsyncGenerator<T> {
  for (const x of xs) {
    await Promise.resolve();
    yield x;
  }
}

function rows(n: number, seed: number): unknown[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    i,
    text: "x".repeat(Math.floor(rng() * 300)),
    tricky: "line\nbreak \"quoted\" ünïcödé \u2028 tab\t",
    nested: [{ role: "user", content: `q${i}` }],
  }));
}

describe("jsonlChunks", () => {
  const cases: { name: string; values: unknown[]; chunkSize?: number; async: boolean }[] = [
    { name: "small chunks, sync source", values: rows(200, 1), chunkSize: 1000, async: false },
    { name: "small chunks, async source", values: rows(200, 2), chunkSize: 1000, async: true },
    { name: "one row larger than a chunk", values: [{ big: "y".repeat(5000) }, { small: 1 }], chunkSize: 100, async: true },
    { name: "default 64 KB chunks", values: rows(3000, 3), async: false },
    { name: "empty source", values: [], async: true },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const chunkSize = tc.chunkSize ?? DEFAULT_CHUNK_SIZE;
      const source = tc.async ? slowly(tc.values) : tc.values;
      const chunks = await collect(jsonlChunks(source, tc.chunkSize === undefined ? {} : { chunkSize: tc.chunkSize }));
      const joined = chunks.join("");
      const lines = joined.split("\n");
      expect(lines.pop()).toBe(""); // the text ends with a newline (or is empty)
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(tc.values);
      for (const [k, c] of chunks.entries()) {
        expect(c.endsWith("\n")).toBe(true);
        const chunkLines = c.slice(0, -1).split("\n");
        const last = chunkLines[chunkLines.length - 1] ?? "";
        // Every chunk but the last reached the size only with its final line.
        if (k < chunks.length - 1) expect(c.length).toBeGreaterThanOrEqual(chunkSize);
        expect(c.length - last.length - 1).toBeLessThan(chunkSize);
      }
      if (tc.values.length === 0) expect(chunks).toEqual([]);
    });
  }

  it("yields lazily: the first chunk arrives before the source is drained", async () => {
    let produced = 0;
    function* source() {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield { i, pad: "z".repeat(100) };
      }
    }
    const it = jsonlChunks(source(), { chunkSize: 1000 })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(20);
  });
});
