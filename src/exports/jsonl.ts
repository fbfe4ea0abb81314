/**
 * JSONL streaming: turns an (async) iterable of JSON-able values into string chunks of whole lines,
 * each about `chunkSize` characters, so an HTTP response writes few large chunks while memory
 * holds one chunk at a time, never the whole file. JSON.stringify escapes newlines inside strings,
 * so every value is exactly one line.
 */

/** ~64 KB: large enough to keep per-write overhead low, small enough to stream promptly. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

export interface JsonlOptions {
  /** Flush once a chunk reaches this many UTF-16 code units (about bytes for ASCII text). */
  chunkSize?: number;
}

/**
 * Yields strings that each end with "\n" and hold one or more whole lines. A single line longer
 * than `chunkSize` becomes a chunk of its own; an empty source yields nothing.
 */
export async function* jsonlChunks(
  source: AsyncIterable<unknown> | Iterable<unknown>,
  options: JsonlOptions = {},
): AsyncGenerator<string> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let parts: string[] = [];
  let size = 0;
  for await (const value of source) {
    const line = `${JSON.stringify(value)}\n`;
    parts.push(line);
    size += line.length;
    if (size >= chunkSize) {
      yield parts.join("");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}
