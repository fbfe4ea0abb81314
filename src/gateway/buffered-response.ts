/**
 * The read side of a fetch `Response` over an in-memory payload. Not a real `Response`: undici's
 * Response and Headers validate every header on construction, which cost as much CPU as the request
 * itself. It offers what the SDKs read (ok, status, headers.get/entries, text, json, arrayBuffer, blob);
 * `body` is null, so it cannot be streamed.
 */
export class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = "basic";
  readonly body = null;
  readonly bodyUsed = false;
  constructor(
    private readonly payload: Buffer,
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaders,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  async text(): Promise<string> {
    return this.payload.toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.payload.toString("utf8")) as unknown;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const p = this.payload;
    return p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength) as ArrayBuffer;
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.payload);
  }
  async blob(): Promise<Blob> {
    return new Blob([this.payload], { type: this.headers.get("content-type") ?? "" });
  }
  clone(): BufferedResponse {
    return new BufferedResponse(this.payload, this.status, this.statusText, this.headers, this.url);
  }
}

/** Read-only response headers over node's lower-cased header object (multi-values joined by ", "). */
export class ResponseHeaders {
  constructor(private readonly h: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const v = this.h[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
  has(name: string): boolean {
    return this.h[name.toLowerCase()] !== undefined;
  }
  getSetCookie(): string[] {
    const v = this.h["set-cookie"];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
  /** Pairs in sorted name order, like `Headers`; an array iterator (the SDK spreads this per call). */
  entries(): IterableIterator<[string, string]> {
    const pairs: [string, string][] = [];
    for (const name of Object.keys(this.h).sort()) {
      const v = this.get(name);
      if (v !== null) pairs.push([name, v]);
    }
    return pairs[Symbol.iterator]();
  }
  keys(): IterableIterator<string> {
    return Array.from(this.entries(), (p) => p[0])[Symbol.iterator]();
  }
  values(): IterableIterator<string> {
    return Array.from(this.entries(), (p) => p[1])[Symbol.iterator]();
  }
  forEach(fn: (value: string, name: string, parent: ResponseHeaders) => void): void {
    for (const [name, value] of this.entries()) fn(value, name, this);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
