/**
 * Reports: GET /v1/reports/rounds/{id} (HTML with SVG charts, Markdown or JSON), and the win-rate
 * matrices and category list behind leaderboards (/v1/leaderboard/winrates, /v1/leaderboard/categories)
 * for API users and the dashboard. The data comes from services/reports.ts, rendering is pure
 * (reports/render); this file picks the format.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { renderReportHtml } from "../../../reports/render/report-html.js";
import { renderReportMarkdown } from "../../../reports/render/report-markdown.js";
import type { Deps } from "../../deps.js";
import { boardCategories } from "../../services/leaderboard.js";
import { buildRoundReport, winRateView } from "../../services/reports.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { IdParam, LeaderboardSchema, ScoreBoardSchema } from "../schemas.js";

/** The HTML report runs no scripts and loads nothing: the policy says so to the browser as well. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const Matrix = z.array(z.array(z.number().nullable()));
const WinRatesSchema = z
  .object({ models: z.array(z.string()), ratings: z.array(z.number()), empirical: Matrix, predicted: z.array(z.array(z.number())), counts: z.array(z.array(z.number())) })
  .openapi("WinRates");
const ReportSchema = z
  .object({
    generatedAt: z.string(),
    round: z.object({ id: z.string(), status: z.string() }).passthrough(),
    leaderboard: LeaderboardSchema.extend({ bootstrap: z.number(), minBattles: z.number() }),
    winRates: WinRatesSchema.omit({ ratings: true }),
    judges: z.object({ judges: z.array(z.object({}).passthrough()), agreement: z.object({}).passthrough() }),
    dataYield: z.object({ scored: z.number(), decisive: z.number(), ties: z.number(), invalid: z.number(), failed: z.number(), byCategory: z.array(z.object({}).passthrough()) }),
    trainingData: z.object({ sftRows: z.number(), dpoPairs: z.number() }).nullable().openapi({ description: "null: not computed" }),
    scores: z.array(ScoreBoardSchema).optional().openapi({ description: "a round with a baseline: every score against it (winrate, arena-hard, wildbench, lc), each with its definition; see docs/scores.md" }),
  })
  .openapi("RoundReport");

const ReportQuery = z.object({
  format: z.enum(["html", "md", "json"]).default("html"),
  bootstrap: z.coerce.number().int().min(0).max(1000).default(100),
  seed: z.coerce.number().int().min(0).default(0),
});
const FilterQuery = z.object({ roundId: z.string().min(1).optional(), category: z.string().min(1).optional() });

export function reportRoutes(deps: Deps) {
  const r = newRouter();
  const security = [{ bearer: [] }];
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/reports/rounds/{id}",
      tags: ["reports"],
      summary: "Round report: leaderboard with interval chart, win-rate heatmaps, judge quality, progress, cost and data yield",
      security,
      request: { params: IdParam, query: ReportQuery },
      responses: {
        200: {
          description: "The report: a self-contained HTML page (default), Markdown, or the same data as JSON",
          content: { "text/html": { schema: z.string() }, "text/markdown": { schema: z.string() }, "application/json": { schema: ReportSchema } },
        },
        ...STD_ERRORS,
        ...NOT_FOUND,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const report = await buildRoundReport(deps.db, deps.clock, id, { ...q, minBattles: deps.config.minBattles });
      if (q.format === "json") return c.json(report, 200);
      if (q.format === "md") return c.body(renderReportMarkdown(report), 200, { "content-type": "text/markdown; charset=utf-8" });
      const self = `/v1/reports/rounds/${encodeURIComponent(id)}`;
      const html = renderReportHtml(report, { json: `${self}?format=json`, markdown: `${self}?format=md` });
      return c.body(html, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": REPORT_CSP, "x-content-type-options": "nosniff" });
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/leaderboard/winrates",
      tags: ["ratings"],
      summary: "Observed and rating-predicted win-rate matrices (row model's share against the column model), models best first",
      security,
      request: { query: FilterQuery },
      responses: { 200: jsonContent(WinRatesSchema, "Matrices; empirical cells are null where two models never met"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => c.json(await winRateView(deps.db, c.req.valid("query")), 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/leaderboard/categories",
      tags: ["ratings"],
      summary: "Categories that have rated battles, with battle counts (for the leaderboard's category filter)",
      security,
      request: { query: FilterQuery.pick({ roundId: true }) },
      responses: { 200: jsonContent(z.object({ items: z.array(z.object({ category: z.string(), battles: z.number() })) }), "Categories"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { roundId } = c.req.valid("query");
      return c.json({ items: await boardCategories(deps.db, roundId) }, 200);
    },
  );
  return r;
}
