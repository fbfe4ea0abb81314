/**
 * Zod schemas that more than one route group uses: path ids, pages, the 202 replies of generator
 * runs, a round's progress, the clean options and the leaderboard. Each is declared here once.
 */
import { z } from "@hono/zod-openapi";
import { RoundProgressSchema } from "../../battles/progress-schema.js";
import type { Db } from "../../db/client.js";
import { requireRun, runView } from "../services/generator.js";
import { MODEL_NAME_RE } from "../services/models.js";
import { RATING_METHODS } from "../../reports/leaderboard.js";
import { CreatedBy } from "./openapi.js";

/** `{id}` in the path of rounds, reports and generator runs. */
export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

/** `{name}` in the path of a model's routes. */
export const ModelNameParam = z.object({
  name: z.string().regex(MODEL_NAME_RE, "not a valid model name").openapi({ param: { name: "name", in: "path" } }),
});

/** Cursor paging of long lists (`nextCursor` in the answer; see `pageOf`). */
export const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.coerce.number().int().min(0).optional() });

/** The answer of a cursor-paged list. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** 202 of POST /v1/generator/runs. */
export const RunAccepted = z.object({ id: z.string(), status: z.string(), kind: z.string(), stage: z.string(), tasks: z.number() }).openapi("GeneratorRunAccepted");

/** 202 of the other generator starts (personas, simulations): the same body, documented loosely. */
export const Accepted = z.object({ id: z.string(), status: z.string() }).passthrough();

/** The 202 body (`RunAccepted`) for a freshly created run. */
export async function accepted(db: Db, id: string) {
  const view = await runView(db, await requireRun(db, id));
  return { id: view.id, status: view.status, kind: view.kind, stage: view.stage, tasks: view.counts.total ?? 0 };
}

/** Cleaning options (publishing a run, POST /v1/clean). */
export const PublishBody = z
  .strictObject({
    nearDupThreshold: z.number().gt(0).max(1).optional(),
    benchmarks: z.array(z.string().min(1).max(128)).max(100).optional(),
    againstPool: z.boolean().optional(),
    minWords: z.number().int().min(0).max(100_000).optional(),
    maxWords: z.number().int().min(1).max(1_000_000).optional(),
  })
  .openapi("CleanOptions");

/** A round's progress (GET /v1/rounds/{id}, its events, cancel and resume), with who created it. */
export const RoundProgress = RoundProgressSchema.extend({ createdBy: CreatedBy }).passthrough().openapi("RoundProgress");

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
/** The values of `method=` (reports/leaderboard.ts RATING_METHODS). */
export const RATING_METHODS_ENUM = RATING_METHODS;

/** A leaderboard (GET /v1/leaderboard, and inside a round report). */
export const LeaderboardSchema = z
  .object({
    method: z.enum(RATING_METHODS_ENUM),
    scale: z.enum(["elo", "points", "share", "eigenvector", "probability"]).optional().openapi({
      description: "what ratings are: elo (400 per factor 10: bt, elo, newman, davidson), points (counting), share (average-win-rate, 0..1), eigenvector (unit-norm components), probability (pagerank, sums to 1)",
    }),
    definition: z.string().optional().openapi({ description: "the method's definition and defaults (docs/ratings.md)" }),
    ties: z.number().optional().openapi({ description: "share of the rated battles (by weight) that are ties" }),
    tieParameter: z
      .object({ value: z.number(), ciLow: z.number(), ciHigh: z.number() })
      .optional()
      .openapi({ description: "newman: Newman's ν (P(tie) = 2ν√(π_iπ_j)/D); davidson: Davidson's ν (P(tie) = ν√(π_iπ_j)/D); with a bootstrap 95% interval" }),
    connected: z.boolean().openapi({ description: "false when some models never met, directly or through others: ratings across components mean nothing" }),
    components: z.array(z.array(z.string())).openapi({ description: "models of each connected component of the comparison graph, largest first" }),
    items: z.array(Item),
    style: StyleSchema.optional(),
  })
  .openapi("Leaderboard");

/** The provisional minimum a board used: the request's, else the configured default. */
export const MinBattles = z.number().openapi({ description: "decisive battles below which an item is provisional on this board" });


const ScoreItemSchema = z.object({
  model: z.string(),
  score: z.number().nullable().openapi({ description: "null when none of the model's battles can carry the score (note says why)" }),
  ciLow: z.number().nullable().openapi({ description: "5% bootstrap percentile" }),
  ciHigh: z.number().nullable().openapi({ description: "95% bootstrap percentile" }),
  battles: z.number().openapi({ description: "battles against the baseline the score used" }),
  games: z.number().optional().openapi({ description: "wildbench: games counted (missing judgments included); arena-hard: weighted game rows" }),
  categories: z.array(z.object({ category: z.string(), score: z.number(), battles: z.number() })).optional().openapi({ description: "wildbench: the reward per task category" }),
  winRate: z.number().optional().openapi({ description: "lc: the plain win rate (ties as half) of the same battles" }),
  lengthWeight: z.number().optional().openapi({ description: "lc: the fitted weight of tanh(standardised length difference)" }),
  note: z.string().optional(),
});
/** Scores against a baseline (GET /v1/leaderboard?score=...&baseline=M). */
export const ScoreBoardSchema = z
  .object({
    score: z.enum(["winrate", "arena-hard", "wildbench", "lc"]),
    baseline: z.string(),
    definition: z.string().openapi({ description: "what the score is, after its authors, and where this service departs from them" }),
    ciPercentiles: z.array(z.number()).openapi({ description: "the bootstrap percentiles of ciLow and ciHigh: [0.05, 0.95]" }),
    bootstrap: z.number(),
    items: z.array(ScoreItemSchema).openapi({ description: "every candidate that met the baseline, best first (the baseline itself is not a row)" }),
    skipped: z.object({ notAgainstBaseline: z.number(), withoutLengths: z.number().optional(), withInvalidGames: z.number().optional() }),
  })
  .openapi("ScoreBoard");
