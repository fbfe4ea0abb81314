/**
 * GET /v1/leaderboard: ratings by any method of reports/leaderboard.ts with bootstrap intervals, the comparison graph's
 * components, ranks within a component, and provisional flags (rules in reports/board-shape.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { leaderboard } from "../../services/leaderboard.js";
import { scoreBoard } from "../../services/scores.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { LeaderboardSchema, MinBattles, RATING_METHODS_ENUM, ScoreBoardSchema } from "../schemas.js";

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
  score: z.enum(["winrate", "arena-hard", "wildbench", "lc"]).optional().openapi({ description: "a score against `baseline` (required with it) instead of ratings; see docs/scores.md" }),
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
      responses: { 200: jsonContent(z.union([LeaderboardSchema.extend({ minBattles: MinBattles }), ScoreBoardSchema]), "The board, or with `score` the scores against the baseline"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const q = c.req.valid("query");
      if (q.score !== undefined) {
        if (q.baseline === undefined) throw badRequest("invalid query: baseline: required with score (the model every candidate is scored against)");
        if (q.judge !== undefined) throw badRequest("invalid query: judge: not supported with score (scores use every judge's games)");
        if (q.styleControl) throw badRequest("invalid query: styleControl: not supported with score (score=lc controls for length)");
        return c.json(await scoreBoard(deps.db, { ...q, score: q.score, baseline: q.baseline }), 200);
      }
      const minBattles = q.minBattles ?? deps.config.minBattles;
      return c.json({ ...(await leaderboard(deps.db, { ...q, minBattles }, deps.boardCache)), minBattles }, 200);
    },
  );
  return r;
}
