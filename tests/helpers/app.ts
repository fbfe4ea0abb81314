/** Builds the real app in-process on a given database, for `app.request()` tests. */
import { pino } from "pino";
import type { DbHandle } from "../../db/client.js";
import { loadConfig } from "../../src/config.js";
import { buildDeps, type Deps } from "../../src/deps.js";
import { createApp } from "../../src/http/app.js";
import type { Gateway } from "../../src/gateway/types.js";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  /** Every log line the app wrote (JSON strings), for secret-leak checks. */
  logs: string[];
  /** JSON request helper: sets content-type and the bearer key when given. */
  req(method: string, path: string, body?: unknown, opts?: { key?: string; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function makeTestApp(
  dbHandle: DbHandle,
  env: Record<string, string> = {},
  gateway?: Gateway,
): Promise<TestApp> {
  const config = loadConfig({ MATRIX_ARENA_WORKER: "false", ...env });
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (s: string) => void logs.push(s) });
  const deps = await buildDeps(config, { dbHandle, logger, gateway });
  const app = createApp(deps);
  return {
    app,
    deps,
    logs,
    req: (method, path, body, opts = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key) headers.authorization = `Bearer ${opts.key}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        headers["content-type"] ??= "application/json";
      }
      return Promise.resolve(app.request(path, { method, headers, body: payload }));
    },
    close: async () => {
      await deps.close();
    },
  };
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
