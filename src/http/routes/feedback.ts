/** GET /v1/feedback: per-category sampling weights and complexity adjustments from a target's battles. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { loadFeedback } from "../../generator/stores/feedback-battles.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const CategoryFeedback = z
  .object({
    category: z.string(),
    weight: z.number(),
    weightLow: z.number().openapi({ description: "the weight with this category's loss rate at the low end of its interval (others at their means)" }),
    weightHigh: z.number(),
    lossRate: z.number().openapi({ description: "raw: 1 - the target's mean share (ties half)" }),
    smoothedLossRate: z.number().openapi({ description: "posterior mean under the Beta prior fitted to all categories; the weight uses it" }),
    lossRateLow: z.number().openapi({ description: "95% credible interval of the loss rate (equal-tailed, Beta posterior)" }),
    lossRateHigh: z.number(),
    battles: z.number(),
    informativeness: z.number(),
    meanMargin: z.number(),
    judgeAgreement: z.number().nullable(),
  })
  .passthrough()
  .openapi("CategoryFeedback");
const Complexity = z.object({ category: z.string(), adjustment: z.number(), reason: z.string() }).openapi("ComplexityAdjustment");
const Prior = z
  .object({ alpha: z.number(), beta: z.number(), strength: z.number(), mean: z.number(), between: z.number() })
  .openapi("LossPrior", { description: "Beta(alpha, beta) prior of the loss rates: strength in pseudo-battles from the categories' spread beyond sampling noise (between)" });
const Feedback = z.object({ categories: z.array(CategoryFeedback), complexity: z.array(Complexity), prior: Prior }).passthrough().openapi("Feedback");

export function feedbackRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/feedback",
      tags: ["generator"],
      summary: "Feedback for the next generation run from a round's (or an iteration's) target: per category its loss rate (raw, and smoothed by a fitted Beta prior with a 95% interval), informativeness, sampling weight with its interval, and complexity adjustment (-1 easier, +1 harder); unknown roundId or iterationId is a 404",
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
