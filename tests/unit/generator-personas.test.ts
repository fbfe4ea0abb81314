import { describe, expect, it } from "vitest";
import { detectBenchmarkFormat } from "../../src/generator/stores/decontam-sets.js";
import { PersonaImportSchema, personaView, seedCombos } from "../../src/generator/stores/personas.js";
import { describePersona } from "../../src/generator/prompts/matrix.js";
import { mulberry32 } from "../../lib/random.js";

describe("seedCombos", () => {
  const attrs = { occupations: ["nurse", "chef", "pilot"], interests: ["chess", "golf", "jazz", "yoga"], regions: ["Oslo", "Lima"], lifeStages: ["student"] };

  it("uses each occupation and region as evenly as possible and two distinct interests per person", () => {
    const combos = seedCombos(12, attrs, mulberry32(1));
    const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});
    expect(count(combos.map((c) => c.occupation))).toEqual({ nurse: 4, chef: 4, pilot: 4 });
    expect(count(combos.map((c) => c.region))).toEqual({ Oslo: 6, Lima: 6 });
    for (const c of combos) {
      expect(c.interests).toHaveLength(2);
      expect(new Set(c.interests).size).toBe(2);
      expect(c.lifeStage).toBe("student");
    }
  });

  it("is reproducible for a seed and falls back to the default lists", () => {
    expect(seedCombos(5, {}, mulberry32(3))).toEqual(seedCombos(5, {}, mulberry32(3)));
    expect(seedCombos(5, {}, mulberry32(3))[0]?.occupation.length).toBeGreaterThan(0);
  });
});

describe("PersonaImportSchema", () => {
  const cases = [
    { item: { name: "Ada", goal: "open a bakery", plan: ["find a lease", "hire"] }, ok: true },
    { item: { name: "Ada", goal: "open a bakery", plan: [] }, ok: false },
    { item: { name: "Ada", plan: ["x"] }, ok: false },
    { item: { name: "Ada", goal: "g", plan: ["x"], favouriteColour: "red" }, ok: false },
  ];
  for (const tc of cases) it(JSON.stringify(tc.item), () => expect(PersonaImportSchema.safeParse(tc.item).success).toBe(tc.ok));
});

describe("detectBenchmarkFormat", () => {
  const cases = [
    { text: '[{"instruction":"x"}]', want: "alpaca-eval" },
    { text: '{"question_id":81,"category":"writing","turns":["a","b"]}\n', want: "mt-bench" },
    { text: '{"uid":"u1","category":"c","cluster":"k","prompt":"p"}', want: "arena-hard" },
    { text: '{"id":"seed_task_0","name":"n","instruction":"i","instances":[]}', want: "self-instruct" },
    { text: "not json", want: null },
    { text: '{"text":"x"}', want: null },
  ];
  for (const tc of cases) it(tc.text.slice(0, 30), () => expect(detectBenchmarkFormat(tc.text)).toBe(tc.want));
});

describe("personaView reads a stored profile through its schema", () => {
  const cases: { name: string; profile: Record<string, unknown>; want: Record<string, unknown> }[] = [
    { name: "a full profile", profile: { age: 34, occupation: "nurse", region: "Lyon", lifeStage: "parent", interests: ["chess"], background: "b", personality: "calm", goal: "g", plan: ["p1"] }, want: { name: "Ana", age: 34, occupation: "nurse", region: "Lyon", lifeStage: "parent", interests: ["chess"], background: "b", personality: "calm", goal: "g", plan: ["p1"] } },
    { name: "fields of the wrong type are left out", profile: { age: "forty", interests: "hiking", plan: [1, 2], goal: "g" }, want: { name: "Ana", goal: "g" } },
    { name: "unknown fields are not shown to prompts", profile: { secretNote: "x", occupation: "pilot" }, want: { name: "Ana", occupation: "pilot" } },
    { name: "the row's name wins over a name in the profile", profile: { name: "Bob" }, want: { name: "Ana" } },
  ];
  for (const tc of cases) it(tc.name, () => expect(personaView({ name: "Ana", profile: tc.profile })).toEqual(tc.want));
  it("a profile with a wrongly typed list still renders", () => expect(describePersona(personaView({ name: "Ana", profile: { interests: "hiking" } }))).toContain("Ana"));
});
