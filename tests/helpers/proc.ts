/**
 * Starts `matrix-arena` as a real child process and waits for its "listening" log line. Tests run the
 * sources (through tsx's loader), so they always test the code in the checkout; the compiled package
 * that `bin/matrix-arena.js` runs is tested as a package in tests/e2e/package.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

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
