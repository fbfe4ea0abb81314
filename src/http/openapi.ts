/**
 * Shared OpenAPI pieces: the error envelope schema, standard error responses, and the app factory
 * whose default validation hook turns zod failures into the 400 envelope.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./env.js";
import { describeZodError, errorResponse } from "./errors.js";

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

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, details } = describeZodError(result.error, result.target);
        return errorResponse(c, 400, "validation_failed", message, details);
      }
      return undefined;
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
