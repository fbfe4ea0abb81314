/**
 * A minimal multipart/form-data reader for `POST /v1/files` (the openai SDK's `files.create` upload):
 * the boundary from the content type, each part's `name`, optional `filename`, and raw bytes.
 */

export interface FormPart {
  name: string;
  filename: string | null;
  data: Buffer;
}

/** The boundary of a `multipart/form-data; boundary=...` content type, or null when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The parts of a multipart body; malformed parts (no headers end, no name) are skipped. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length;
    // "--" after the delimiter ends the body.
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF, then the next delimiter.
    const chunk = body.subarray(start + 2, next - 2);
    const headEnd = chunk.indexOf("\r\n\r\n");
    if (headEnd >= 0) {
      const head = chunk.subarray(0, headEnd).toString("utf8");
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1] ?? null;
      if (name !== undefined) parts.push({ name, filename, data: chunk.subarray(headEnd + 4) });
    }
    at = next;
  }
  return parts;
}
