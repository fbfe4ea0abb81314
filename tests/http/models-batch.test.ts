// Registering batch models: bad batch settings are a 400 naming the field, never a 5xx; the view shows them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp(await openDb({ dataDir: "memory://" }));
});
afterAll(async () => {
  await t?.close();
  await t?.deps.dbHandle.close();
});

describe("batch models", () => {
  const cases: { name: string; body: Record<string, unknown>; status: number; mentions?: string }[] = [
    { name: "an OpenAI-compatible batch model", body: { name: "b1", provider: "openai", model: "gpt-4o-mini", batch: true }, status: 201 },
    { name: "with its own price factor", body: { name: "b2", provider: "sim", model: "sim-strong", batch: true, batchPriceFactor: 0.4 }, status: 201 },
    { name: "Hugging Face has no batch interface", body: { name: "b3", provider: "huggingface", model: "x/y", batch: true }, status: 400, mentions: "batch" },
    { name: "a factor above 1", body: { name: "b4", provider: "sim", model: "sim-strong", batch: true, batchPriceFactor: 2 }, status: 400, mentions: "batchPriceFactor" },
    { name: "a factor that is not a number", body: { name: "b5", provider: "sim", model: "sim-strong", batchPriceFactor: "half" }, status: 400, mentions: "batchPriceFactor" },
    { name: "batch that is not a boolean", body: { name: "b6", provider: "sim", model: "sim-strong", batch: "yes" }, status: 400, mentions: "batch" },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const res = await t.req("POST", "/v1/models", tc.body);
      expect(res.status).toBe(tc.status);
      if (tc.mentions) expect(JSON.stringify(await res.json())).toContain(tc.mentions);
    });
  }
  it("shows batch and batchPriceFactor, and refuses moving a batch model to Hugging Face", async () => {
    const view = await json<{ batch: boolean; batchPriceFactor: number | null }>(await t.req("GET", "/v1/models/b2"));
    expect(view).toMatchObject({ batch: true, batchPriceFactor: 0.4 });
    const moved = await t.req("PATCH", "/v1/models/b2", { provider: "huggingface" });
    expect(moved.status).toBe(400);
    expect(JSON.stringify(await moved.json())).toContain("batch");
    expect((await t.req("PATCH", "/v1/models/b2", { batch: false })).status).toBe(200);
  });
});
