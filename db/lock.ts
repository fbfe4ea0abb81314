/**
 * A lock file for the embedded database. PGlite has no lock of its own, and two processes on one
 * data folder silently lose writes, so the second one is refused. A lock left by a dead process
 * (crash, SIGKILL) is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `the data folder is in use by another matrix-arena process (pid ${holderPid}, lock ${lockPath}); ` +
        `stop it first, use another MATRIX_ARENA_DATA_DIR, or set DATABASE_URL to share a PostgreSQL server`,
    );
    this.name = "DataDirLockedError";
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM means the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): { pid: number; host: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; host?: unknown };
    return typeof parsed.pid === "number"
      ? { pid: parsed.pid, host: typeof parsed.host === "string" ? parsed.host : "" }
      : null;
  } catch {
    return null;
  }
}

/** Takes the lock or throws `DataDirLockedError`; returns a release function. */
export function acquireLock(lockPath: string): () => void {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const holder = readHolder(lockPath);
        if (holder?.pid === process.pid) unlinkSync(lockPath);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readHolder(lockPath);
      const sameHost = holder !== null && (holder.host === "" || holder.host === hostname());
      if (holder && sameHost && holder.pid !== process.pid && pidAlive(holder.pid)) {
        throw new DataDirLockedError(lockPath, holder.pid);
      }
      if (holder && holder.pid === process.pid) throw new DataDirLockedError(lockPath, holder.pid);
      // Stale lock (holder gone, or unreadable after a crash mid-write): remove and retry once.
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else removed it first */
      }
    }
  }
  const holder = readHolder(lockPath);
  throw new DataDirLockedError(lockPath, holder?.pid ?? -1);
}
