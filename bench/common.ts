/**
 * What the benches share: `--name=value` options, a fresh PostgreSQL database beside a base URL,
 * and a `serve` process started from the compiled bin and waited for until it listens.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import postgres from "postgres";

/** The bin the process benches run (compiled; `npm run build` first). */
export const BIN = resolve(import.meta.dirname, "../bin/matrix-arena.js");

/** `--name=value` from argv (everything after the first "="), or `fallback`. */
export function textArg<T extends string | undefined>(argv: string[], name: string, fallback: T): string | T {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

/** `--name=N` from argv, or `fallback`. */
export function arg(argv: string[], name: string, fallback: number): number {
  const hit = textArg(argv, name, undefined);
  return hit === undefined ? fallback : Number(hit);
}

/** A new database `name` beside `base` (a PostgreSQL URL), its URL, and a drop that forces connections out. */
export async function createPgDatabase(base: string, name: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Starts `matrix-arena serve` (with `nodeArgs` before the bin) on a free port with `env` (PATH, PORT=0
 * and LOG_LEVEL=info added) and resolves with its URL once its "matrix-arena listening" line is out;
 * rejects if it exits first. Its stdout keeps flowing afterwards; stderr goes to this process's.
 */
export async function startServe(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcessByStdio<null, Readable, null>; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, "serve"], { env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((res, rej) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n").find((l) => l.includes("matrix-arena listening"));
      if (line) res((JSON.parse(line) as { url: string }).url);
    });
    child.on("exit", (c) => rej(new Error(`server exited ${c}`)));
  });
  child.stdout.resume();
  return { child, url };
}
