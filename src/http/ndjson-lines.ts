/**
 * NDJSON bodies as lines, each decoded as strict UTF-8 on its own: a line with invalid bytes becomes
 * null (rejected by itself) instead of silently turning into U+FFFD and being stored altered. Splitting
 * the bytes at LF first is safe because 0x0A never occurs inside a multi-byte UTF-8 sequence.
 * Lines keep a trailing CR and a leading BOM; the parsers strip those.
 */
import { AppError } from "../errors.js";

const LF = 0x0a;

function decodeLine(bytes: Uint8Array): string | null {
  try {
    // A fresh decoder per line: a fatal error must not leave state behind for the next line.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Lines of a whole body (a final line without LF included; a trailing LF adds no empty line). */
export function utf8LinesOf(bytes: Uint8Array): (string | null)[] {
  const lines: (string | null)[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(LF); nl !== -1; nl = bytes.indexOf(LF, start)) {
    lines.push(decodeLine(bytes.subarray(start, nl)));
    start = nl + 1;
  }
  if (start < bytes.byteLength) lines.push(decodeLine(bytes.subarray(start)));
  return lines;
}

/** Lines of a streamed body, as the chunks arrive (chunk boundaries need not be line boundaries). */
export async function* utf8Lines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string | null> {
  let pending: Uint8Array[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      pending.push(chunk.subarray(start, nl));
      // Decoded before the next chunk is read, so a view into this one is enough.
      yield decodeLine(concat(pending));
      pending = [];
      start = nl + 1;
    }
    // A copy: the stream may reuse the chunk's buffer once we move on.
    if (start < chunk.byteLength) pending.push(chunk.slice(start));
  }
  if (pending.length > 0) yield decodeLine(concat(pending));
}

const tooLarge = (limit: number) => new AppError("payload_too_large", `request body exceeds the import limit of ${limit} bytes`);

/** Refuses a body whose declared length is over the limit before reading it. */
export function checkDeclaredLength(header: string | undefined, limit: number): void {
  if (Number(header ?? 0) > limit) throw tooLarge(limit);
}

/** The body's bytes as they arrive, counted against the limit (what was stored before it stays). */
export async function* limitedChunks(body: ReadableStream<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    yield chunk;
  }
}

/** True for the NDJSON media types the import routes accept. */
export function isNdjson(contentType: string | undefined): boolean {
  return /^application\/(x-ndjson|jsonl|x-jsonlines)\b/.test((contentType ?? "").toLowerCase());
}

/** A pull-based stream of NDJSON lines: the next line is produced only when the client reads. */
export function ndjsonStream(values: AsyncGenerator<unknown>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await values.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(JSON.stringify(value) + "\n"));
    },
    async cancel() {
      await values.return(undefined);
    },
  });
}
