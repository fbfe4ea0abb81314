/**
 * GET /metrics: Prometheus text exposition (src/services/metrics.ts lists what is measured). Needs a key
 * with the `metrics` scope (or admin) once keys exist, so a scraper holds no access to data.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { METRICS_CONTENT_TYPE } from "../../services/metrics.js";
import { newRouter, STD_ERRORS } from "../openapi.js";

export function metricsRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/metrics",
      tags: ["health"],
      summary: "Prometheus metrics: provider calls, retries, latency and cache hits of this process; battles, judgments, generator tasks, queue depth, expired leases and round spend from the database",
      security: [{ bearer: [] }],
      responses: { 200: { content: { "text/plain": { schema: z.string() } }, description: "Prometheus text format 0.0.4" }, ...STD_ERRORS },
    }),
    async (c) => c.text(await deps.metrics.render(), 200, { "content-type": METRICS_CONTENT_TYPE }),
  );
  return r;
}
