/**
 * NDJSON bodies as lines, each decoded as strict UTF-8 on its own: a line with invalid bytes becomes
 * null (rejected by itself) instead of silently turning into U+FFFD and being stored altered. Splitting
 * the bytes at LF first is safe because 0x0A never occurs inside a multi-byte UTF-8 sequence.
 * Lines keep a trailing CR and a leading BOM; the parsers strip those.
 */
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
