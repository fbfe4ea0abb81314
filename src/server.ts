/**
 * `matrix-arena serve`: the HTTP API plus an embedded worker. With no API key anywhere the server
 * runs in local mode, which binds to loopback only and refuses a non-loopback HOST.
 */
import { serve, type ServerType } from "@hono/node-server";
import { type Config, isLoopbackHost } from "./config.js";
import { buildDeps, type BuildOptions, type Deps } from "./deps.js";
import { createApp } from "./http/app.js";
import { startBackground } from "./background.js";
import { StartupError } from "./errors.js";
import type { StopOptions } from "../lib/job-loop.js";

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  /** Stops accepting connections, then the background work (see Background.stop), then the database. */
  close(opts?: StopOptions): Promise<void>;
  /** Jobs the last close released to the queue. */
  releasedJobs(): number;
}

export async function startServer(config: Config, opts: BuildOptions = {}): Promise<RunningServer> {
  const deps = await buildDeps(config, opts);
  try {
    if (!deps.auth.enforced) {
      if (!isLoopbackHost(config.host)) {
        throw new StartupError(
          `HOST=${config.host} is not a loopback address and no API key is configured: set MATRIX_ARENA_API_KEY ` +
            `(at least 16 characters) to serve on a network, or use HOST=127.0.0.1`,
        );
      }
      deps.logger.warn({ host: config.host }, "local mode: no API key configured; serving on loopback only, every request is allowed");
    }
    const app = createApp(deps);
    const background = startBackground(deps);
    const server = await listen(app.fetch, config.host, config.port);
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    deps.logger.info({ url, database: deps.dbHandle.kind, auth: deps.auth.enforced ? "api-keys" : "local" }, "matrix-arena listening");
    return {
      url,
      port,
      deps,
      releasedJobs: () => background.released(),
      close: async (opts) => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await background.stop(opts);
        await deps.close();
      },
    };
  } catch (e) {
    await deps.close();
    throw e;
  }
}

function listen(fetch: (req: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once("error", reject);
  });
}
