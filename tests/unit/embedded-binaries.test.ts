/**
 * The embedded PostgreSQL's binaries as the unprivileged user sees them (db/embedded-pg.ts
 * `binariesFor`): as root, from a folder that user cannot enter (a checkout under a 0700 /root), they
 * are copied once into a reachable cache and run from there; otherwise they are used where npm put them.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binariesFor, embeddedBinaries, unprivilegedUser } from "../../db/embedded-pg.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe("binariesFor", () => {
  it("uses the installed binaries when the server's user can reach them", () => {
    const native = embeddedBinaries();
    expect(binariesFor(null, native)).toBe(native);
    const user = unprivilegedUser();
    // This checkout's node_modules: reachable here unless it sits under a private folder.
    if (user === null) expect(binariesFor(user, native)).toBe(native);
  });

  it("as root, copies binaries the user cannot reach into the cache once and runs them from there", () => {
    const user = unprivilegedUser();
    if (user === null) {
      // Not root: no other user runs the server, so nothing is ever copied.
      const hidden = mkdtempSync(join(tmpdir(), "ma-bin-"));
      made.push(hidden);
      expect(binariesFor(null, join(hidden, "native"), hidden)).toBe(join(hidden, "native"));
      return;
    }
    const priv = mkdtempSync(join(tmpdir(), "ma-private-"));
    const cache = mkdtempSync(join(tmpdir(), "ma-cache-"));
    made.push(priv, cache);
    chmodSync(priv, 0o700);
    chmodSync(cache, 0o755); // like the system's temporary folder: enterable by everyone
    const native = join(priv, "pkg", "native");
    cpSync(embeddedBinaries(), native, { recursive: true, verbatimSymlinks: true });
    const got = binariesFor(user, native, cache);
    expect(got.startsWith(cache)).toBe(true);
    expect(existsSync(join(got, ".complete"))).toBe(true);
    // The unprivileged user runs the copy (it could not run the original).
    const out = execFileSync(join(got, "bin", "postgres"), ["--version"], { uid: user.uid, gid: user.gid }).toString();
    expect(out).toMatch(/PostgreSQL\) \d+/);
    expect(() => execFileSync(join(native, "bin", "postgres"), ["--version"], { uid: user.uid, gid: user.gid, stdio: "ignore" })).toThrow();
    // A second call reuses the copy.
    expect(binariesFor(user, native, cache)).toBe(got);
  });
});
