/**
 * Persona generation: one task per persona, each from a seed-attribute combination (occupation,
 * interests, region, life stage); the model adds name, age, background, personality, goal and plan.
 * The seed attributes are kept as given.
 */
import { z } from "zod";
import { insertPersonas, seedCombos } from "../stores/personas.js";
import { inputOf, paramsOf, type Pipeline } from "./pipeline.js";
import { PERSONA_PROMPT } from "../prompts/matrix.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import { PersonaGenerateSchema } from "../requests.js";
import { PersonaOut } from "../prompts/output-schemas.js";
import { fnv1a32Parts } from "../../../lib/hash.js";
import { mulberry32 } from "../../../lib/random.js";

/** A persona task: its seed-attribute combination (stores/personas.ts SeedCombo) and its place in the run. */
const Input = z.object({ occupation: z.string(), interests: z.array(z.string()), region: z.string(), lifeStage: z.string(), index: z.number() });

export const personasPipeline: Pipeline = {
  async start(_ctx, run) {
    const p = paramsOf(run, PersonaGenerateSchema);
    const combos = seedCombos(p.count, p.attributes ?? {}, mulberry32(fnv1a32Parts(p.seed, "personas")));
    return { stage: "persona", tasks: combos.map((c, index) => ({ kind: "persona", key: `persona:${index}`, input: { ...c, index } })) };
  },
  async handle(ctx, run, task) {
    const p = paramsOf(run, PersonaGenerateSchema);
    const input = inputOf(task, Input);
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
