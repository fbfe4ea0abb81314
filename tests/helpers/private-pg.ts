/**
 * A private PostgreSQL server that a test starts, stops and restarts itself (never the machine's
 * shared one): initdb into a temporary folder, pg_ctl on a free port, trust auth on 127.0.0.1. Uses
 * the server binaries of the installed PostgreSQL (/usr/lib/postgresql/<version>/bin, or PG_BIN).
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user via runuser.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folder holding initdb and pg_ctl, or null when no PostgreSQL server is installed. */
export function findPgBin(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, "pg_ctl"))) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin/pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivatePg {
  url: string;
  port: number;
  start(): void;
  /** `pg_ctl stop -m fast`: open connections are closed, as when a server restarts. */
  stop(): void;
  destroy(): void;
}

export async function startPrivatePg(): Promise<PrivatePg> {
  const bin = findPgBin();
  if (!bin) throw new Error("no PostgreSQL server binaries (set PG_BIN)");
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "ma-pg-"));
  const data = join(dir, "data");
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const as = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    const out = root ? spawnSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8" }) : spawnSync(full, args, { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${cmd} failed (${out.status}): ${out.stderr}${out.stdout}`);
  };
  as("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const pg: PrivatePg = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => as("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "-t", "60", "start"]),
    stop: () => as("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]),
    destroy: () => {
      try {
        pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  return pg;
}
