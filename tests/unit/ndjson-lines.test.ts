// NDJSON bytes to lines: strict UTF-8 per line, any chunking, the same lines as a whole-body split.
import { describe, expect, it } from "vitest";
import { utf8Lines, utf8LinesOf } from "../../src/http/ndjson-lines.js";

const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...enc.encode(p)] : p)));

const cases: { name: string; body: Uint8Array; lines: (string | null)[] }[] = [
  { name: "empty body", body: bytes(), lines: [] },
  { name: "one line, no LF", body: bytes("a"), lines: ["a"] },
  { name: "trailing LF adds no line", body: bytes("a\nb\n"), lines: ["a", "b"] },
  { name: "blank lines kept (for numbering)", body: bytes("a\n\n\nb"), lines: ["a", "", "", "b"] },
  { name: "CR and BOM kept for the parser", body: bytes("\uFEFFa\r\nb\r\n"), lines: ["\uFEFFa\r", "b\r"] },
  { name: "multi-byte characters", body: bytes("é€😀\nok"), lines: ["é€😀", "ok"] },
  { name: "invalid byte: only that line is null", body: bytes("good\nba", [0xff], "d\nnext"), lines: ["good", null, "next"] },
  { name: "truncated multi-byte at the end of a line", body: bytes("x", [0xe2, 0x82], "\ny"), lines: [null, "y"] },
  { name: "truncated multi-byte at the end of the body", body: bytes("y\nx", [0xf0, 0x9f]), lines: ["y", null] },
  { name: "encoded surrogate (CESU) is invalid", body: bytes([0xed, 0xa0, 0x80], "\nz"), lines: [null, "z"] },
];

async function streamed(body: Uint8Array, size: number): Promise<(string | null)[]> {
  async function* chunks() {
    for (let i = 0; i < body.byteLength; i += size) yield body.slice(i, i + size);
  }
  const out: (string | null)[] = [];
  for await (const l of utf8Lines(chunks())) out.push(l);
  return out;
}

describe("utf8LinesOf", () => {
  for (const tc of cases) it(tc.name, () => expect(utf8LinesOf(tc.body)).toEqual(tc.lines));
});

describe("utf8Lines (streamed)", () => {
  for (const tc of cases) {
    it(`${tc.name}, in chunks of 1, 2, 3 and 64 bytes`, async () => {
      for (const size of [1, 2, 3, 64]) expect(await streamed(tc.body, size)).toEqual(tc.lines);
    });
  }
});
