/**
 * Persona generation: one task per persona, each from a seed-attribute combination (occupation,
 * interests, region, life stage); the model adds name, age, background, personality, goal and plan.
 * The seed attributes are kept as given.
 */
import { insertPersonas, seedCombos, type SeedCombo } from "../stores/personas.js";
import { inputOf, paramsOf, type Pipeline } from "./pipeline.js";
import { PERSONA_PROMPT } from "../prompts/matrix.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import type { PersonaGenerate } from "../requests.js";
import { PersonaOut } from "../prompts/output-schemas.js";
import { fnv1a32Parts } from "../../../lib/hash.js";
import { mulberry32 } from "../../../lib/random.js";

type Input = SeedCombo & { index: number };

export const personasPipeline: Pipeline = {
  async start(_ctx, run) {
    const p = paramsOf<PersonaGenerate>(run);
    const combos = seedCombos(p.count, p.attributes ?? {}, mulberry32(fnv1a32Parts(p.seed, "personas")));
    return { stage: "persona", tasks: combos.map((c, index) => ({ kind: "persona", key: `persona:${index}`, input: { ...c, index } })) };
  },
  async handle(ctx, run, task) {
    const p = paramsOf<PersonaGenerate>(run);
    const input = inputOf<Input>(task);
    const out = await ctx.llm.json({
      model: p.model,
      messages: messagesOf(PERSONA_PROMPT, input),
      schema: PersonaOut,
      schemaName: "persona",
      seed: fnv1a32Parts(p.seed, task.key),
    });
    const { index: _index, ...seed } = input;
    const profile = { ...out, ...seed };
    return {
      output: { prompt: tagOf(PERSONA_PROMPT), persona: profile },
      write: async (tx) => {
        await insertPersonas(tx, p.set, "generated", [{ name: out.name, profile, externalId: `${run.id}:${input.index}` }], run.id);
      },
    };
  },
  async next() {
    return null;
  },
};
