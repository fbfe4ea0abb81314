/**
 * GET /v1/leaderboard: ratings by any method of reports/leaderboard.ts with bootstrap intervals, the comparison graph's
 * components, ranks within a component, and provisional flags (rules in reports/board-shape.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { leaderboard } from "../../services/leaderboard.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { LeaderboardSchema, MinBattles, RATING_METHODS_ENUM } from "../schemas.js";

const flag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const LeaderboardQuery = z.object({
  method: z.enum(RATING_METHODS_ENUM).default("bt").openapi({ description: "bt (default), elo, newman, davidson, counting, average-win-rate, eigen, pagerank: definitions in docs/ratings.md" }),
  roundId: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  judge: z.string().min(1).optional().openapi({ description: "per-judge board: that judge's own swapped games on round battles, and imported battles naming it" }),
  baseline: z.string().min(1).optional(),
  baselineRating: z.coerce.number().finite().optional(),
  bootstrap: z.coerce.number().int().min(0).max(1000).default(100),
  styleControl: flag.openapi({ description: "Bradley-Terry with length and markdown features (method=bt)" }),
  seed: z.coerce.number().int().min(0).default(0),
  minBattles: z.coerce.number().int().min(0).max(1_000_000_000).optional().openapi({ description: "a model with fewer decisive (non-tie) battles on this board is provisional; default MATRIX_ARENA_MIN_BATTLES (30)" }),
});

export function leaderboardRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/leaderboard",
      tags: ["ratings"],
      summary: "Ratings (Elo scale, 400 per factor 10, for bt, elo, newman and davidson; the method's own scale otherwise, named in `scale`) with seeded bootstrap 95% intervals; ranks within each component of the comparison graph; unknown roundId or baseline is a 404",
      security: [{ bearer: [] }],
      request: { query: LeaderboardQuery },
      responses: { 200: jsonContent(LeaderboardSchema.extend({ minBattles: MinBattles }), "The board"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const minBattles = q.minBattles ?? deps.config.minBattles;
      return c.json({ ...(await leaderboard(deps.db, { ...q, minBattles })), minBattles }, 200);
    },
  );
  return r;
}
