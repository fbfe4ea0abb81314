/**
 * Starting rounds: validate the request against the registry (every named model exists, the
 * pairing is coherent, the prompt version is known), then write the plan in one transaction.
 * Also listing rounds and resuming a stopped one.
 */
import { randomUUID } from "node:crypto";
import { desc, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { models, rounds } from "../../db/schema/index.js";
import { checkPairing, planPairs } from "../../battles/pairing.js";
import { ADAPTIVE_BOOTSTRAP_ROUNDS, defaultWaveSize } from "../../battles/adaptive-plan.js";
import type { AdaptiveOptions } from "../../db/schema/index.js";
import { createRoundPlan, EmptyPlanError, MissingTemplateError, resumeRound, type RoundOptions, type RoundRow } from "../../battles/round-store.js";
import { roundSpend } from "../../battles/spend.js";
import { roundUsd } from "../../battles/budget.js";
import { capProblem } from "../../db/budget-ledger.js";
import { AppError, badRequest } from "../errors.js";
import { resolveRoundPromptVersion } from "./judge-templates.js";
import { MODEL_NAME_RE } from "./models.js";

const ModelName = z.string().regex(MODEL_NAME_RE, "not a valid model name");

export const RoundCreateSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  candidates: z.array(ModelName).min(2).max(64),
  pairing: z.enum(["all-pairs", "target-vs-opponents", "vs-baseline"]),
  target: ModelName.optional(),
  baseline: ModelName.optional(),
  judges: z.array(ModelName).min(1).max(16),
  judgeMode: z.enum(["pairwise", "single", "reward"]).default("pairwise"),
  instructions: z
    .strictObject({
      category: z.string().min(1).optional(),
      source: z.string().min(1).optional(),
      limit: z.number().int().min(1).max(1_000_000).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      ids: z.array(z.number().int().min(1)).max(1_000_000).optional(),
    })
    .optional(),
  jury: z.enum(["mean", "majority"]).default("mean"),
  swapRule: z.enum(["soft", "strict"]).default("soft"),
  promptVersion: z.string().min(1).optional(),
  useReference: z.boolean().default(true),
  maxAttempts: z.number().int().min(1).max(20).default(3),
  invalidRetries: z.number().int().min(0).max(10).default(2),
  /** Human review verdicts replace the judges' outcome of a reviewed battle in ratings and exports. */
  humanOverride: z.boolean().default(false),
  /** Show judges the candidates' reasoning traces before their final answers (default: final answers only). */
  judgeSeesTraces: z.boolean().default(false),
  /** Multi-turn instructions: judge the whole conversation (default) or the answer to the last turn only. */
  judgeTurns: z.enum(["conversation", "last"]).default("conversation"),
  budget: z.strictObject({ maxTokens: z.number().int().min(1).optional(), maxCostUsd: z.number().min(0).optional() }).optional(),
  /** "fixed" (default): every planned battle up front. "adaptive": waves until `adaptive`'s stopping rule (or the budget) holds. */
  sampling: z.enum(["fixed", "adaptive"]).default("fixed"),
  adaptive: z
    .strictObject({
      /** Stop once the widest 95% interval on the round's board is at most `ciWidth` Elo points. */
      target: z.strictObject({ ciWidth: z.number().positive().max(100_000) }).optional(),
      /** Stop once this many battles are planned. */
      maxBattles: z.number().int().min(1).max(1_000_000).optional(),
      /** Battles per wave (default: two per eligible pair, between 8 and 256). */
      waveSize: z.number().int().min(1).max(1000).optional(),
      /**
       * Bootstrap rounds of the board the rule reads (GET /v1/leaderboard?roundId=&bootstrap=, seed 0; default
       * ADAPTIVE_BOOTSTRAP_ROUNDS): fewer make a noisier interval that the rule may catch on a low draw.
       */
      bootstrap: z.number().int().min(100).max(1000).optional(),
    })
    .optional(),
});

export const RoundResumeSchema = z.strictObject({
  /** New caps for the round (each one named replaces the old one); each must exceed what is already spent. */
  budget: RoundCreateSchema.shape.budget,
});
export type RoundResume = z.infer<typeof RoundResumeSchema>;
export type RoundCreate = z.infer<typeof RoundCreateSchema>;

async function checkModelsExist(db: Db, body: RoundCreate): Promise<void> {
  const names = [...new Set([...body.candidates, ...body.judges])];
  const found = new Set((await db.select({ name: models.name }).from(models).where(inArray(models.name, names))).map((m) => m.name));
  for (const field of ["candidates", "judges"] as const) {
    const missing = body[field].filter((n) => !found.has(n));
    if (missing.length > 0) throw badRequest(`${field}: model(s) not registered: ${missing.join(", ")}`, { field, missing });
  }
}

/** The exact version the round records: a built-in, or a user template's `name@n` (judge-templates.ts). */
async function checkPromptVersion(db: Db, body: RoundCreate): Promise<string | undefined> {
  if (!body.promptVersion) return undefined;
  if (body.judgeMode === "reward") throw badRequest("promptVersion: a reward round scores answers with a reward model and uses no prompt template");
  return resolveRoundPromptVersion(db, body.promptVersion, body.judgeMode);
}

/**
 * An adaptive round's options, or undefined for a fixed round. It needs a rule that ends it: the
 * interval target, a battle cap, or a budget; `adaptive` on a fixed round is refused, not ignored.
 */
function adaptiveOptions(body: RoundCreate): AdaptiveOptions | undefined {
  const a = body.adaptive;
  if (body.sampling !== "adaptive") {
    if (a) throw badRequest("adaptive: only for sampling 'adaptive'", { field: "adaptive" });
    return undefined;
  }
  const capped = body.budget && (body.budget.maxCostUsd !== undefined || body.budget.maxTokens !== undefined);
  if (a?.target === undefined && a?.maxBattles === undefined && !capped) {
    throw badRequest("adaptive: an adaptive round needs a stopping rule: adaptive.target.ciWidth, adaptive.maxBattles or a budget", { field: "adaptive" });
  }
  const pairs = planPairs(body).length;
  return { ciWidth: a?.target?.ciWidth, maxBattles: a?.maxBattles, waveSize: a?.waveSize ?? defaultWaveSize(pairs), bootstrap: a?.bootstrap ?? ADAPTIVE_BOOTSTRAP_ROUNDS };
}

export async function startRound(db: Db, body: RoundCreate, extra: { iterationId?: string; excludeIds?: number[]; createdBy?: string | null } = {}) {
  const problems = checkPairing(body);
  const first = problems[0];
  if (first) throw badRequest(`${first.field}: ${first.message}`, { issues: problems });
  const adaptive = adaptiveOptions(body);
  const promptVersion = await checkPromptVersion(db, body);
  await checkModelsExist(db, body);
  const options: RoundOptions = {
    instructions: body.instructions ?? {},
    jury: body.jury,
    swapRule: body.swapRule,
    promptVersion,
    useReference: body.useReference,
    maxAttempts: body.maxAttempts,
    invalidRetries: body.invalidRetries,
    excludeIds: extra.excludeIds,
    humanOverride: body.humanOverride,
    judgeSeesTraces: body.judgeSeesTraces,
    judgeTurns: body.judgeTurns,
    ...(adaptive ? { sampling: "adaptive" as const, adaptive } : {}),
  };
  const plan = await createRoundPlan(db, {
    id: randomUUID(),
    name: body.name,
    candidates: body.candidates,
    judges: body.judges,
    pairing: body.pairing,
    target: body.target,
    baseline: body.baseline,
    judgeMode: body.judgeMode,
    iterationId: extra.iterationId,
    createdBy: extra.createdBy ?? null,
    options,
    budget: body.budget,
  }).catch((e: unknown) => {
    if (e instanceof MissingTemplateError) throw badRequest(`promptVersion: ${e.message}`);
    if (e instanceof EmptyPlanError) {
      throw new AppError("unprocessable", "instructions: no instructions match the round's filter; import some first (POST /v1/instructions)");
    }
    throw e;
  });
  return plan;
}

/**
 * Resumes a stopped round (cancelled, failed, or stopped by its budget), raising its budget first
 * when the body names one. A cap at or below what the round has already spent would stop it again at
 * once, so it is refused with a 400 naming the field.
 */
export async function resumeRoundWith(db: Db, roundId: string, body: RoundResume): Promise<void> {
  const caps = body.budget;
  if (caps) {
    const spent = await roundSpend(db, roundId);
    const problem = capProblem(caps, { costUsd: roundUsd(spent?.costUsd ?? 0), tokens: spent?.tokens.total ?? 0 });
    if (problem) throw badRequest(problem.message, { field: problem.field });
  }
  await resumeRound(db, roundId, caps);
}

/** The newest `limit` rounds, newest first. */
export async function listRounds(db: Db, limit: number): Promise<RoundRow[]> {
  return db.select().from(rounds).orderBy(desc(rounds.createdAt)).limit(limit);
}
