// Simulator presets: the shipped default validates and has what the design needs; bad presets fail
// with messages that name the field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDefaultPreset, parsePreset, SimPresetError } from "../../src/sim/preset-schema.js";

const raw = JSON.parse(readFileSync(new URL("../../src/sim/presets/default.json", import.meta.url), "utf8")) as Record<string, unknown>;

describe("default preset", () => {
  it("validates and has the required parts", async () => {
    const p = await loadDefaultPreset();
    expect(p.categories.length).toBeGreaterThanOrEqual(6);
    expect(p.models.length).toBeGreaterThanOrEqual(6); // >= 5 answer models plus the verbose one
    expect(p.models.some((m) => m.style.markdown === "heavy" && m.style.padding[0] >= 4)).toBe(true);
    expect(p.judges.length).toBeGreaterThanOrEqual(3);
    expect(p.judges.some((j) => j.positionBias > 0 && j.verbosityBias > 0)).toBe(true);
    expect(p.rewardModels.length).toBeGreaterThanOrEqual(1);
    expect(p.embeddingModels.length).toBeGreaterThanOrEqual(1);
  });
});

function mutate(f: (p: Record<string, unknown> & { models: Record<string, unknown>[]; judges: Record<string, unknown>[] }) => void): unknown {
  const copy = structuredClone(raw) as Record<string, unknown> & { models: Record<string, unknown>[]; judges: Record<string, unknown>[] };
  f(copy);
  return copy;
}

describe("invalid presets name the field", () => {
  const cases = [
    { name: "no models", input: mutate((p) => void (p.models = [])), field: "models" },
    { name: "unknown skill category", input: mutate((p) => void ((p.models[0] as { skills: object }).skills = { cooking: 1 })), field: "models[0].skills.cooking" },
    { name: "unknown fallback", input: mutate((p) => void (p.fallbackCategory = "nope")), field: "fallbackCategory" },
    { name: "negative judge noise", input: mutate((p) => void ((p.judges[1] as { noise: number }).noise = -1)), field: "judges[1].noise" },
    { name: "invalid rate above 1", input: mutate((p) => void ((p.judges[0] as { invalidRate: number }).invalidRate = 2)), field: "judges[0].invalidRate" },
    { name: "duplicate names", input: mutate((p) => void p.models.push({ ...p.models[0] })), field: "duplicate model name" },
    { name: "padding min > max", input: mutate((p) => void ((p.models[0] as { style: object }).style = { padding: [3, 1] })), field: "models[0].style.padding" },
    { name: "skill not a number", input: mutate((p) => void (p.models[2] = { ...p.models[2], skill: "high" })), field: "models[2].skill" },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      let caught: unknown;
      try {
        parsePreset(tc.input);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SimPresetError);
      expect((caught as Error).message).toContain(tc.field);
    });
  }
});
