/**
 * The simulator preset: categories (with classifier keywords), answer models with hidden per-category
 * skills and a writing style, judges with noise and biases, reward and embedding models, and optional
 * default latency and faults. Validated by zod; errors name the offending field.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { faultSpecSchema, latencySpecSchema } from "./faults.js";
import { reasoningSchema } from "./reasoning.js";

const name = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only");
const rate = z.number().min(0).max(1);

export const styleSchema = z.object({
  /** "heavy" = headers, bullet lists and bold; "light" = a numbered list; "none" = plain paragraphs. */
  markdown: z.enum(["none", "light", "heavy"]).default("none"),
  /** Extra filler sentences added to every answer, drawn uniformly in [min, max]. */
  padding: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([0, 1]),
  /** Sentences written per covered key point (more = longer, not better). */
  detail: z.number().int().min(1).max(4).default(1),
  /**
   * How far single answers stray from the habit: the probability that an answer's layout is one of
   * the other two, and (independently) that its detail is one step off. 0 = every answer alike.
   */
  variation: z.number().min(0).max(1).default(0.3),
});

export const answerModelSchema = z.object({
  name,
  description: z.string().optional(),
  /** Skill used for every category not listed in `skills` (logit scale: 0 covers half the key points). */
  skill: z.number().min(-6).max(6),
  skills: z.record(z.string(), z.number().min(-6).max(6)).default({}),
  style: styleSchema.default({ markdown: "none", padding: [0, 1], detail: 1, variation: 0.3 }),
  /** A reasoning model: writes a trace before its answer (src/sim/reasoning.ts). */
  reasoning: reasoningSchema.optional(),
  /**
   * Skill lost per earlier user turn of the conversation: turn t (1-based) is answered with
   * `skill - turnDecay * (t - 1)`. 0 (the default) answers every turn alike; a "forgetful" model has more.
   */
  turnDecay: z.number().min(0).max(6).default(0),
});

export const judgeSchema = z.object({
  name,
  description: z.string().optional(),
  /** Standard deviation of the Gaussian noise added to the quality difference. */
  noise: z.number().min(0).max(5),
  /** Added in favour of Assistant A (the first position). */
  positionBias: z.number().min(-2).max(2),
  /** Weight of the length difference (log2 ratio, clamped) in favour of the longer answer. */
  verbosityBias: z.number().min(-2).max(2),
  /** Probability of a verdict without a parseable label. */
  invalidRate: rate,
  /** Skill used when the judge is asked an ordinary question. */
  skill: z.number().min(-6).max(6).default(1),
  /** A reasoning judge: thinks (weighing a first impression) before its verdict. */
  reasoning: reasoningSchema.optional(),
});

export const rewardModelSchema = z.object({
  name,
  description: z.string().optional(),
  noise: z.number().min(0).max(5),
  verbosityBias: z.number().min(-2).max(2).default(0),
});

export const embeddingModelSchema = z.object({
  name,
  description: z.string().optional(),
  dimensions: z.number().int().min(8).max(4096).default(256),
});

export const categorySchema = z.object({ name, keywords: z.array(z.string().min(2)).min(1) });

const presetObject = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  categories: z.array(categorySchema).min(1),
  fallbackCategory: z.string(),
  /** Std. dev. of the per-answer performance offset added to the skill (answers vary in quality). */
  answerNoise: z.number().min(0).max(5).default(0.5),
  models: z.array(answerModelSchema).min(1),
  judges: z.array(judgeSchema).default([]),
  rewardModels: z.array(rewardModelSchema).default([]),
  embeddingModels: z.array(embeddingModelSchema).default([]),
  latency: latencySpecSchema.optional(),
  faults: faultSpecSchema.optional(),
});

export const presetSchema = presetObject.superRefine(checkReferences);

export type SimPresetInput = z.input<typeof presetSchema>;
export type SimPreset = z.output<typeof presetSchema>;
export type AnswerModelSpec = z.output<typeof answerModelSchema>;
export type JudgeSpec = z.output<typeof judgeSchema>;
export type RewardModelSpec = z.output<typeof rewardModelSchema>;
export type EmbeddingModelSpec = z.output<typeof embeddingModelSchema>;
export type AnswerStyle = z.output<typeof styleSchema>;

function checkReferences(p: z.output<typeof presetObject>, ctx: z.RefinementCtx): void {
  const cats = new Set(p.categories.map((c) => c.name));
  if (!cats.has(p.fallbackCategory)) {
    ctx.addIssue({ code: "custom", path: ["fallbackCategory"], message: `unknown category "${p.fallbackCategory}"` });
  }
  p.models.forEach((m, i) => {
    for (const cat of Object.keys(m.skills)) {
      if (!cats.has(cat)) ctx.addIssue({ code: "custom", path: ["models", i, "skills", cat], message: "unknown category" });
    }
    if (m.style.padding[0] > m.style.padding[1]) {
      ctx.addIssue({ code: "custom", path: ["models", i, "style", "padding"], message: "min must be <= max" });
    }
  });
  const seen = new Set<string>();
  const all = [...p.models, ...p.judges, ...p.rewardModels, ...p.embeddingModels];
  for (const m of all) {
    if (seen.has(m.name)) ctx.addIssue({ code: "custom", path: ["models"], message: `duplicate model name "${m.name}"` });
    seen.add(m.name);
  }
}

/** Thrown when a preset does not validate; the message lists every issue as `path: message`. */
export class SimPresetError extends Error {
  readonly code = "SIM_PRESET_INVALID";
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = "SimPresetError";
  }
}

/** Validate a parsed preset object; throws `SimPresetError` naming each bad field. */
export function parsePreset(input: unknown, source = "preset"): SimPreset {
  const result = presetSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  throw new SimPresetError(`invalid simulator ${source}:\n  ${issues.join("\n  ")}`, issues);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

/** Read and validate a preset JSON file. */
export async function loadPresetFile(file: string | URL): Promise<SimPreset> {
  const text = await readFile(file, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SimPresetError(`preset ${String(file)} is not valid JSON: ${(err as Error).message}`, []);
  }
  return parsePreset(json, `preset ${String(file)}`);
}

/** The shipped default preset (src/sim/presets/default.json). */
export function loadDefaultPreset(): Promise<SimPreset> {
  return loadPresetFile(new URL("./presets/default.json", import.meta.url));
}
