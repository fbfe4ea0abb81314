/** /openapi.json is a well-formed OpenAPI 3.1 document that lists every API route the app serves. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
}

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }));
  doc = await json<Doc>(await t.req("GET", "/openapi.json"));
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

const METHODS = ["get", "post", "put", "patch", "delete"];

describe("OpenAPI 3.1 document", () => {
  it("has the 3.1 header", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("matrix-arena");
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("resolves every $ref", () => {
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref" && typeof x === "string") refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const parts = ref.replace(/^#\//, "").split("/");
      let node: unknown = doc;
      for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
      expect(node, ref).toBeDefined();
    }
  });

  it("declares every path parameter and a success response for every operation", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        expect(METHODS).toContain(method);
        const declared = (op.parameters ?? []).filter((p) => p.in === "path");
        for (const name of params) expect(declared.find((p) => p.name === name && p.required), `${method} ${path} {${name}}`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).some((s) => /^2\d\d$/.test(s)), `${method} ${path}`).toBe(true);
      }
    }
  });

  it("lists every /v1 and health route the app serves", () => {
    const served = new Set<string>();
    for (const r of t.app.routes) {
      if (!METHODS.includes(r.method.toLowerCase())) continue;
      if (!(r.path.startsWith("/v1/") || r.path === "/healthz" || r.path === "/readyz")) continue;
      served.add(`${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    }
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    expect(served.size).toBeGreaterThan(40);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    for (const contract of ["post /v1/models", "get /v1/models", "post /v1/models/{name}/chat", "post /v1/instructions", "post /v1/rounds", "get /v1/rounds/{id}", "get /v1/rounds/{id}/events", "get /v1/battles", "post /v1/battles/import", "get /v1/leaderboard", "get /v1/exports/sft", "get /v1/exports/dpo", "get /v1/rounds/{id}/review", "post /v1/rounds/{id}/review", "get /v1/feedback"]) {
      expect(documented.has(contract), contract).toBe(true);
    }
  });
});
