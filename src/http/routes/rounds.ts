/** /v1/rounds: start, list, follow (JSON and server-sent events), cancel, resume, judge quality. */
import { createRoute, z } from "@hono/zod-openapi";
import { roundJudgeStats } from "../../../battles/judge-stats.js";
import { roundProgress } from "../../../battles/progress.js";
import { cancelRound, findRound } from "../../../battles/round-store.js";
import type { Deps } from "../../deps.js";
import { EVENT_STREAM, EventsQuery, progressEvents } from "../sse.js";
import { notFound } from "../../errors.js";
import { listRounds, RoundCreateSchema, RoundResumeSchema, resumeRoundWith, startRound } from "../../services/rounds.js";
import { actorKeyId, withCreator } from "../created-by.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { IdParam, RoundProgress } from "../schemas.js";

const security = [{ bearer: [] }];

export function roundRoutes(deps: Deps) {
  const r = newRouter();
  const load = async (id: string) => {
    const round = await findRound(deps.db, id);
    if (!round) throw notFound("round", id);
    return round;
  };
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/rounds",
      tags: ["rounds"],
      summary: "Start a battle round (answers 202 at once; the plan is written in one transaction)",
      security,
      request: { body: jsonBody(RoundCreateSchema) },
      responses: {
        202: jsonContent(z.object({ id: z.string(), status: z.string(), battles: z.number(), instructions: z.number() }), "Accepted"),
        ...STD_ERRORS,
        422: jsonContent(z.object({}).passthrough(), "Nothing to battle over"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const plan = await startRound(deps.db, body, { createdBy: actorKeyId(c) });
      deps.logger.info({ roundId: plan.round.id, name: body.name, pairing: body.pairing, candidates: body.candidates.length, judges: body.judges.length, battles: plan.battles, instructions: plan.instructions }, "round created");
      return c.json({ id: plan.round.id, status: plan.round.status, battles: plan.battles, instructions: plan.instructions }, 202);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/rounds",
      tags: ["rounds"],
      summary: "List rounds, newest first",
      security,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(RoundProgress) }), "Rounds"), ...STD_ERRORS },
    }),
    async (c) => {
      const rows = await listRounds(deps.db, c.req.valid("query").limit);
      const items = await Promise.all(rows.map(async (row) => withCreator(c, await roundProgress(deps.db, row, deps.clock()), row.createdBy)));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/rounds/{id}",
      tags: ["rounds"],
      summary: "Round progress: counts, tokens, cost, errors by kind, ETA",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(RoundProgress, "Progress"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const round = await deps.progressCache.row(id, () => findRound(deps.db, id));
      if (!round) throw notFound("round", id);
      return c.json(withCreator(c, await deps.progressCache.get(deps.db, round, deps.clock), round.createdBy), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/rounds/{id}/events",
      tags: ["rounds"],
      summary: "Progress as server-sent events ('progress' on change, 'end' when the round stops)",
      security,
      request: { params: IdParam, query: EventsQuery },
      responses: { ...EVENT_STREAM, ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { intervalMs } = c.req.valid("query");
      await load(id);
      // The ETA changes every tick; only a change in the rest is news.
      return progressEvents(c, async () => deps.progressCache.get(deps.db, await load(id), deps.clock), {
        intervalMs,
        changeKey: ({ etaSeconds: _eta, ...stable }) => JSON.stringify(stable),
      });
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/rounds/{id}/cancel",
      tags: ["rounds"],
      summary: "Cancel a round (pending battles are cancelled; results so far are kept)",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(RoundProgress, "Progress"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const round = await load(c.req.valid("param").id);
      await cancelRound(deps.db, round.id);
      return c.json(await roundProgress(deps.db, await load(round.id), deps.clock()), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/rounds/{id}/resume",
      tags: ["rounds"],
      summary: "Resume a cancelled, failed or budget_exhausted round, optionally raising its budget (body optional)",
      security,
      request: { params: IdParam, body: { ...jsonBody(RoundResumeSchema), required: false } },
      responses: { 200: jsonContent(RoundProgress, "Progress"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const round = await load(c.req.valid("param").id);
      const body = (c.req.header("content-type") ?? "").includes("json") ? c.req.valid("json") : {};
      await resumeRoundWith(deps.db, round.id, body);
      return c.json(await roundProgress(deps.db, await load(round.id), deps.clock()), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/rounds/{id}/judges",
      tags: ["rounds"],
      summary: "Judge quality: swap agreement, first-position and longer-answer win rates, invalid rate, Cohen's and Fleiss' kappa; agreement with human review verdicts (MT-bench, with and without ties, Cohen's kappa) per judge and for the jury, and human-human agreement",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ judges: z.array(z.object({}).passthrough()), agreement: z.object({}).passthrough(), humans: z.object({}).passthrough() }), "Judge statistics"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const round = await load(c.req.valid("param").id);
      return c.json(await roundJudgeStats(deps.db, round.id, round.options.swapRule), 200);
    },
  );
  return r;
}
