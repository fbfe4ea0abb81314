/**
 * GET /v1/leaderboard: Bradley-Terry or Elo ratings with bootstrap intervals, the comparison graph's
 * components, ranks within a component, and provisional flags (rules in reports/board-shape.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { leaderboard } from "../../services/leaderboard.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const flag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const LeaderboardQuery = z.object({
  method: z.enum(["bt", "elo"]).default("bt"),
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

const RANK_RULE = "1 + the number of models in the same component whose ciLow is above this model's ciHigh (statistically better); rows are ordered by component, rank, then rating";
const Item = z.object({
  model: z.string(),
  rating: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  rank: z.number().openapi({ description: RANK_RULE }),
  battles: z.number(),
  decisive: z.number().openapi({ description: "battles that were not a tie (outcome other than 0.5)" }),
  winRate: z.number(),
  component: z.number().openapi({ description: "index into components" }),
  provisional: z.boolean().openapi({ description: "fewer decisive battles than minBattles: the rating is a rough guess" }),
});
const StyleEstimate = z.object({
  feature: z.string(),
  estimate: z.number().nullable().openapi({ description: "log-odds of winning per sd of the feature; null when not identified" }),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  identified: z.boolean(),
  free: z.number().openapi({ description: "share of the feature's variation not explained by model identity and the other features (1 - R²)" }),
});
const StyleSchema = z.object({
  coefficients: z.record(z.string(), z.number()).openapi({ description: "estimates of the identified features only" }),
  estimates: z.array(StyleEstimate),
  identified: z.boolean(),
  reason: z.string().optional(),
  battles: z.number(),
  skipped: z.number(),
});
export const LeaderboardSchema = z
  .object({
    method: z.enum(["bt", "elo"]),
    connected: z.boolean().openapi({ description: "false when some models never met, directly or through others: ratings across components mean nothing" }),
    components: z.array(z.array(z.string())).openapi({ description: "models of each connected component of the comparison graph, largest first" }),
    items: z.array(Item),
    style: StyleSchema.optional(),
  })
  .openapi("Leaderboard");

/** The provisional minimum a board used: the request's, else the configured default. */
export const MinBattles = z.number().openapi({ description: "decisive battles below which an item is provisional on this board" });

export function leaderboardRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/leaderboard",
      tags: ["ratings"],
      summary: "Ratings on the Elo scale (400 per factor 10) with seeded bootstrap 95% intervals; ranks within each component of the comparison graph; unknown roundId or baseline is a 404",
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
