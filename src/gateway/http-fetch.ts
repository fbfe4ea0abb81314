/**
 * A small `fetch` over node:http / node:https with keep-alive agents, handed to both SDKs.
 * Why: Node's built-in fetch (undici + web streams) costs about 1 ms of CPU per small JSON call,
 * which caps one core at roughly 1,000 calls/s; this path costs a fraction of that. It buffers the
 * whole response (the gateway never streams) and hands the SDK a `Response` whose text/json/
 * arrayBuffer/blob read that buffer directly; building a web stream per call was most of the cost.
 * Its `body` stream is therefore null: callers that need streaming must use the global fetch.
 * Anything it does not handle (streamed request bodies, non-http(s) URLs) goes to the global fetch.
 */
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import { BufferedResponse, ResponseHeaders } from "./buffered-response.js";

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: Infinity });

type FetchInput = Parameters<typeof fetch>[0];

/** `fetch`-compatible; rejects with a TypeError (like fetch) on network failure, AbortError on abort. */
export async function keepAliveFetch(input: FetchInput, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === "string" ? parseUrl(input) : input instanceof URL ? input : null;
  const body = init.body;
  const plainBody = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
  if (url === null || !plainBody || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return fetch(input, init);
  }
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortError(signal);
  const method = init.method ?? "GET";
  const raw = await send(url, method, toHeaderObject(init.headers), body ?? undefined, signal);
  const { status, statusText, headers, payload } = raw;
  // Redirects are rare for APIs; let the global fetch follow the chain rather than reimplement it.
  if (status >= 300 && status < 400 && headers.has("location") && init.redirect !== "manual") return fetch(input, init);
  // A Response may not carry a body for these statuses.
  const noBody = status === 204 || status === 205 || status === 304 || init.method === "HEAD";
  const res = new BufferedResponse(noBody ? EMPTY : payload, status, statusText, headers, url.href);
  // Structurally a Response for every reader the SDKs use (see BufferedResponse).
  return res as unknown as Response;
}

const EMPTY = Buffer.alloc(0);

/** Parsed URLs by string: the SDKs call the same few endpoints, and parsing showed up in profiles. */
const urlCache = new Map<string, URL>();
function parseUrl(raw: string): URL | null {
  let url = urlCache.get(raw);
  if (url === undefined) {
    if (!URL.canParse(raw)) return null;
    url = new URL(raw);
    if (urlCache.size >= 512) urlCache.clear();
    urlCache.set(raw, url);
  }
  return url;
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  payload: Buffer;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    const options = { method, headers, agent: secure ? httpsAgent : httpAgent };
    const req = (secure ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("aborted", () => fail(new TypeError("terminated", { cause: new Error("response body cut short") })));
      res.on("error", (err) => fail(new TypeError("terminated", { cause: err })));
      res.on("end", () => {
        if (settled) return;
        const raw = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
        try {
          const { payload, headers: out } = decode(raw, res.headers);
          done();
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: out, payload });
        } catch (err) {
          fail(new TypeError("terminated", { cause: err }));
        }
      });
    });
    let settled = false;
    const onAbort = (): void => {
      fail(abortError(signal));
      req.destroy();
    };
    const done = (): void => {
      settled = true;
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (err: Error): void => {
      if (settled) return;
      done();
      reject(err);
    };
    req.on("error", (err) => fail(new TypeError("fetch failed", { cause: err })));
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(body);
  });
}

/** The body, decoded if compressed; headers stay as received (as the global fetch leaves them). */
function decode(
  raw: Buffer,
  nodeHeaders: Record<string, string | string[] | undefined>,
): { payload: Buffer; headers: ResponseHeaders } {
  const encoding = String(nodeHeaders["content-encoding"] ?? "").trim().toLowerCase();
  const payload =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.gunzipSync(raw)
      : encoding === "deflate"
        ? zlib.inflateSync(raw)
        : encoding === "br"
          ? zlib.brotliDecompressSync(raw)
          : raw;
  return { payload, headers: new ResponseHeaders(nodeHeaders) };
}

function toHeaderObject(h: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (h === undefined) return out;
  if (h instanceof Headers) {
    h.forEach((value, name) => {
      out[name] = value;
    });
  } else if (Array.isArray(h)) {
    for (const pair of h as [string, string][]) {
      const [name, value] = pair;
      if (name !== undefined && value !== undefined) out[name.toLowerCase()] = value;
    }
  } else {
    for (const [name, value] of Object.entries(h as Record<string, string>)) out[name.toLowerCase()] = value;
  }
  return out;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}
