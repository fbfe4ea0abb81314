// Structured output helpers: JSON extraction from model replies, validation messages, the JSON
// Schema sent to providers, and the prompt instructions used for Hugging Face.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { withSchemaInstructions } from "../../src/gateway/hf-adapter.js";
import { extractJson, jsonSchemaOf, parseStructured } from "../../src/gateway/structured-output.js";

describe("extractJson", () => {
  const cases: { name: string; text: string; want: unknown }[] = [
    { name: "bare object", text: '{"a":1}', want: { a: 1 } },
    { name: "surrounding whitespace", text: '  \n[1,2]\n', want: [1, 2] },
    { name: "fenced block", text: 'Here:\n```json\n{"a": "b"}\n```\nDone.', want: { a: "b" } },
    { name: "prose around braces", text: 'The answer is {"x": [1, {"y": 2}]} as asked.', want: { x: [1, { y: 2 }] } },
    { name: "not JSON", text: "I cannot answer that.", want: null },
    { name: "truncated JSON", text: '{"a": 1, "b": [', want: null },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = extractJson(tc.text);
      expect(got === null ? null : got.value).toEqual(tc.want);
    });
  }
});

describe("parseStructured", () => {
  const schema = z.object({ winner: z.enum(["A", "B", "tie"]), score: z.number().min(0).max(10) });
  const cases: { name: string; text: string; ok: boolean; error?: RegExp }[] = [
    { name: "valid", text: '{"winner":"A","score":7}', ok: true },
    { name: "wrong enum", text: '{"winner":"C","score":7}', ok: false, error: /winner/ },
    { name: "out of range", text: '{"winner":"A","score":70}', ok: false, error: /score/ },
    { name: "missing field", text: '{"winner":"A"}', ok: false, error: /score/ },
    { name: "not json", text: "A wins", ok: false, error: /not JSON/ },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = parseStructured(tc.text, schema);
      expect(r.ok).toBe(tc.ok);
      if (!r.ok && tc.error) expect(r.error).toMatch(tc.error);
    });
  }
});

describe("jsonSchemaOf", () => {
  it("emits an object schema without the $schema marker", () => {
    const s = jsonSchemaOf(z.object({ a: z.string(), b: z.number().optional() }));
    expect(s.$schema).toBeUndefined();
    expect(s.type).toBe("object");
    expect(s.required).toEqual(["a"]);
    expect(Object.keys(s.properties as object)).toEqual(["a", "b"]);
  });
});

describe("withSchemaInstructions", () => {
  const spec = { name: "verdict", schema: { type: "object" } };
  it("appends to an existing system prompt", () => {
    const out = withSchemaInstructions([{ role: "system", content: "Be fair." }, { role: "user", content: "q" }], spec);
    expect(out).toHaveLength(2);
    expect(out[0]?.content.startsWith("Be fair.\n\n")).toBe(true);
    expect(out[0]?.content).toContain('{"type":"object"}');
    expect(out[1]).toEqual({ role: "user", content: "q" });
  });
  it("adds a system prompt when there is none", () => {
    const out = withSchemaInstructions([{ role: "user", content: "q" }], spec);
    expect(out.map((m) => m.role)).toEqual(["system", "user"]);
  });
});
