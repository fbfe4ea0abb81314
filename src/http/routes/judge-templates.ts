/**
 * /v1/judge-templates: judge templates users write (create, list with the built-ins, get one version,
 * change). A change of a version a round or judgment uses makes a new version (201); otherwise the
 * version is replaced in place (200). See src/services/judge-templates.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../../deps.js";
import { createTemplate, getTemplate, listTemplates, patchTemplate, TemplateCreateSchema, TemplatePatchSchema, type TemplateView as TemplateViewOf } from "../../services/judge-templates.js";
import { actorKeyId, withCreator } from "../created-by.js";
import type { AppEnv } from "../env.js";
import { CONFLICT, CreatedBy, jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const security = [{ bearer: [] }];

const TemplateView = z
  .object({
    name: z.string(),
    version: z.number().int(),
    promptVersion: z.string().openapi({ description: "What a round passes as `promptVersion` and its judgments record (`name@version`)" }),
    builtin: z.boolean(),
    mode: z.enum(["pairwise", "single"]),
    systemPrompt: z.string(),
    userTemplate: z.string().openapi({ description: "The user message; {{question}} {{conversation}} {{reference}} and {{answer_a}} {{answer_b}} (pairwise) or {{answer}} (single)" }),
    output: z.object({ kind: z.enum(["labels", "rating", "json"]), schema: z.record(z.string(), z.unknown()).optional(), verdictField: z.string().optional() }),
    description: z.string().nullable(),
    versions: z.number().int(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    createdBy: CreatedBy,
  })
  .openapi("JudgeTemplate");

const NameParam = z.object({ name: z.string().min(1).max(64).openapi({ param: { name: "name", in: "path" } }) });
const VersionQuery = z.object({ version: z.coerce.number().int().min(1).max(999_999_999).optional().openapi({ description: "A version (default: the latest)" }) });


export function judgeTemplateRoutes(deps: Deps) {
  const r = newRouter();
  const view = (c: Context<AppEnv>, v: TemplateViewOf) => {
    const { createdBy, ...rest } = v;
    return withCreator(c, rest, createdBy);
  };
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/judge-templates",
      tags: ["judge-templates"],
      summary: "Create a judge template (version 1): system prompt, user message with placeholders, output kind, pairwise or single",
      description:
        "Output: `labels` (the five labels [[A>>B]]..[[B>>A]], pairwise), `rating` (Rating: [[1-10]], single) or `json` (a JSON Schema sent as structured output, with `verdictField` naming the required property holding the verdict). 400 names the problem: unknown or missing placeholders, a schema without the verdict field, an output kind the mode cannot use.",
      security,
      request: { body: jsonBody(TemplateCreateSchema) },
      responses: { 201: jsonContent(TemplateView, "Created"), ...STD_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      return c.json(view(c, await createTemplate(deps.db, c.req.valid("json"), actorKeyId(c))), 201);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/judge-templates",
      tags: ["judge-templates"],
      summary: "List judge templates: the built-ins, then the latest version of each user template",
      security,
      responses: { 200: jsonContent(z.object({ items: z.array(TemplateView) }), "Templates"), ...STD_ERRORS },
    }),
    async (c) => c.json({ items: (await listTemplates(deps.db)).map((v) => view(c, v)) }, 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/judge-templates/{name}",
      tags: ["judge-templates"],
      summary: "One judge template version (the latest unless ?version= is given)",
      security,
      request: { params: NameParam, query: VersionQuery },
      responses: { 200: jsonContent(TemplateView, "The template"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => c.json(view(c, await getTemplate(deps.db, c.req.valid("param").name, c.req.valid("query").version ?? null)), 200),
  );
  r.openapi(
    createRoute({
      method: "patch",
      path: "/v1/judge-templates/{name}",
      tags: ["judge-templates"],
      summary: "Change a judge template: in place while no round or judgment uses its latest version (200), else as a new version (201)",
      security,
      request: { params: NameParam, body: jsonBody(TemplatePatchSchema) },
      responses: { 200: jsonContent(TemplateView, "Changed in place"), 201: jsonContent(TemplateView, "A new version"), ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    }),
    async (c) => {
      const out = await patchTemplate(deps.db, c.req.valid("param").name, c.req.valid("json"), actorKeyId(c));
      return out.created ? c.json(view(c, out.template), 201) : c.json(view(c, out.template), 200);
    },
  );
  return r;
}
