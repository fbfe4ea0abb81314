/**
 * The edge rule (lib/safe-value.ts) over HTTP: NUL, lone surrogates, non-finite numbers and deep nesting in
 * a path id, a query parameter or a JSON field are a 400 naming the field, never a 500; import items
 * that break it are rejected one by one; the rest of each batch is stored. Runs on every database driver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbTargets } from "../helpers/db.js";
import { makeTestApp, type TestApp } from "../helpers/app.js";

interface Envelope {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

const deep = (n: number): unknown => (n === 0 ? "x" : [deep(n - 1)]);

/** Raw bodies, so lone surrogates travel as JSON escapes exactly as a hostile client would send them. */
const cases: { name: string; method: string; path: string; body?: string; field: string }[] = [
  { name: "NUL in a path id", method: "GET", path: "/v1/rounds/a%00b", field: "id" },
  { name: "NUL in a loop id", method: "GET", path: "/v1/loops/a%00b", field: "id" },
  { name: "NUL in a query filter", method: "GET", path: "/v1/battles?model=a%00b", field: "model" },
  { name: "NUL in a round filter", method: "GET", path: "/v1/battles?roundId=a%00b", field: "roundId" },
  { name: "NUL in a leaderboard category", method: "GET", path: "/v1/leaderboard?category=a%00b", field: "category" },
  { name: "NUL in an export filter", method: "GET", path: "/v1/exports/sft?roundId=a%00b", field: "roundId" },
  { name: "NUL in a model's upstream name", method: "POST", path: "/v1/models", body: '{"name":"m1","provider":"sim","model":"a\\u0000b"}', field: "model" },
  { name: "lone surrogate in a model description", method: "POST", path: "/v1/models", body: '{"name":"m2","provider":"sim","model":"x","description":"\\ud800"}', field: "description" },
  { name: "NUL in a generator set name", method: "GET", path: "/v1/generator/seeds?set=a%00", field: "set" },
];

for (const target of dbTargets()) {
  describe(`edge values on ${target.name}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp(await target.open());
    });
    afterAll(async () => {
      await t.close();
      await t.deps.dbHandle.close();
    });

    for (const tc of cases) {
      it(`${tc.name} -> 400 naming ${tc.field}`, async () => {
        const res = await t.req(tc.method, tc.path, tc.body);
        expect(res.status).toBe(400);
        const body = (await res.json()) as Envelope;
        expect(body.error.code).toBe("validation_failed");
        expect(body.error.message).toContain(tc.field);
        expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
      });
    }

    it("a model with no bad value is still created", async () => {
      expect((await t.req("POST", "/v1/models", { name: "fine", provider: "sim", model: "x", description: "ok \ud83d\ude00" })).status).toBe(201);
    });

    it("JSON import: the bad items are rejected with their field, the good one is stored", async () => {
      const items = ['{"text":"a\\u0000b"}', '{"text":"fine one"}', '{"text":"meta","metadata":{"k":"\\udc00"}}', '{"text":"key","metadata":{"a\\u0000":1}}', JSON.stringify({ text: "deep", metadata: { d: deep(40) } })];
      const body = `{"items":[${items.join(",")}]}`;
      const res = await t.req("POST", "/v1/instructions", body);
      expect(res.status).toBe(200);
      const out = (await res.json()) as { inserted: number; rejected: { index: number; reason: string }[] };
      expect(out.inserted).toBe(1);
      expect(out.rejected.map((r) => r.index)).toEqual([0, 2, 3, 4]);
      expect(out.rejected[0]?.reason).toContain("text");
      expect(out.rejected[1]?.reason).toContain("metadata.k");
      expect(out.rejected[2]?.reason).toContain("metadata: a key must not contain a NUL");
      expect(out.rejected[3]?.reason).toContain("nested deeper");
    });

    it("NDJSON import: a line with NUL is rejected by the shared item schema, the rest stored", async () => {
      const body = ['{"text":"line zero"}', '{"text":"bad \\u0000 line"}', '{"text":"line two"}'].join("\n");
      const res = await t.req("POST", "/v1/instructions", body, { headers: { "content-type": "application/x-ndjson" } });
      expect(res.status).toBe(200);
      const out = (await res.json()) as { inserted: number; rejected: { index: number; reason: string }[] };
      expect(out.inserted).toBe(2);
      expect(out.rejected).toEqual([{ index: 1, reason: expect.stringContaining("text") }]);
    });

    it("seed and persona imports reject NUL items one by one", async () => {
      const seeds = '{"items":[{"text":"a seed document long enough \\u0000"},{"text":"a seed document that is long enough"}]}';
      const s = (await (await t.req("POST", "/v1/generator/seeds", seeds)).json()) as { inserted: number; rejected: unknown[] };
      expect([s.inserted, s.rejected.length]).toEqual([1, 1]);
      const personas = '{"items":[{"name":"A\\u0000","goal":"g","plan":["p"]},{"name":"B","goal":"g","plan":["p"]}]}';
      const p = (await (await t.req("POST", "/v1/generator/personas/import", personas)).json()) as { inserted: number; rejected: unknown[] };
      expect([p.inserted, p.rejected.length]).toEqual([1, 1]);
    });
  });
}
