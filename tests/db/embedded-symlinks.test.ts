/**
 * The embedded PostgreSQL's library links where the platform package's postinstall did not run
 * (install scripts refused): db/embedded-pg.ts makes them from the package's pg-symlinks.json.
 */
import { mkdirSync, mkdtempSync, readlinkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hydrateSymlinks } from "../../db/embedded-pg.js";

const root = mkdtempSync(join(tmpdir(), "ma-pg-links-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("hydrateSymlinks", () => {
  it("makes the missing links, relative to their folder, and leaves existing files alone", () => {
    const native = join(root, "native");
    mkdirSync(join(native, "lib"), { recursive: true });
    writeFileSync(join(native, "lib/libicuuc.so.60.2"), "lib");
    writeFileSync(join(native, "lib/libkept.so.1"), "a real file");
    writeFileSync(
      join(native, "pg-symlinks.json"),
      JSON.stringify([
        { source: "native/lib/libicuuc.so.60.2", target: "native/lib/libicuuc.so.60" },
        { source: "native/lib/libicuuc.so.60.2", target: "native/lib/libicuuc.so" },
        { source: "native/lib/libicuuc.so.60.2", target: "native/lib/libkept.so.1" },
      ]),
    );
    hydrateSymlinks(native);
    expect(readlinkSync(join(native, "lib/libicuuc.so.60"))).toBe("libicuuc.so.60.2");
    expect(readFileSync(join(native, "lib/libicuuc.so"), "utf8")).toBe("lib");
    expect(readFileSync(join(native, "lib/libkept.so.1"), "utf8")).toBe("a real file");
    // A second call (every start) changes nothing.
    hydrateSymlinks(native);
    expect(readlinkSync(join(native, "lib/libicuuc.so.60"))).toBe("libicuuc.so.60.2");
  });

  it("does nothing for a package without a link list", () => {
    const native = join(root, "bare");
    mkdirSync(native);
    expect(() => hydrateSymlinks(native)).not.toThrow();
  });
});
