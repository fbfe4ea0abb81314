/** POST /v1/models/{name}/chat: try a registered model through the gateway (cached, rate-limited). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { createModelCaller } from "../../services/model-caller.js";
import { getModelRow, ModelParamsSchema } from "../../services/models.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { ModelNameParam } from "../schemas.js";

const ChatBody = z
  .strictObject({
    messages: z.array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() })).min(1).max(256),
    params: ModelParamsSchema.optional(),
    bypassCache: z.boolean().optional(),
  })
  .openapi("ChatRequest");
const ChatReply = z
  .object({
    text: z.string().openapi({ description: "the final answer, without the reasoning trace" }),
    trace: z.string().nullable().openapi({ description: "the reasoning trace (separate field or inline tags), null when none" }),
    traceStatus: z.enum(["none", "closed", "unclosed"]).openapi({ description: "unclosed: the output ended inside the trace (max_tokens), so text is empty" }),
    usage: z.object({ promptTokens: z.number(), completionTokens: z.number().openapi({ description: "reasoning included" }), reasoningTokens: z.number().optional() }),
    latencyMs: z.number(),
    cached: z.boolean(),
    costUsd: z.number(),
    attempts: z.number(),
  })
  .openapi("ChatReply");

export function chatRoutes(deps: Deps) {
  const r = newRouter();
  const caller = createModelCaller(deps.db, deps.gateway);
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/models/{name}/chat",
      tags: ["models"],
      summary: "Chat with a registered model (a repeated identical call is served from the cache)",
      security: [{ bearer: [] }],
      request: { params: ModelNameParam, body: jsonBody(ChatBody) },
      responses: {
        200: jsonContent(ChatReply, "The model's reply"),
        ...STD_ERRORS,
        ...NOT_FOUND,
        422: jsonContent(z.object({}).passthrough(), "The model cannot be called as configured (e.g. its API key variable is not set)"),
        502: jsonContent(z.object({}).passthrough(), "The provider failed after retries"),
      },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      await getModelRow(deps.db, name);
      const body = c.req.valid("json");
      const res = await caller.chatRaw(name, { messages: body.messages, params: body.params, bypassCache: body.bypassCache, purpose: "chat" });
      if (!res.ok) {
        const details = { kind: res.kind, retryable: res.retryable, attempts: res.attempts, ...(res.status ? { providerStatus: res.status } : {}) };
        throw new AppError(res.kind === "config" ? "unprocessable" : "provider_error", res.message, details);
      }
      return c.json({ text: res.text, trace: res.trace, traceStatus: res.traceStatus, usage: res.usage, latencyMs: res.latencyMs, cached: res.cached, costUsd: res.costUsd, attempts: res.attempts }, 200);
    },
  );
  return r;
}
