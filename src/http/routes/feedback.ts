/** GET /v1/feedback: per-category sampling weights and complexity adjustments from a target's battles. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { loadFeedback } from "../../generator/feedback-store.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const CategoryFeedback = z
  .object({ category: z.string(), weight: z.number(), lossRate: z.number(), battles: z.number(), informativeness: z.number(), meanMargin: z.number(), judgeAgreement: z.number().nullable() })
  .passthrough()
  .openapi("CategoryFeedback");
const Complexity = z.object({ category: z.string(), adjustment: z.number(), reason: z.string() }).openapi("ComplexityAdjustment");
const Feedback = z.object({ categories: z.array(CategoryFeedback), complexity: z.array(Complexity) }).passthrough().openapi("Feedback");

export function feedbackRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/feedback",
      tags: ["generator"],
      summary: "Feedback for the next generation run from a round's (or an iteration's) target: per category its loss rate, informativeness, sampling weight and complexity adjustment (-1 easier, +1 harder)",
      security: [{ bearer: [] }],
      request: { query: z.object({ roundId: z.string().min(1).max(64).optional(), iterationId: z.string().min(1).max(64).optional() }) },
      responses: { 200: jsonContent(Feedback, "Feedback"), ...STD_ERRORS, ...NOT_FOUND, 422: jsonContent(z.object({}).passthrough(), "No round with a target") },
    }),
    async (c) => {
      const { roundId, iterationId } = c.req.valid("query");
      if ((roundId === undefined) === (iterationId === undefined)) throw badRequest("roundId: give exactly one of roundId or iterationId");
      return c.json(await loadFeedback(deps.db, roundId ? { roundId } : { iterationId }), 200);
    },
  );
  return r;
}
