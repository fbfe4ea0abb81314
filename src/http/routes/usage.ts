/** GET /v1/usage: calls, cache hits, failures, tokens and cost per model and purpose (running totals). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { usageReport } from "../../services/llm-store.js";
import { jsonContent, newRouter, STD_ERRORS } from "../openapi.js";

const Row = z.object({
  model: z.string(),
  purpose: z.string(),
  calls: z.number(),
  cachedCalls: z.number(),
  failedCalls: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  reasoningTokens: z.number().openapi({ description: "the part of completionTokens spent on reasoning traces" }),
  costUsd: z.number(),
});

export function usageRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/usage",
      tags: ["models"],
      summary: "Token and cost accounting per model and purpose (candidate, judge, generator, chat); cached calls cost nothing",
      security: [{ bearer: [] }],
      responses: { 200: jsonContent(z.object({ items: z.array(Row), totals: z.object({ calls: z.number(), costUsd: z.number() }) }), "Usage"), ...STD_ERRORS },
    }),
    async (c) => c.json(await usageReport(deps.db), 200),
  );
  return r;
}
