/**
 * Glue for one export stream: instruction groups in (from the database, ordered by instruction),
 * selected rows through the selector, formatted lines out. `exportChunks` takes the groups a page
 * at a time and returns JSONL text in chunks of about `chunkSize` characters: the per-row work is
 * synchronous, so a large export pays one await per page and one per chunk, not several per row.
 * Read `selector.summary()` afterwards for the dataset card.
 */

import type { InstructionGroup, RowOfKind, SelectionKind, Selector } from "../../battles/selection.js";
import type { JsonRecord } from "./formats.js";
import { jsonLine } from "./json-line.js";
import { DEFAULT_CHUNK_SIZE, type JsonlOptions } from "./jsonl.js";

/** Formatted records one at a time (tests and small callers; the HTTP export uses `exportChunks`). */
export async function* exportLines<K extends SelectionKind>(
  groups: AsyncIterable<InstructionGroup> | Iterable<InstructionGroup>,
  selector: Selector<K>,
  format: (row: RowOfKind[K]) => JsonRecord[],
): AsyncGenerator<JsonRecord> {
  for await (const group of groups) {
    for (const row of selector.next(group)) yield* format(row);
  }
}

/**
 * Where a line writer appends: UTF-8 bytes written straight into a chunk-sized buffer, so no
 * chunk-sized string is ever built, flattened and then encoded again for the socket.
 */
export class LineBuffer {
  private buf: Buffer;
  private used = 0;
  private count = 0;
  constructor(private readonly chunkBytes: number) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }
  /** Append one JSON line (without its newline). */
  add(json: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; make sure the whole line and "\n" fit.
    const worst = json.length * 3 + 1;
    if (this.used + worst > this.buf.length) this.grow(worst);
    this.used += this.buf.write(json, this.used, "utf8");
    this.buf[this.used++] = 10;
    this.count++;
  }
  get bytes(): number {
    return this.used;
  }
  get lines(): number {
    return this.count;
  }
  /** The bytes so far (the buffer is not reused afterwards). */
  take(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }
  private grow(need: number): void {
    const size = Math.max(this.buf.length * 2, this.used + need);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/** Appends a row's line(s) to the buffer. */
export type LineWriter<K extends SelectionKind> = (row: RowOfKind[K], out: LineBuffer) => void;

/** The line writer: each record the formatter returns, as `JSON.stringify` would print it. */
export function stringifyLines<K extends SelectionKind>(format: (row: RowOfKind[K]) => JsonRecord[]): LineWriter<K> {
  return (row, out) => {
    for (const record of format(row)) out.add(jsonLine(record));
  };
}

/**
 * JSONL chunks (UTF-8 bytes) from pages of groups. Each chunk holds whole lines and is handed out
 * once it reaches `chunkSize` bytes; `onLines` is told how many lines each chunk carries.
 */
export async function* exportChunks<K extends SelectionKind>(
  pages: AsyncIterable<readonly InstructionGroup[]>,
  selector: Selector<K>,
  write: LineWriter<K>,
  options: JsonlOptions & { onLines?: (n: number) => void } = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // Room for a chunk plus a typical line, so a full chunk rarely needs to grow.
  const capacity = chunkSize + 16 * 1024;
  let buf = new LineBuffer(capacity);
  for await (const page of pages) {
    for (const group of page) {
      for (const row of selector.next(group)) {
        write(row, buf);
        if (buf.bytes >= chunkSize) {
          options.onLines?.(buf.lines);
          yield buf.take();
          buf = new LineBuffer(capacity);
        }
      }
    }
  }
  if (buf.lines > 0) {
    options.onLines?.(buf.lines);
    yield buf.take();
  }
}
