/**
 * Request schemas of the generator's endpoints (validated at the edge; the pipelines read these
 * params back from the run row). Defaults here are the documented defaults.
 */
import { z } from "zod";
import { MODEL_NAME_RE } from "../services/models.js";
import { SeedAttributesSchema } from "./stores/personas.js";
import { EVOL_OPERATORS, INSTRUCTION_KINDS, TRANSFORMATIONS } from "./taxonomy.js";

const ModelName = z.string().regex(MODEL_NAME_RE, "a registered model name");
export const SetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "letters, digits and . _ : - only, at most 64 characters");
const CategoryName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, "letters, digits, space, _ . - (max 64)");
const Seed = z.number().int().min(0).max(2 ** 31 - 1).default(0);
const RunName = z.string().trim().min(1).max(200).optional();
/** A cap on the run's provider spend (tokens and/or USD); every call reserves its worst case against it first. */
export const RunBudgetSchema = z.strictObject({ maxTokens: z.number().int().min(1).optional(), maxCostUsd: z.number().min(0).optional() });
const Budget = RunBudgetSchema.optional();
const keysOf = (r: Record<string, string>) => Object.keys(r) as [string, ...string[]];

export const PersonaGenerateSchema = z.strictObject({
  name: RunName,
  model: ModelName,
  count: z.number().int().min(1).max(10_000),
  set: SetName.default("default"),
  attributes: SeedAttributesSchema.optional(),
  seed: Seed,
  budget: Budget,
});
export type PersonaGenerate = z.infer<typeof PersonaGenerateSchema>;

export const SimulationCreateSchema = z
  .strictObject({
    name: RunName,
    model: ModelName,
    /** Registered embedding model; without it agents and messages are compared by TF-IDF vectors. */
    embeddingModel: ModelName.nullable().optional(),
    personaSet: SetName.default("default"),
    agents: z.number().int().min(2).max(2000).default(50),
    groups: z.number().int().min(1).max(200).default(5),
    steps: z.number().int().min(1).max(50).default(3),
    communication: z.enum(["grouped", "random", "none"]).default("grouped"),
    fanout: z.number().int().min(0).max(50).default(3),
    relayThreshold: z.number().min(-1).max(1).default(0.3),
    inboxLimit: z.number().int().min(1).max(50).default(6),
    seed: Seed,
    budget: Budget,
  })
  .refine((v) => v.groups <= v.agents, { path: ["groups"], message: "must not exceed agents" });
export type SimulationParams = z.infer<typeof SimulationCreateSchema>;

export const FeedbackSourceSchema = z
  .strictObject({ roundId: z.string().min(1).max(64).optional(), iterationId: z.string().min(1).max(64).optional() })
  .refine((v) => (v.roundId === undefined) !== (v.iterationId === undefined), { message: "give exactly one of roundId or iterationId" });
export type FeedbackSource = z.infer<typeof FeedbackSourceSchema>;

const Level = z.number().int().min(1).max(5);
const LevelDistribution = z
  .strictObject({ distribution: z.partialRecord(z.enum(["1", "2", "3", "4", "5"]), z.number().min(0).max(1000)) })
  .refine((d) => Object.values(d.distribution).some((w) => (w ?? 0) > 0), { path: ["distribution"], message: "needs a positive weight on some level 1-5" });
const ComplexitySpec = z.union([Level, LevelDistribution]);
/**
 * MATRIX-Gen's target complexity: a level 1-5 for every item, `{ distribution: { "1": w, ... } }`, or
 * either per kind (`{ code: 4, "sft-simple": { distribution: {...} } }`; kinds left out keep their
 * default range). The feedback's per-category adjustment shifts it.
 */
export const ComplexityTargetSchema = z.union([ComplexitySpec, z.partialRecord(z.enum(INSTRUCTION_KINDS), ComplexitySpec)]);

export const MatrixGenSchema = z
  .strictObject({
    type: z.literal("matrix-gen"),
    name: RunName,
    model: ModelName,
    simulationId: z.string().min(1).max(64).optional(),
    scenarioIds: z.array(z.number().int().min(1)).min(1).max(100_000).optional(),
    count: z.number().int().min(1).max(20_000).default(60),
    /** Relative weight of each kind (default: every kind, equal weights). */
    kinds: z.partialRecord(z.enum(INSTRUCTION_KINDS), z.number().min(0).max(1000)).optional(),
    /** The category taxonomy (default: the eight MT-Bench categories). */
    categories: z.array(CategoryName).min(1).max(64).optional(),
    complexity: ComplexityTargetSchema.optional(),
    feedbackFrom: FeedbackSourceSchema.optional(),
    temperature: z.number().min(0).max(2).optional(),
    seed: Seed,
    budget: Budget,
  })
  .refine((v) => (v.simulationId === undefined) !== (v.scenarioIds === undefined), { path: ["simulationId"], message: "give exactly one of simulationId or scenarioIds" })
  .refine(
    (v) => {
      const c = v.complexity;
      if (c === undefined || typeof c === "number" || "distribution" in c || v.kinds === undefined) return true;
      return Object.keys(c).every((k) => (v.kinds?.[k as keyof typeof v.kinds] ?? 0) > 0);
    },
    { path: ["complexity"], message: "names a kind the run does not write (its weight in kinds is 0 or missing)" },
  )
  .refine((v) => v.kinds === undefined || Object.values(v.kinds).some((w) => (w ?? 0) > 0), { path: ["kinds"], message: "needs a positive weight" });
export type MatrixGenParams = z.infer<typeof MatrixGenSchema>;

export const AgentInstructSchema = z
  .strictObject({
    type: z.literal("agentinstruct"),
    name: RunName,
    model: ModelName,
    seedSet: SetName.default("default"),
    seedIds: z.array(z.number().int().min(1)).min(1).max(100_000).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
    transformations: z.array(z.enum(keysOf(TRANSFORMATIONS))).min(1).optional(),
    transformationsPerSeed: z.number().int().min(1).max(7).default(2),
    /** The question taxonomy: name -> description (default: reading comprehension). */
    taxonomy: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.string().min(1).max(400)).optional(),
    typesPerText: z.number().int().min(1).max(20).default(2),
    perCall: z.number().int().min(1).max(10).default(2),
    refineRounds: z.number().int().min(0).max(5).default(1),
    category: CategoryName.default("reading-comprehension"),
    complexity: z.number().int().min(1).max(5).default(2),
    temperature: z.number().min(0).max(2).optional(),
    seed: Seed,
    budget: Budget,
  })
  .refine((v) => v.taxonomy === undefined || Object.keys(v.taxonomy).length > 0, { path: ["taxonomy"], message: "needs at least one type" });
export type AgentInstructParams = z.infer<typeof AgentInstructSchema>;

export const EvolSchema = z
  .strictObject({
    type: z.literal("evol"),
    name: RunName,
    model: ModelName,
    fromRun: z.string().min(1).max(64).optional(),
    instructionIds: z.array(z.number().int().min(1)).min(1).max(100_000).optional(),
    operators: z.array(z.enum(keysOf(EVOL_OPERATORS))).min(1).optional(),
    rounds: z.number().int().min(1).max(5).default(1),
    limit: z.number().int().min(1).max(100_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    seed: Seed,
    budget: Budget,
  })
  .refine((v) => (v.fromRun === undefined) !== (v.instructionIds === undefined), { path: ["fromRun"], message: "give exactly one of fromRun or instructionIds" });
export type EvolParams = z.infer<typeof EvolSchema>;

export const RunCreateSchema = z.discriminatedUnion("type", [MatrixGenSchema, AgentInstructSchema, EvolSchema]);
export type RunCreate = z.infer<typeof RunCreateSchema>;
