/**
 * Pure helpers of the embedded PostgreSQL driver (db/embedded-pg.ts): reading the server's own
 * `postmaster.pid`, which is how a second process finds the running server's port, and deciding
 * whether an unprivileged user can reach the data folder.
 */

/** What a `postmaster.pid` says: PostgreSQL writes it on start and removes it on a clean stop. */
export interface PostmasterInfo {
  pid: number;
  port: number;
  /** Line 8, the server's state: "starting", "ready", "stopping" (absent while it starts). */
  status: string;
}

/**
 * Parses `postmaster.pid` (lines: pid, data folder, start time, port, socket folder, listen address,
 * shared memory key, status). Null for a file that is empty, cut short or not a number where one belongs
 * (a server killed while writing it).
 */
export function parsePostmasterPid(text: string): PostmasterInfo | null {
  const lines = text.split("\n").map((l) => l.trim());
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!/^\d+$/.test(lines[0] ?? "") || !/^\d+$/.test(lines[3] ?? "")) return null;
  if (pid <= 0 || port <= 0 || port > 65535) return null;
  return { pid, port, status: lines[7] ?? "" };
}

export interface PathStat {
  uid: number;
  gid: number;
  mode: number;
}

/**
 * The first folder on the way to `target` (from the root down, `target` included) that `user` may not
 * enter (no search permission for its owner, group or others class), or null when every one is open to
 * it. PostgreSQL changes into its data folder by path, so one closed parent (a 0700 home folder) stops it.
 */
export function blockedAncestor(target: string, user: { uid: number; gid: number }, stat: (path: string) => PathStat | null): string | null {
  const parts = target.split("/").filter((p) => p !== "");
  for (let i = 0; i <= parts.length; i++) {
    const path = "/" + parts.slice(0, i).join("/");
    const s = stat(path);
    if (s === null) return null; // not created yet: it will be created for the user
    if (user.uid === 0) continue;
    const bit = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return path;
  }
  return null;
}

/** The connection URL of an embedded server (the password is URL-encoded). */
export function embeddedUrl(port: number, password: string, database = "postgres"): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
