/**
 * Scope tests generated from /openapi.json: every documented route and method is tried with no key,
 * a malformed header, an unknown key, and a read, write and admin key. The scope each operation
 * needs is written out in ONE table below, so a route that loses its check (or a new route that
 * nobody classified) fails here instead of shipping. Field-level rules (binding a secret to a model
 * needs admin even on a write route) are in secrets-security.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

type Needed = "public" | "read" | "write" | "admin" | "review" | "metrics";

/** The scope table: `METHOD /path` -> the least scope that may call it. */
const NEEDED: Record<string, Needed> = {
  "GET /healthz": "public",
  "GET /readyz": "public",
  "GET /metrics": "metrics",
  "POST /v1/keys": "admin",
  "GET /v1/keys": "admin",
  "DELETE /v1/keys/{id}": "admin",
  "POST /v1/session": "read",
  "DELETE /v1/session": "read",
  "POST /v1/models": "write",
  "GET /v1/models": "read",
  "GET /v1/models/{name}": "read",
  "PATCH /v1/models/{name}": "write",
  "DELETE /v1/models/{name}": "write",
  "POST /v1/models/{name}/chat": "write",
  "GET /v1/usage": "read",
  "POST /v1/instructions": "write",
  "GET /v1/instructions": "read",
  "POST /v1/judge-templates": "write",
  "GET /v1/judge-templates": "read",
  "GET /v1/judge-templates/{name}": "read",
  "PATCH /v1/judge-templates/{name}": "write",
  "POST /v1/rounds": "write",
  "GET /v1/rounds": "read",
  "GET /v1/rounds/{id}": "read",
  "GET /v1/rounds/{id}/events": "read",
  "POST /v1/rounds/{id}/cancel": "write",
  "POST /v1/rounds/{id}/resume": "write",
  "GET /v1/rounds/{id}/judges": "read",
  "GET /v1/rounds/{id}/review": "review",
  "POST /v1/rounds/{id}/review": "review",
  "POST /v1/rounds/{id}/review/import": "admin",
  "GET /v1/rounds/{id}/review/export": "admin",
  "POST /v1/battles/import": "write",
  "GET /v1/battles": "read",
  "GET /v1/battles/{id}": "read",
  "GET /v1/leaderboard": "read",
  "GET /v1/leaderboard/winrates": "read",
  "GET /v1/leaderboard/categories": "read",
  "POST /v1/loops": "write",
  "GET /v1/loops/{id}": "read",
  "POST /v1/loops/{id}/iterations": "write",
  "GET /v1/iterations": "read",
  "GET /v1/iterations/{id}": "read",
  "GET /v1/exports/sft": "read",
  "GET /v1/exports/sft/card": "read",
  "GET /v1/exports/sft/dataset-info": "read",
  "GET /v1/exports/dpo": "read",
  "GET /v1/exports/dpo/card": "read",
  "GET /v1/exports/dpo/dataset-info": "read",
  "GET /v1/exports/reward": "read",
  "GET /v1/exports/reward/card": "read",
  "GET /v1/exports/reward/dataset-info": "read",
  "GET /v1/exports/kto": "read",
  "GET /v1/exports/kto/card": "read",
  "GET /v1/exports/kto/dataset-info": "read",
  "GET /v1/reports/rounds/{id}": "read",
  "POST /v1/generator/runs": "write",
  "GET /v1/generator/runs": "read",
  "GET /v1/generator/runs/{id}": "read",
  "GET /v1/generator/runs/{id}/events": "read",
  "GET /v1/generator/runs/{id}/items": "read",
  "GET /v1/generator/runs/{id}/tasks": "read",
  "POST /v1/generator/runs/{id}/publish": "write",
  "POST /v1/generator/runs/{id}/cancel": "write",
  "POST /v1/generator/runs/{id}/resume": "write",
  "POST /v1/generator/personas/import": "write",
  "POST /v1/generator/personas/generate": "write",
  "GET /v1/generator/personas": "read",
  "POST /v1/generator/simulations": "write",
  "GET /v1/generator/simulations/{id}": "read",
  "GET /v1/generator/simulations/{id}/scenarios": "read",
  "POST /v1/generator/seeds": "write",
  "GET /v1/generator/seeds": "read",
  "POST /v1/benchmarks": "write",
  "GET /v1/benchmarks": "read",
  "DELETE /v1/benchmarks/{name}": "write",
  "POST /v1/clean": "write",
  "GET /v1/feedback": "read",
};

/** The data ladder: admin implies write implies read. `review` and `metrics` are off it: only themselves or admin. */
const RANK: Record<"read" | "write" | "admin", number> = { read: 0, write: 1, admin: 2 };
type Caller = "none" | "malformed" | "unknown" | "read" | "write" | "admin" | "review" | "metrics";
const CALLERS: Caller[] = ["none", "malformed", "unknown", "read", "write", "admin", "review", "metrics"];

/**
 * The expected answer: an exact 401/403, or "allowed" (anything that is neither, and not a 5xx).
 * `review` sits outside the ranking: only a review or admin key may use a review route, and a
 * review key may use nothing else.
 */
function expectedFor(needed: Needed, caller: Caller): 401 | 403 | "allowed" {
  if (needed === "public") return "allowed";
  if (caller === "none" || caller === "malformed" || caller === "unknown") return 401;
  if (caller === "admin" || caller === needed) return "allowed";
  if (needed === "review" || needed === "metrics" || caller === "review" || caller === "metrics") return 403;
  return RANK[caller] >= RANK[needed] ? "allowed" : 403;
}

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
}

const ADMIN = "admin-key-for-scope-tests-0123456789";
let t: TestApp;
let doc: OpenApiDoc;
const keys: Record<"read" | "write" | "admin" | "review" | "metrics", string> = { read: "", write: "", admin: ADMIN, review: "", metrics: "" };

beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: ADMIN });
  for (const scope of ["read", "write", "review", "metrics"] as const) {
    keys[scope] = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: scope, scopes: [scope] }, { key: ADMIN }))).key;
  }
  doc = await json<OpenApiDoc>(await t.req("GET", "/openapi.json"));
});
afterAll(async () => {
  await t.close();
  await t.deps.dbHandle.close();
});

function documentedOperations(): { id: string; method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
  );
}

/** A request that passes routing: path parameters get a valid-looking value, bodies are empty. */
function request(method: string, path: string, op: Operation, caller: Caller): Promise<Response> {
  const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === "name" ? "no-such-model" : "no-such-id"));
  const headers: Record<string, string> = {};
  if (caller === "malformed") headers.authorization = "Basic abc";
  else if (caller === "unknown") headers.authorization = "Bearer ma_not_a_real_key_0000";
  else if (caller !== "none") headers.authorization = `Bearer ${keys[caller]}`;
  const type = Object.keys(op.requestBody?.content ?? {})[0];
  const body = type === undefined ? undefined : type === "application/json" ? "{}" : "";
  if (type !== undefined) headers["content-type"] = type;
  return Promise.resolve(t.app.request(url, { method, headers, body }));
}

describe("the scope table", () => {
  it("covers exactly the operations in /openapi.json", () => {
    const documented = documentedOperations().map((o) => o.id).sort();
    expect(documented).toEqual(Object.keys(NEEDED).sort());
  });

  it("classifies every caller the same way for every scope (sanity of the rule itself)", () => {
    // Callers: none, malformed, unknown, read, write, admin, review, metrics.
    expect(CALLERS.map((c) => expectedFor("write", c))).toEqual([401, 401, 401, 403, "allowed", "allowed", 403, 403]);
    expect(CALLERS.map((c) => expectedFor("admin", c))).toEqual([401, 401, 401, 403, 403, "allowed", 403, 403]);
    expect(CALLERS.map((c) => expectedFor("read", c))).toEqual([401, 401, 401, "allowed", "allowed", "allowed", 403, 403]);
    expect(CALLERS.map((c) => expectedFor("review", c))).toEqual([401, 401, 401, 403, 403, "allowed", "allowed", 403]);
    expect(CALLERS.map((c) => expectedFor("metrics", c))).toEqual([401, 401, 401, 403, 403, "allowed", 403, "allowed"]);
  });
});

describe("every documented operation against every caller", () => {
  for (const [id, needed] of Object.entries(NEEDED)) {
    it(`${id} needs ${needed}`, async () => {
      const found = documentedOperations().find((o) => o.id === id);
      expect(found, `${id} is not in /openapi.json`).toBeDefined();
      if (!found) return;
      const got: Record<string, number> = {};
      for (const caller of CALLERS) got[caller] = (await request(found.method, found.path, found.op, caller)).status;
      for (const caller of CALLERS) {
        const want = expectedFor(needed, caller);
        const status = got[caller] ?? 0;
        if (want === "allowed") {
          expect([401, 403], `${id} as ${caller}: got ${status}`).not.toContain(status);
          expect(status, `${id} as ${caller}: a 5xx`).toBeLessThan(500);
        } else {
          expect(status, `${id} as ${caller}`).toBe(want);
        }
      }
    });
  }
});

describe("spellings of an admin path", () => {
  // Routing and the scope rule must see the same path: an encoded or dotted spelling that routed to
  // /v1/keys while the rule saw something else would hand the key list to a write key.
  for (const path of ["/v1/keys/", "/v1/%6beys", "/v1/%6Beys", "/v1/./keys", "/v1/models/../keys", "/v1/keys%2f"]) {
    it(`GET ${path} with a write key is never a 200`, async () => {
      const res = await t.app.request(path, { headers: { authorization: `Bearer ${keys.write}` } });
      expect([403, 404]).toContain(res.status);
    });
  }
});
