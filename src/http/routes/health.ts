/** Liveness and readiness: /healthz answers while the process runs, /readyz when the database does. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { jsonContent, newRouter } from "../openapi.js";

const Health = z.object({ status: z.literal("ok") });
const Ready = z.object({ status: z.enum(["ok", "unavailable"]), database: z.enum(["pglite", "embedded", "postgres"]) });

export function healthRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({ method: "get", path: "/healthz", tags: ["health"], summary: "Liveness", responses: { 200: jsonContent(Health, "Alive") } }),
    (c) => c.json({ status: "ok" as const }, 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/readyz",
      tags: ["health"],
      summary: "Readiness: the database answers",
      responses: { 200: jsonContent(Ready, "Ready"), 503: jsonContent(Ready, "Database unreachable") },
    }),
    async (c) => {
      const ok = await deps.dbHandle.ping();
      return ok
        ? c.json({ status: "ok" as const, database: deps.dbHandle.kind }, 200)
        : c.json({ status: "unavailable" as const, database: deps.dbHandle.kind }, 503);
    },
  );
  return r;
}
