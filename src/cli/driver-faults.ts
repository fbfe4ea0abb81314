/**
 * A safety net for the long-running commands (serve, worker) against one class of fault: postgres.js
 * 3.4 throws from its own timers after a connection is lost (e.g. `nextWrite` on a socket it has
 * already closed, seen when PostgreSQL restarts mid-round). Those throws are outside any query, so
 * nothing can catch them where they happen, and by default they end the process, losing the worker
 * while the database is only restarting. An uncaught exception raised inside postgres.js's own code is
 * logged and the process carries on (the connection it belonged to is already gone; the pool opens a
 * new one for the next query). Anything else still ends the process with exit 1, as before.
 */
import type { Logger } from "../logger.js";

const DRIVER_FRAME = /[\\/]node_modules[\\/]postgres[\\/]src[\\/]/;

/** True when `err` was thrown by postgres.js's own code (its top stack frame is inside the package). */
export function thrownByDriver(err: unknown): boolean {
  if (!(err instanceof Error) || typeof err.stack !== "string") return false;
  const frames = err.stack.split("\n").filter((l) => /^\s+at /.test(l));
  return frames[0] !== undefined && DRIVER_FRAME.test(frames[0]);
}

export function survivePostgresDriverFaults(logger: Pick<Logger, "warn" | "fatal">): void {
  process.on("uncaughtException", (err) => {
    if (thrownByDriver(err)) {
      logger.warn({ err }, "postgres driver fault after a lost connection; continuing (the pool reconnects)");
      return;
    }
    logger.fatal({ err }, "uncaught exception");
    process.exit(1);
  });
}
