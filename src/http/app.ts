/**
 * The HTTP app: middleware (request id, logging, body limit, auth), every route group (routes/index.ts), the
 * OpenAPI 3.1 document at /openapi.json and the offline reference at /docs.
 */
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import type { Deps } from "../deps.js";
import { authMiddleware } from "./auth.js";
import { errorResponse, onError } from "./errors.js";
import { newRouter } from "./openapi.js";
import { ROUTE_GROUPS } from "./routes/index.js";

/** Paths scraped or polled by machines; their request lines are logged at debug, not info. */
const PROBE_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);

export function createApp(deps: Deps) {
  const app = newRouter();
  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("logger", deps.logger);
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // Path only: query strings and headers are never logged. Probes (health, readiness, metrics) log at debug.
    const level = PROBE_PATHS.has(c.req.path) ? "debug" : "info";
    deps.logger[level]({ requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms }, "request");
  });
  const limit = (maxSize: number) =>
    bodyLimit({ maxSize, onError: (c) => errorResponse(c, 413, "payload_too_large", `request body exceeds the limit of ${maxSize} bytes`) });
  const general = limit(deps.config.bodyLimitBytes);
  // Battle-log imports stream large files and enforce their own limit while reading (see battle-import.ts).
  app.use("/v1/*", (c, next) => (c.req.path === "/v1/battles/import" ? next() : general(c, next)));
  const auth = authMiddleware(deps.db, deps.auth, deps.clock);
  app.use("/v1/*", auth);
  app.use("/metrics", auth);

  for (const group of ROUTE_GROUPS) app.route("/", group(deps));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "matrix-arena",
      version: "0.1.0",
      description: "Arena evaluation and iterative training-data service. All /v1 routes need `Authorization: Bearer <key>` once a key is configured.",
    },
  });
  app.notFound((c) => errorResponse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
