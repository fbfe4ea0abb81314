/**
 * Starts `matrix-arena` as a real child process and waits for its "listening" log line. Tests run the
 * sources (through tsx's loader), so they always test the code in the checkout; the compiled package
 * that `bin/matrix-arena.js` runs is tested as a package in tests/e2e/package.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createFreshDatabase } from "./db.js";

export const CLI_SOURCE = resolve(import.meta.dirname, "../../src/cli/main.ts");

export interface Proc {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", CLI_SOURCE, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on("data", (d: Buffer) => stdout.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return { child, stdout, stderr, exited };
}

/** Resolves with the server URL from the JSON log line "matrix-arena listening", or rejects on exit/timeout. */
export function waitForListening(p: Proc, timeoutMs = 90_000): Promise<string> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no listening line within ${timeoutMs} ms: ${p.stderr.join("")}`)), timeoutMs);
    const check = () => {
      for (const line of p.stdout.join("").split("\n")) {
        if (!line.includes("matrix-arena listening")) continue;
        clearTimeout(timer);
        res((JSON.parse(line) as { url: string }).url);
        return;
      }
    };
    p.child.stdout?.on("data", check);
    void p.exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`exited with ${code}: ${p.stderr.join("")}`));
    });
  });
}

export async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  p.child.kill("SIGTERM");
  await p.exited;
}

/** A request to a spawned server (follows it across restarts). */
export type ProcApi = (method: string, path: string, body?: unknown) => Promise<Response>;

/**
 * The process set a crash test kills and restarts, on one driver: on "pglite" one `serve` on a PGlite
 * data folder (MATRIX_ARENA_DB=pglite) whose embedded worker runs the battles; on "postgres" a `serve`
 * without a worker on a fresh database beside DATABASE_URL and a `matrix-arena worker` beside it.
 */
export interface CrashStack {
  api: ProcApi;
  /** The process running the battles: the worker, or the server with its embedded worker. */
  readonly runner: Proc;
  /** SIGKILLs the runner and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts the runner again (a new `serve`, whose URL `api` follows from then on, or a new worker). */
  restart(): Promise<void>;
  /** Stops every process and drops the fresh database. */
  close(): Promise<void>;
}

/**
 * Starts the stack: `serve` first, then `setUp(api)` (models, instructions, the round), then the
 * separate worker on PostgreSQL. `env` adds to the common settings (2 s leases, warn logs; `serve` logs
 * at info, where its listening line is). Every process is also pushed to `procs` for the suite's cleanup.
 */
export async function startCrashStack<T>(o: {
  driver: string;
  dataDirPrefix: string;
  env: Record<string, string>;
  procs: Proc[];
  setUp: (api: ProcApi) => Promise<T>;
}): Promise<CrashStack & { set: T }> {
  const fresh = o.driver === "postgres" ? await createFreshDatabase() : null;
  const env: Record<string, string> = {
    PORT: "0",
    MATRIX_ARENA_DATA_DIR: mkdtempSync(join(tmpdir(), o.dataDirPrefix)),
    MATRIX_ARENA_LEASE_MS: "2000",
    LOG_LEVEL: "warn",
    ...o.env,
    ...(fresh ? { DATABASE_URL: fresh.url, MATRIX_ARENA_WORKER: "false" } : { MATRIX_ARENA_DB: "pglite" }),
  };
  const serveEnv = { ...env, LOG_LEVEL: "info" };
  const spawnTracked = (args: string[], e: Record<string, string>) => {
    const p = spawnCli(args, e);
    o.procs.push(p);
    return p;
  };
  let server = spawnTracked(["serve"], serveEnv);
  let url = await waitForListening(server);
  const api: ProcApi = (m, p, b) => fetch(`${url}${p}`, { method: m, headers: { "content-type": "application/json" }, body: b === undefined ? undefined : JSON.stringify(b) });
  const set = await o.setUp(api);
  let worker = fresh ? spawnTracked(["worker"], env) : server;
  return {
    api,
    set,
    get runner() {
      return worker;
    },
    kill: async () => {
      worker.child.kill("SIGKILL");
      await worker.exited;
    },
    restart: async () => {
      if (fresh) worker = spawnTracked(["worker"], env);
      else {
        server = spawnTracked(["serve"], serveEnv);
        worker = server;
        url = await waitForListening(server);
      }
    },
    close: async () => {
      await stop(worker);
      await stop(server);
      await fresh?.drop();
    },
  };
}
