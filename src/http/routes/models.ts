/** /v1/models: the model registry (create, list, get, update, delete). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../../deps.js";
import {
  createModel,
  deleteModel,
  getModelRow,
  listModels,
  ModelCreateSchema,
  ModelUpdateSchema,
  type RegistryAuth,
  updateModel,
  viewModel,
} from "../../services/models.js";
import { withCreator } from "../created-by.js";
import type { AppEnv } from "../env.js";
import { CONFLICT, CreatedBy, jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { ModelNameParam } from "../schemas.js";

export const ModelViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.string(),
    model: z.string(),
    baseUrl: z.string().nullable(),
    apiKeyEnv: z.string().nullable(),
    apiKeyConfigured: z.boolean(),
    params: z.record(z.string(), z.unknown()),
    maxConcurrency: z.number().nullable(),
    rpm: z.number().nullable(),
    tpm: z.number().nullable(),
    inputPricePerMTok: z.number().nullable(),
    outputPricePerMTok: z.number().nullable(),
    reasoning: z.object({ tags: z.array(z.tuple([z.string(), z.string()])).optional() }).nullable(),
    tags: z.array(z.string()),
    parent: z.string().nullable(),
    description: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: CreatedBy,
  })
  .openapi("Model");

const security = [{ bearer: [] }];

export function modelRoutes(deps: Deps) {
  const r = newRouter();
  const view = (c: Context<AppEnv>, row: Parameters<typeof viewModel>[0]) => withCreator(c, viewModel(row, deps.config.secrets), row.createdBy);
  const auth = (c: Context<AppEnv>): RegistryAuth => ({ actor: c.get("principal"), keyVars: deps.config.keyVars });
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/models",
      tags: ["models"],
      summary: "Register a model (OpenAI-compatible, Hugging Face, or the simulator)",
      description: "Setting `apiKeyEnv` binds a server-side secret to the model and needs the admin scope; the name must be allowed by MATRIX_ARENA_PROVIDER_KEY_VARS and never one of the service's own variables (400).",
      security,
      request: { body: jsonBody(ModelCreateSchema) },
      responses: { 201: jsonContent(ModelViewSchema, "Registered"), ...STD_ERRORS, ...CONFLICT },
    }),
    async (c) => c.json(view(c, await createModel(deps.db, c.req.valid("json"), deps.clock(), auth(c))), 201),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/models",
      tags: ["models"],
      summary: "List models",
      security,
      responses: { 200: jsonContent(z.object({ items: z.array(ModelViewSchema) }), "Models"), ...STD_ERRORS },
    }),
    async (c) => c.json({ items: (await listModels(deps.db)).map((row) => view(c, row)) }, 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/models/{name}",
      tags: ["models"],
      summary: "Get a model",
      security,
      request: { params: ModelNameParam },
      responses: { 200: jsonContent(ModelViewSchema, "The model"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => c.json(view(c, await getModelRow(deps.db, c.req.valid("param").name)), 200),
  );
  r.openapi(
    createRoute({
      method: "patch",
      path: "/v1/models/{name}",
      tags: ["models"],
      summary: "Update a model",
      description: "Setting, changing or clearing `apiKeyEnv`, and changing `baseUrl` or `provider` of a model that has one, need the admin scope (403 naming the field).",
      security,
      request: { params: ModelNameParam, body: jsonBody(ModelUpdateSchema) },
      responses: { 200: jsonContent(ModelViewSchema, "Updated"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) =>
      c.json(view(c, await updateModel(deps.db, c.req.valid("param").name, c.req.valid("json"), deps.clock(), auth(c))), 200),
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/v1/models/{name}",
      tags: ["models"],
      summary: "Delete a model",
      description: "Deleting a model that has `apiKeyEnv` bound needs the admin scope (re-registering the name elsewhere would move its secret's traffic).",
      security,
      request: { params: ModelNameParam },
      responses: { 204: { description: "Deleted" }, ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    }),
    async (c) => {
      await deleteModel(deps.db, c.req.valid("param").name, auth(c));
      return c.body(null, 204);
    },
  );
  return r;
}
