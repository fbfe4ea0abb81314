/**
 * Shared OpenAPI pieces: the error envelope schema, standard error responses, and the app factory
 * whose default validation hook turns zod failures into the 400 envelope.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./env.js";
import { describeZodError, errorResponse } from "./errors.js";
import { unsafeJson } from "../../lib/safe-value.js";

/**
 * Bodies that are batches of items validated one by one (a bad item is listed in `rejected` and the
 * rest are stored): their item schemas carry the same rule (`dbJson()`), so the edge
 * leaves their JSON body to them instead of refusing the whole batch.
 */
const PER_ITEM_BODIES = new Set(["POST /v1/instructions", "POST /v1/generator/personas/import", "POST /v1/generator/seeds"]);

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

const err = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

/** Error responses every /v1 route can give. */
export const STD_ERRORS = {
  400: err("Bad input; the message names the field"),
  401: err("Missing or unknown API key"),
  403: err("The key lacks the scope this route needs"),
  413: err("Request body too large"),
  415: err("Unsupported media type"),
} as const;

/** Which API key's request created the row; present only in answers to admin keys. */
export const CreatedBy = z
  .string()
  .nullable()
  .optional()
  .openapi({ description: "Id of the API key whose request created this (null in local mode); shown to admin keys only" });

export const NOT_FOUND = { 404: err("Not found") } as const;
export const CONFLICT = { 409: err("Conflict") } as const;

/** The 400 for a validated input that breaks the storable rule, naming the field; undefined when it is fine. */
export function unstorableResponse(c: Context<AppEnv>, target: string, data: unknown): Response | undefined {
  const bad = unsafeJson(data);
  if (!bad) return undefined;
  const field = bad.path.map(String).join(".") || target;
  const issues = [{ field, message: bad.reason }];
  return errorResponse(c, 400, "validation_failed", `invalid ${target}: ${field}: ${bad.reason}`, { target, issues });
}

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, details } = describeZodError(result.error, result.target);
        return errorResponse(c, 400, "validation_failed", message, details);
      }
      // The edge rule for values the database would refuse (lib/safe-value.ts), on every validated input.
      if (result.target === "json" && PER_ITEM_BODIES.has(`${c.req.method} ${c.req.routePath}`)) return undefined;
      return unstorableResponse(c, result.target, result.data);
    },
  });
}

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
