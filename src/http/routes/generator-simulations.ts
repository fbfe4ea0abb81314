/** /v1/generator/simulations (MATRIX multi-agent simulations, 202) and their scenarios. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { SimulationCreateSchema } from "../../generator/requests.js";
import { listScenarios, type ScenarioRow } from "../../generator/stores/scenarios.js";
import { requireRun, runView, startSimulation } from "../../services/generator.js";
import { pipelineContext } from "../../generator/engine/context.js";
import { actorKeyId, withCreator } from "../created-by.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { Accepted, accepted, IdParam, PageQuery, pageOf } from "../schemas.js";

const security = [{ bearer: [] }];
const Scenario = z.object({ id: z.number(), simulationId: z.string(), step: z.number(), groupIndex: z.number(), title: z.string(), summary: z.string() }).passthrough().openapi("Scenario");
const scenarioJson = (s: ScenarioRow) => ({ ...s, createdAt: s.createdAt.toISOString() });

export function generatorSimulationRoutes(deps: Deps) {
  const r = newRouter();
  const ctx = pipelineContext(deps);
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/simulations",
      tags: ["generator"],
      summary: "Start a MATRIX simulation: agents from a persona set, grouped by k-means over embeddings (TF-IDF without an embedding model), acting over steps with grouped, random or no communication",
      security,
      request: { body: jsonBody(SimulationCreateSchema) },
      responses: { 202: jsonContent(Accepted, "Accepted"), ...STD_ERRORS },
    }),
    async (c) => c.json(await accepted(deps.db, (await startSimulation(ctx, c.req.valid("json"), actorKeyId(c))).id), 202),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/simulations/{id}",
      tags: ["generator"],
      summary: "A simulation's progress (same shape as a generator run), with its group sizes",
      security,
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({}).passthrough(), "Simulation"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const run = await requireRun(deps.db, c.req.valid("param").id, "simulation");
      return c.json(withCreator(c, await runView(deps.db, run), run.createdBy), 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/simulations/{id}/scenarios",
      tags: ["generator"],
      summary: "A simulation's scenarios: one per group and step, with participants, events and a summary",
      security,
      request: { params: IdParam, query: PageQuery },
      responses: { 200: jsonContent(pageOf(Scenario), "Scenarios"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await requireRun(deps.db, id, "simulation");
      const page = await listScenarios(deps.db, { simulationId: id, ...c.req.valid("query") });
      return c.json({ items: page.items.map(scenarioJson), nextCursor: page.nextCursor }, 200);
    },
  );
  return r;
}
