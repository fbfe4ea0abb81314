/**
 * The model registry: candidates, judges, reward and embedding models. A model names the
 * environment variable that holds its API key; the key itself is never stored or returned.
 */
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { models } from "../../db/schema/index.js";
import { AppError, badRequest, conflict, notFound } from "../errors.js";
import type { ModelSpec, SecretResolver } from "../gateway/types.js";
import type { KeyVarPolicy } from "../secret-policy.js";
import { type Actor, guardSecretChange } from "./model-secrets.js";

/** Who is writing, and which key variables may be bound: every registry write is checked against both. */
export interface RegistryAuth {
  actor: Actor;
  keyVars: KeyVarPolicy;
}

export const MODEL_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export const ModelParamsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string().min(1)).max(8).optional(),
});

const traceTag = z.string().min(1).max(64);
/** A reasoning model's inline trace tags, e.g. { tags: [["<think>", "</think>"]] }; null = an ordinary model. */
export const ReasoningSchema = z.strictObject({
  tags: z
    .array(z.tuple([traceTag, traceTag]).refine(([open, close]) => open !== close, "a trace's open and close tags must differ"))
    .max(8)
    .optional(),
});

const nullableInt = (max: number) => z.number().int().min(1).max(max).nullable().optional();
const price = z.number().min(0).max(1_000_000).nullable().optional();

const modelFields = {
  model: z.string().min(1).max(256),
  baseUrl: z.string().url("must be an http(s) URL").refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL").nullable().optional(),
  apiKeyEnv: z
    .string()
    .regex(ENV_NAME_RE, "must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not the key itself")
    .nullable()
    .optional(),
  params: ModelParamsSchema.optional(),
  maxConcurrency: nullableInt(4096),
  rpm: nullableInt(10_000_000),
  tpm: nullableInt(1_000_000_000),
  inputPricePerMTok: price,
  outputPricePerMTok: price,
  reasoning: ReasoningSchema.nullable().optional(),
  /** Send calls through the provider's batch interface (OpenAI-compatible providers only) at the batch price. */
  batch: z.boolean().optional(),
  /** The batch price as a share of the prices (null = 0.5). */
  batchPriceFactor: z.number().min(0).max(1).nullable().optional(),
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
  parent: z.string().regex(MODEL_NAME_RE).nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
};

export const ModelCreateSchema = z.strictObject({
  name: z.string().regex(MODEL_NAME_RE, "letters, digits and . _ : @ - only, at most 128 characters"),
  provider: z.enum(["openai", "huggingface", "sim"]),
  ...modelFields,
});
export const ModelUpdateSchema = z.strictObject({
  provider: z.enum(["openai", "huggingface", "sim"]).optional(),
  ...modelFields,
  model: modelFields.model.optional(),
});

export type ModelCreate = z.infer<typeof ModelCreateSchema>;
export type ModelUpdate = z.infer<typeof ModelUpdateSchema>;
type Row = typeof models.$inferSelect;

export interface ModelView {
  id: string;
  name: string;
  provider: string;
  model: string;
  baseUrl: string | null;
  apiKeyEnv: string | null;
  /** Whether the named variable is set in the server's environment (never its value). */
  apiKeyConfigured: boolean;
  params: Record<string, unknown>;
  maxConcurrency: number | null;
  rpm: number | null;
  tpm: number | null;
  inputPricePerMTok: number | null;
  outputPricePerMTok: number | null;
  reasoning: { tags?: [string, string][] } | null;
  batch: boolean;
  batchPriceFactor: number | null;
  tags: string[];
  parent: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export function viewModel(row: Row, secrets: SecretResolver): ModelView {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    model: row.model,
    baseUrl: row.baseUrl,
    apiKeyEnv: row.apiKeyEnv,
    apiKeyConfigured: row.apiKeyEnv ? secrets(row.apiKeyEnv) !== undefined : false,
    params: row.params,
    maxConcurrency: row.maxConcurrency,
    rpm: row.rpm,
    tpm: row.tpm,
    inputPricePerMTok: row.inputPricePerMTok,
    outputPricePerMTok: row.outputPricePerMTok,
    reasoning: row.reasoning ?? null,
    batch: row.batch,
    batchPriceFactor: row.batchPriceFactor,
    tags: row.tags,
    parent: row.parent,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The gateway's view of a stored model. */
export function toModelSpec(row: Row): ModelSpec {
  return {
    name: row.name,
    provider: row.provider as ModelSpec["provider"],
    model: row.model,
    baseUrl: row.baseUrl,
    apiKeyEnv: row.apiKeyEnv,
    params: row.params,
    maxConcurrency: row.maxConcurrency,
    rpm: row.rpm,
    tpm: row.tpm,
    inputPricePerMTok: row.inputPricePerMTok,
    outputPricePerMTok: row.outputPricePerMTok,
    reasoning: row.reasoning ?? null,
    batch: row.batch,
    batchPriceFactor: row.batchPriceFactor,
  };
}

/** Only OpenAI-compatible providers (and the simulator) have a batch interface. */
function checkBatch(provider: string, batch: boolean): void {
  if (batch && provider === "huggingface") throw badRequest("batch: Hugging Face providers have no batch interface; only OpenAI-compatible models (provider openai or sim) can be batch models");
}

export async function getModelRow(db: Db, name: string): Promise<Row> {
  const [row] = await db.select().from(models).where(eq(models.name, name));
  if (!row) throw notFound("model", name);
  return row;
}

/**
 * The row, locked until the transaction ends: the secret guard decides on what it read, so a
 * concurrent admin binding a key must not slip in between a write key's check and its baseUrl change.
 */
async function lockModelRow(tx: Db, name: string): Promise<Row> {
  const [row] = await tx.select().from(models).where(eq(models.name, name)).for("update");
  if (!row) throw notFound("model", name);
  return row;
}

async function checkParent(db: Db, name: string, parent: string | null | undefined): Promise<void> {
  if (!parent) return;
  if (parent === name) throw badRequest("parent: a model cannot be its own parent");
  const [row] = await db.select({ id: models.id }).from(models).where(eq(models.name, parent));
  if (!row) throw badRequest(`parent: model '${parent}' is not registered`);
}

export async function createModel(db: Db, input: ModelCreate, now: Date, auth: RegistryAuth): Promise<Row> {
  // A new version inherits nothing from its parent but the lineage: no secret rides along.
  guardSecretChange(auth.actor, auth.keyVars, null, { provider: input.provider, baseUrl: input.baseUrl ?? null, apiKeyEnv: input.apiKeyEnv ?? null });
  checkBatch(input.provider, input.batch === true);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: models.id }).from(models).where(eq(models.name, input.name));
    if (existing) throw conflict(`model '${input.name}' already exists`);
    await checkParent(tx, input.name, input.parent);
    const [row] = await tx
      .insert(models)
      .values({ id: randomUUID(), ...input, params: input.params ?? {}, tags: input.tags ?? [], createdBy: auth.actor?.keyId ?? null, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: models.name })
      .returning();
    if (!row) throw conflict(`model '${input.name}' already exists`);
    return row;
  });
}

export async function listModels(db: Db): Promise<Row[]> {
  return db.select().from(models).orderBy(asc(models.name));
}

export async function updateModel(db: Db, name: string, patch: ModelUpdate, now: Date, auth: RegistryAuth): Promise<Row> {
  return db.transaction(async (tx) => {
    const current = await lockModelRow(tx, name);
    const next = {
      provider: patch.provider ?? current.provider,
      baseUrl: patch.baseUrl === undefined ? current.baseUrl : patch.baseUrl,
      apiKeyEnv: patch.apiKeyEnv === undefined ? current.apiKeyEnv : patch.apiKeyEnv,
    };
    guardSecretChange(auth.actor, auth.keyVars, current, next);
    checkBatch(next.provider, patch.batch ?? current.batch);
    await checkParent(tx, name, patch.parent);
    const [row] = await tx.update(models).set({ ...patch, updatedAt: now }).where(eq(models.name, name)).returning();
    if (!row) throw notFound("model", name);
    return row;
  });
}

export async function deleteModel(db: Db, name: string, auth: RegistryAuth): Promise<void> {
  await db.transaction(async (tx) => {
    guardSecretChange(auth.actor, auth.keyVars, await lockModelRow(tx, name), null);
    const children = await tx.select({ name: models.name }).from(models).where(eq(models.parent, name));
    if (children.length > 0) {
      throw new AppError("conflict", `model '${name}' is the parent of ${children.map((c) => c.name).join(", ")}; delete or re-parent them first`);
    }
    await tx.delete(models).where(eq(models.name, name));
  });
}
