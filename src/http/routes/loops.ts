/** /v1/loops and /v1/iterations: the Arena Learning loop over shards of the instruction pool. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { createLoop, getIteration, getLoop, IterationStartSchema, listIterations, LoopCreateSchema, loopProgress, startIteration } from "../../services/loops.js";
import { actorKeyId, withCreator } from "../created-by.js";
import { CONFLICT, jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const security = [{ bearer: [] }];
const Id = z.object({ id: z.string().min(1).openapi({ param: { name: "id", in: "path" } }) });
const Any = z.object({}).passthrough();

export function loopRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/loops",
      tags: ["loops"],
      summary: "Create a loop: split the pool into seeded shards and a held-out evaluation set (diverse + hard)",
      security,
      request: { body: jsonBody(LoopCreateSchema) },
      responses: { 201: jsonContent(Any, "Created"), ...STD_ERRORS, ...CONFLICT, 422: jsonContent(Any, "Pool too small") },
    }),
    async (c) => c.json(await createLoop(deps.db, c.req.valid("json"), actorKeyId(c)), 201),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/loops/{id}",
      tags: ["loops"],
      summary: "A loop (by id or name): iterations, round status, each target version's rating on the evaluation set",
      security,
      request: { params: Id, query: z.object({ bootstrap: z.coerce.number().int().min(0).max(1000).default(100) }) },
      responses: { 200: jsonContent(Any, "Loop progress"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const loop = await getLoop(deps.db, c.req.valid("param").id);
      return c.json(withCreator(c, await loopProgress(deps.db, loop, c.req.valid("query").bootstrap, deps.config.minBattles), loop.createdBy), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/loops/{id}/iterations",
      tags: ["loops"],
      summary: "Start the next iteration: target vs opponents on the next unused shard (and on the evaluation set); from iteration 2 the target must name the previous target as parent",
      security,
      request: { params: Id, body: jsonBody(IterationStartSchema) },
      responses: { 202: jsonContent(Any, "Started"), ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    }),
    async (c) => {
      const it = await startIteration(deps.db, c.req.valid("param").id, c.req.valid("json"), actorKeyId(c));
      deps.logger.info({ iterationId: it.id, loopId: it.loopId, number: it.number, roundId: it.roundId, evalRoundId: it.evalRoundId, battles: it.battles, evalBattles: it.evalBattles }, "iteration started: rounds created");
      return c.json(it, 202);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/iterations",
      tags: ["loops"],
      summary: "All iterations, oldest first",
      security,
      responses: { 200: jsonContent(z.object({ items: z.array(Any) }), "Iterations"), ...STD_ERRORS },
    }),
    async (c) => {
      const items = await listIterations(deps.db);
      return c.json({ items: items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })) }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/iterations/{id}",
      tags: ["loops"],
      summary: "One iteration",
      security,
      request: { params: Id },
      responses: { 200: jsonContent(Any, "Iteration"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const it = await getIteration(deps.db, c.req.valid("param").id);
      return c.json({ ...it, createdAt: it.createdAt.toISOString() }, 200);
    },
  );
  return r;
}
