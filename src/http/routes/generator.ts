/**
 * /v1/generator/runs: start MATRIX-Gen, AgentInstruct and Evol runs (202), follow any generator run
 * (personas and simulations too) as JSON or server-sent events, list its items and failed tasks,
 * cancel, resume, and publish its items into the pool through cleaning.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { EVENT_STREAM, EventsQuery, progressEvents } from "../sse.js";
import { listItems, type ItemRow } from "../../generator/stores/items.js";
import { publishRun } from "../../services/generator-publish.js";
import { cancelRun } from "../../generator/engine/task-queue.js";
import { RunBudgetSchema, RunCreateSchema } from "../../generator/requests.js";
import { listRuns, listTasks, requireRun, resumeRunWith, runView, startGenerationRun } from "../../services/generator.js";
import { pipelineContext } from "../../generator/engine/context.js";
import { actorKeyId, withCreator } from "../created-by.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS, CONFLICT } from "../openapi.js";
import { accepted, IdParam, PageQuery, pageOf, PublishBody, RunAccepted } from "../schemas.js";

const RunView = z.object({ id: z.string(), kind: z.string(), status: z.string(), stage: z.string(), counts: z.record(z.string(), z.number()) }).passthrough().openapi("GeneratorRun");
const Item = z.object({ id: z.number(), kind: z.string(), category: z.string(), status: z.string(), text: z.string() }).passthrough().openapi("GeneratorItem");
/** Optional body of POST /v1/generator/runs/{id}/resume: new caps (each one named replaces the old). */
const RunResumeBody = z.strictObject({ budget: RunBudgetSchema.optional() });

const security = [{ bearer: [] }];

const itemJson = (it: ItemRow) => ({ ...it, createdAt: it.createdAt.toISOString(), updatedAt: it.updatedAt.toISOString() });

export function generatorRoutes(deps: Deps) {
  const r = newRouter();
  const ctx = pipelineContext(deps);
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/runs",
      tags: ["generator"],
      summary: "Start a generation run: type matrix-gen (from a simulation's scenarios), agentinstruct (from seed documents) or evol (rewrite instructions)",
      security,
      request: { body: jsonBody(RunCreateSchema) },
      responses: { 202: jsonContent(RunAccepted, "Accepted; follow GET /v1/generator/runs/{id}"), ...STD_ERRORS, ...NOT_FOUND, 422: jsonContent(z.object({}).passthrough(), "Feedback source has no target") },
    }),
    async (c) => c.json(await accepted(deps.db, (await startGenerationRun(ctx, c.req.valid("json"), actorKeyId(c))).id), 202),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/runs",
      tags: ["generator"],
      summary: "List generator runs (every kind), newest first",
      security,
      request: { query: z.object({ kind: z.enum(["personas", "simulation", "matrix-gen", "agentinstruct", "evol"]).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(RunView) }), "Runs"), ...STD_ERRORS },
    }),
    async (c) => {
      const rows = await listRuns(deps.db, c.req.valid("query"));
      return c.json({ items: await Promise.all(rows.map(async (row) => withCreator(c, await runView(deps.db, row), row.createdBy))) }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/runs/{id}",
      tags: ["generator"],
      summary: "A run's progress: task counts overall and per stage, errors by kind, items by status, kind and category, the feedback it used",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(RunView, "Run"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const run = await requireRun(deps.db, c.req.valid("param").id);
      return c.json(withCreator(c, await runView(deps.db, run), run.createdBy), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/runs/{id}/events",
      tags: ["generator"],
      summary: "Progress as server-sent events ('progress' on change, 'end' when the run stops)",
      security,
      request: { params: IdParam, query: EventsQuery },
      responses: { ...EVENT_STREAM, ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { intervalMs } = c.req.valid("query");
      await requireRun(deps.db, id);
      return progressEvents(c, async () => runView(deps.db, await requireRun(deps.db, id)), { intervalMs });
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/runs/{id}/items",
      tags: ["generator"],
      summary: "A run's items (status generated | published | removed; removed items carry reason and collision)",
      security,
      request: {
        params: IdParam,
        query: z.object({
          status: z.enum(["generated", "published", "removed"]).optional(),
          kind: z.string().max(64).optional(),
          category: z.string().max(64).optional(),
          ...PageQuery.shape,
        }),
      },
      responses: { 200: jsonContent(pageOf(Item), "Items"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await requireRun(deps.db, id);
      const page = await listItems(deps.db, { runId: id, ...c.req.valid("query") });
      return c.json({ items: page.items.map(itemJson), nextCursor: page.nextCursor }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/runs/{id}/tasks",
      tags: ["generator"],
      summary: "A run's tasks; status=failed lists failures with their error",
      security,
      request: {
        params: IdParam,
        query: z.object({
          status: z.enum(["pending", "running", "done", "failed", "cancelled"]).optional(),
          stage: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: { 200: jsonContent(z.object({ items: z.array(z.object({}).passthrough()) }), "Tasks"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await requireRun(deps.db, id);
      return c.json({ items: await listTasks(deps.db, id, c.req.valid("query")) }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/runs/{id}/publish",
      tags: ["generator"],
      summary: "Clean the run's generated items (filters, exact and MinHash near duplicates within the run and against the pool, 13-gram decontamination) and import the survivors into the pool",
      security,
      request: { params: IdParam, body: { required: false, content: { "application/json": { schema: PublishBody } } } },
      responses: { 200: jsonContent(z.object({ published: z.number(), removed: z.number(), byReason: z.record(z.string(), z.number()) }).passthrough(), "Publish summary"), ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = (c.req.header("content-type") ?? "").includes("json") ? c.req.valid("json") : {};
      return c.json(await publishRun(deps.db, await requireRun(deps.db, id), id, body), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/runs/{id}/cancel",
      tags: ["generator"],
      summary: "Cancel a run (pending tasks are cancelled; results so far are kept)",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(RunView, "Run"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const run = await requireRun(deps.db, c.req.valid("param").id);
      const { cancelled, cancelledTasks } = await cancelRun(deps.db, run.id);
      if (cancelled) deps.logger.info({ runId: run.id, kind: run.kind, cancelledTasks }, "generator run cancelled");
      return c.json(await runView(deps.db, await requireRun(deps.db, run.id)), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/runs/{id}/resume",
      tags: ["generator"],
      summary: "Resume a run: failed and cancelled tasks go back to the queue; a budget_exhausted run continues, with its budget raised by the optional body",
      security,
      request: { params: IdParam, body: { required: false, content: { "application/json": { schema: RunResumeBody } } } },
      responses: { 200: jsonContent(RunView, "Run"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const run = await requireRun(deps.db, c.req.valid("param").id);
      const body = (c.req.header("content-type") ?? "").includes("json") ? c.req.valid("json") : {};
      await resumeRunWith(deps.db, run.id, body);
      return c.json(await runView(deps.db, await requireRun(deps.db, run.id)), 200);
    },
  );
  return r;
}
