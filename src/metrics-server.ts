/**
 * `GET /metrics` for a `matrix-arena worker` process, which serves no API: with MATRIX_ARENA_METRICS_PORT
 * set, the worker's own `Metrics` (its gateway's call counters, process metrics, the database gauges)
 * are served on 127.0.0.1:<port>. Loopback only, and so without auth: only processes on the same
 * machine can reach it, and it answers nothing but the exposition (no data, no secrets). A scraper on
 * another machine goes through something local (a Prometheus agent, an SSH tunnel).
 */
import { createServer, type Server } from "node:http";
import type { JobLog } from "../lib/job-loop.js";
import { StartupError } from "./errors.js";
import { METRICS_CONTENT_TYPE, type Metrics } from "./services/metrics.js";

export const METRICS_HOST = "127.0.0.1";

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `metrics` on 127.0.0.1:`port` (0 = any free port); resolves once listening. */
export async function startMetricsServer(metrics: Metrics, port: number, log: JobLog): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: this port serves only GET /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed: GET /metrics\n");
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(req.method === "HEAD" ? undefined : text),
      (e: unknown) => {
        // A scrape while the database is away: the scraper sees a 503 and tries again next interval.
        log.warn({ err: e instanceof Error ? e.message : String(e) }, "metrics scrape failed");
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("metrics unavailable\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    // A port already taken stops the worker at start-up with the variable named, like bad config.
    server.once("error", (e) => reject(new StartupError(`MATRIX_ARENA_METRICS_PORT=${port}: cannot listen on ${METRICS_HOST}:${port}: ${e.message}`)));
    server.listen(port, METRICS_HOST, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  const url = `http://${METRICS_HOST}:${bound}/metrics`;
  log.info({ url }, "metrics listening");
  return {
    url,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
