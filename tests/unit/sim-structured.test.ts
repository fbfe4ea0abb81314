// Structured output: values generated for JSON Schemas (zod's own JSON Schema export, plus hand-written
// $ref/anyOf schemas) must pass the zod schema they came from - an independent validator.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { breakJson, fillSchema } from "../../src/sim/structured.js";
import { mulberry32 } from "../../lib/random.js";

const WORDS = ["volcano", "hawaii", "culture", "beaches"];

const cases: { name: string; schema: z.ZodType }[] = [
  {
    name: "flat object",
    schema: z.object({ title: z.string(), count: z.number().int().min(2).max(5), ok: z.boolean(), kind: z.enum(["x", "y"]) }),
  },
  {
    name: "arrays with bounds",
    schema: z.object({ items: z.array(z.object({ text: z.string().min(10).max(80), score: z.number().min(0).max(1) })).min(3).max(5) }),
  },
  {
    name: "nested, nullable and optional",
    schema: z.object({
      meta: z.object({ tags: z.array(z.string()).min(1).max(2), rating: z.number().int().gt(0).lt(11) }),
      note: z.string().nullable(),
      extra: z.string().optional(),
    }),
  },
  {
    name: "union and literal",
    schema: z.object({ v: z.union([z.number().int().min(1).max(3), z.string()]), fixed: z.literal("yes") }),
  },
  {
    name: "instruction list like the generator asks for",
    schema: z.object({
      instructions: z.array(z.object({ instruction: z.string().min(1), category: z.enum(["coding", "math", "writing"]), complexity: z.number().int().min(1).max(5) })).min(4).max(4),
    }),
  },
];

describe("fillSchema satisfies zod-exported schemas", () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const json = z.toJSONSchema(tc.schema) as Record<string, unknown>;
      for (let seed = 1; seed <= 25; seed++) {
        const value = fillSchema(json, { rng: mulberry32(seed), words: WORDS });
        const parsed = tc.schema.safeParse(JSON.parse(JSON.stringify(value)));
        expect(parsed.success, JSON.stringify({ value, issues: parsed.error?.issues })).toBe(true);
      }
    });
  }
});

describe("hand-written schemas", () => {
  const refSchema = {
    type: "object",
    $defs: { point: { type: "object", properties: { x: { type: "integer", minimum: -3, maximum: 3 } }, required: ["x"] } },
    properties: { a: { $ref: "#/$defs/point" }, list: { type: "array", items: { $ref: "#/$defs/point" }, minItems: 2, maxItems: 2 } },
    required: ["a", "list"],
  };
  const point = z.object({ x: z.number().int().min(-3).max(3) });
  const cases = [
    { name: "$ref into $defs", schema: refSchema, check: z.object({ a: point, list: z.array(point).length(2) }) },
    { name: "type array with null", schema: { type: ["string", "null"], minLength: 3 }, check: z.string().min(3) },
    { name: "const", schema: { const: 42 }, check: z.literal(42) },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const value = fillSchema(tc.schema, { rng: mulberry32(9), words: WORDS });
      expect(tc.check.safeParse(value).success).toBe(true);
    });
  }
});

describe("strings come from the prompt's words", () => {
  it("uses only the given words for short strings", () => {
    const value = fillSchema({ type: "object", properties: { tag: { type: "string" } } }, { rng: mulberry32(2), words: WORDS }) as { tag: string };
    for (const w of value.tag.split(" ")) expect(WORDS).toContain(w);
  });
  it("applies overrides", () => {
    const schema = { type: "object", properties: { verdict: { type: "string", enum: ["A", "B", "tie"] } } };
    const value = fillSchema(schema, { rng: mulberry32(2), words: WORDS, override: (k) => (k === "verdict" ? "tie" : undefined) });
    expect(value).toEqual({ verdict: "tie" });
  });
});

describe("breakJson", () => {
  it("produces text that does not parse", () => {
    expect(() => JSON.parse(breakJson({ a: [1, 2, 3], b: "text" }))).toThrow();
  });
});
