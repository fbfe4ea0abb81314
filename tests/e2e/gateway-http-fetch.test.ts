// keepAliveFetch over real HTTP against a small node:http server: the same observable results as the
// global fetch for the cases the SDKs rely on (JSON, status, headers, gzip, abort, refused and cut-off
// connections), checked by running both clients against the same routes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch } from "../../src/gateway/http-fetch.js";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.url === "/echo") {
        const out = JSON.stringify({ method: req.method, auth: req.headers.authorization ?? null, body });
        res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-1" }).end(out);
      } else if (req.url === "/redirect") {
        res.writeHead(307, { location: "/echo" }).end();
      } else if (req.url === "/gzip") {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync('{"zipped":true}'));
      } else if (req.url === "/429") {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "2", "retry-after-ms": "1500" });
        res.end('{"error":{"message":"slow down"}}');
      } else if (req.url === "/empty") {
        res.writeHead(204).end();
      } else if (req.url === "/cut") {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"partial":', () => res.destroy());
      } else if (req.url === "/hang") {
        // never answer
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clients = [
  { name: "keepAliveFetch", f: keepAliveFetch },
  { name: "global fetch (reference)", f: fetch },
];

describe.each(clients)("$name", ({ f }) => {
  it("posts a body with headers and reads JSON, status and headers", async () => {
    const res = await f(`${base}/echo`, { method: "POST", headers: { Authorization: "Bearer t", "content-type": "application/json" }, body: '{"x":1}' });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Request-Id")).toBe("req-1");
    expect([...res.headers.entries()].some(([k, v]) => k === "x-request-id" && v === "req-1")).toBe(true);
    expect(await res.json()).toEqual({ method: "POST", auth: "Bearer t", body: '{"x":1}' });
  });

  it("follows a 307 redirect with the same method and body", async () => {
    const res = await f(`${base}/redirect`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: "POST", auth: null, body: "{}" });
  });

  it("decodes gzip bodies", async () => {
    const res = await f(`${base}/gzip`);
    expect(await res.json()).toEqual({ zipped: true });
  });

  it("returns error statuses as responses with their headers", async () => {
    const res = await f(`${base}/429`, { method: "POST", body: "{}" });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after-ms")).toBe("1500");
    expect(await res.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it("handles 204 with no body", async () => {
    const res = await f(`${base}/empty`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("rejects with AbortError when the signal fires", async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    await expect(f(`${base}/hang`, { signal: ctl.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects with a TypeError when the connection is refused", async () => {
    await expect(f("http://127.0.0.1:1/none")).rejects.toBeInstanceOf(TypeError);
  });

  it("fails when the body is cut short (at fetch or at read)", async () => {
    const outcome = await f(`${base}/cut`).then((r) => r.json()).then(
      () => "ok",
      (e: unknown) => (e instanceof Error ? e.name : "?"),
    );
    expect(outcome).toBe("TypeError");
  });
});
