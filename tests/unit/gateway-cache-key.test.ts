// Cache keys: canonical JSON and sha256 against values computed independently with Python's
// json.dumps(sort_keys=True, separators=(",", ":")) and hashlib.sha256; and the in-memory cache.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cacheKey, canonicalJson, MemoryCache, type CacheKeyInput } from "../../src/gateway/cache-key.js";

describe("canonicalJson", () => {
  const cases: { name: string; input: unknown; want: string }[] = [
    { name: "scalars", input: [1, "a", true, null], want: '[1,"a",true,null]' },
    { name: "sorts keys at every depth", input: { b: { y: 1, x: 2 }, a: 0 }, want: '{"a":0,"b":{"x":2,"y":1}}' },
    { name: "drops undefined members", input: { a: undefined, b: 1 }, want: '{"b":1}' },
    { name: "undefined in arrays is null", input: [undefined, 2], want: "[null,2]" },
    { name: "escapes strings like JSON", input: { "k\"": 'v"\n' }, want: '{"k\\"":"v\\"\\n"}' },
    { name: "empty containers", input: { a: [], b: {} }, want: '{"a":[],"b":{}}' },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(canonicalJson(tc.input)).toBe(tc.want));
  }
});

describe("cacheKey", () => {
  const base: CacheKeyInput = {
    provider: "sim",
    baseUrl: "http://h/v1",
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    params: { temperature: 0 },
  };
  // python3: hashlib.sha256(json.dumps({"task":"chat","provider":"sim","baseUrl":"http://h/v1","model":"m",
  //   "messages":[{"role":"user","content":"hi"}],"params":{"temperature":0},"schema":None},
  //   sort_keys=True, separators=(",",":")).encode()).hexdigest()
  it("matches an independently computed sha256", () => {
    expect(cacheKey(base)).toBe("be0e807c790af58d9f7e340c27914e47b105c706ea18f8c5bc56c1c778a0e4fe");
  });

  it("equals sha256 of the generic canonical JSON of the identity, schema included", () => {
    const jsonSchema = { name: "v", schema: { type: "object", properties: { b: { type: "number" }, a: { enum: ["x", "y"] } } } };
    const input = { ...base, messages: [{ role: "system" as const, content: 'say "hi"\n' }, ...base.messages], jsonSchema };
    const identity = { task: "chat", provider: "sim", baseUrl: "http://h/v1", model: "m", messages: input.messages, params: base.params, schema: jsonSchema };
    expect(cacheKey(input)).toBe(createHash("sha256").update(canonicalJson(identity)).digest("hex"));
  });

  it("ignores key order and undefined params", () => {
    const reordered = { params: { maxTokens: undefined, temperature: 0 }, messages: base.messages, model: "m", baseUrl: "http://h/v1", provider: "sim" };
    expect(cacheKey(reordered)).toBe(cacheKey(base));
  });

  const changes: { name: string; patch: Partial<CacheKeyInput> }[] = [
    { name: "provider", patch: { provider: "openai" } },
    { name: "baseUrl", patch: { baseUrl: "http://other/v1" } },
    { name: "model", patch: { model: "m2" } },
    { name: "message content", patch: { messages: [{ role: "user", content: "hi!" }] } },
    { name: "message role", patch: { messages: [{ role: "system", content: "hi" }] } },
    { name: "params", patch: { params: { temperature: 0.5 } } },
    { name: "schema", patch: { jsonSchema: { name: "s", schema: { type: "object" } } } },
    { name: "task", patch: { task: "score" } },
  ];
  for (const tc of changes) {
    it(`changes with ${tc.name}`, () => expect(cacheKey({ ...base, ...tc.patch })).not.toBe(cacheKey(base)));
  }
});

describe("MemoryCache", () => {
  it("returns what was put, as a copy, and null for a miss", async () => {
    const cache = new MemoryCache();
    await cache.put("k", "model", { text: "t", usage: { promptTokens: 1, completionTokens: 2 } });
    const hit = await cache.get("k");
    expect(hit).toEqual({ text: "t", usage: { promptTokens: 1, completionTokens: 2 } });
    if (hit) hit.usage.promptTokens = 99;
    expect((await cache.get("k"))?.usage.promptTokens).toBe(1);
    expect(await cache.get("missing")).toBeNull();
  });

  it("evicts the oldest entry beyond its limit", async () => {
    const cache = new MemoryCache(2);
    for (const k of ["a", "b", "c"]) await cache.put(k, "m", { text: k, usage: { promptTokens: 0, completionTokens: 0 } });
    expect(await cache.get("a")).toBeNull();
    expect((await cache.get("c"))?.text).toBe("c");
    expect(cache.size).toBe(2);
  });
});
