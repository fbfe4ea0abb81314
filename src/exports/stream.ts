/**
 * The stream stage of an export (src/exports/service.ts wires it): instruction groups in (from the
 * database, a page at a time, ordered by instruction), selected rows through the selector, formatted
 * lines out as JSONL bytes in chunks of about `chunkSize` bytes. The per-row work is synchronous, so
 * a large export pays one await per page and one per chunk, not several per row, and no chunk-sized
 * string is ever built: lines are written as UTF-8 straight into the chunk's buffer. Read
 * `selector.summary()` afterwards for the dataset card.
 */

import type { JsonRecord } from "./format.js";
import { jsonLine } from "./stream-json.js";

/** ~64 KB: large enough to keep per-write overhead low, small enough to stream promptly. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Where a line writer appends: UTF-8 bytes in a growable buffer, and how many lines they are. */
export class LineBuffer {
  private buf: Buffer;
  private used = 0;
  private count = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
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

/** The line writer of an export: each record the formatter returns, as `JSON.stringify` prints it. */
export function stringifyLines<R>(format: (row: R) => JsonRecord[]): (row: R, out: LineBuffer) => void {
  return (row, out) => {
    for (const record of format(row)) out.add(jsonLine(record));
  };
}

export interface ChunkOptions {
  /** A chunk is handed out once it holds this many bytes (it ends at the line that reached them). */
  chunkSize?: number;
  /** Told how many lines each chunk carries as it is handed out. */
  onLines?: (n: number) => void;
}

/**
 * JSONL chunks (UTF-8 bytes) from pages of items: each item gives its rows (`rowsOf`, the
 * selector for an export) and each row its lines (`write`). Every chunk holds whole lines; a line
 * longer than `chunkSize` makes a chunk of its own; no rows give no chunks.
 */
export async function* exportChunks<G, R>(
  pages: AsyncIterable<readonly G[]>,
  rowsOf: (item: G) => Iterable<R>,
  write: (row: R, out: LineBuffer) => void,
  options: ChunkOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // Room for a chunk plus a typical line, so a full chunk rarely needs to grow.
  const capacity = chunkSize + 16 * 1024;
  let buf = new LineBuffer(capacity);
  for await (const page of pages) {
    for (const item of page) {
      for (const row of rowsOf(item)) {
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
