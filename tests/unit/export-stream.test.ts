// JSONL chunking of the export pipeline: chunks are whole lines of UTF-8, reassemble to exactly the
// input values, and respect the chunk size in bytes (a chunk closes at the first line that reaches
// it); chunks stream before the source is drained, and the line counts add up.
import { describe, expect, it } from "vitest";
import { DEFAULT_CHUNK_SIZE, exportChunks, stringifyLines } from "../../src/exports/stream.js";
import { xoshiroRng } from "../../lib/random.js";

const decoder = new TextDecoder();

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of source) out.push(c);
  return out;
}

/** Values in pages of `size`, with an await between pages when `async`. */
async function* pagesOf<T>(xs: T[], size: number, async: boolean): AsyncGenerator<T[]> {
  for (let i = 0; i < xs.length; i += size) {
    if (async) await Promise.resolve();
    yield xs.slice(i, i + size);
  }
}

function rows(n: number, seed: number): Record<string, unknown>[] {
  const rng = xoshiroRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    i,
    text: "x".repeat(Math.floor(rng() * 300)),
    tricky: "line\nbreak \"quoted\" ünïcödé \u2028 tab\t",
    nested: [{ role: "user", content: `q${i}` }],
  }));
}

/** Each value is its own row and its own line. */
const one = <T>(x: T): T[] => [x];
const write = stringifyLines((row: Record<string, unknown>) => [row]);

describe("exportChunks", () => {
  const cases: { name: string; values: Record<string, unknown>[]; chunkSize?: number; async: boolean }[] = [
    { name: "small chunks, pages without awaits", values: rows(200, 1), chunkSize: 1000, async: false },
    { name: "small chunks, pages with awaits", values: rows(200, 2), chunkSize: 1000, async: true },
    { name: "one row larger than a chunk", values: [{ big: "y".repeat(5000) }, { small: 1 }], chunkSize: 100, async: true },
    { name: "default 64 KB chunks", values: rows(3000, 3), async: false },
    { name: "empty source", values: [], async: true },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const chunkSize = tc.chunkSize ?? DEFAULT_CHUNK_SIZE;
      let counted = 0;
      const options = { onLines: (n: number) => void (counted += n), ...(tc.chunkSize === undefined ? {} : { chunkSize: tc.chunkSize }) };
      const chunks = await collect(exportChunks(pagesOf(tc.values, 7, tc.async), one, write, options));
      const joined = chunks.map((c) => decoder.decode(c)).join("");
      const lines = joined.split("\n");
      expect(lines.pop()).toBe(""); // the text ends with a newline (or is empty)
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(tc.values);
      expect(counted).toBe(tc.values.length);
      for (const [k, c] of chunks.entries()) {
        expect(c[c.length - 1]).toBe(10);
        const lastLine = c.lastIndexOf(10, c.length - 2); // end of the line before the last one
        // Every chunk but the last reached the size only with its final line.
        if (k < chunks.length - 1) expect(c.length).toBeGreaterThanOrEqual(chunkSize);
        expect(lastLine + 1).toBeLessThan(chunkSize);
      }
      if (tc.values.length === 0) expect(chunks).toEqual([]);
    });
  }

  it("yields lazily: the first chunk arrives before the source is drained", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield [{ i, pad: "z".repeat(100) }];
      }
    }
    const it = exportChunks(source(), one, write, { chunkSize: 1000 })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(20);
  });
});
