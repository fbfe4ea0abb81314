import { describe, expect, it } from "vitest";
import { pickEmbeddedDriver, type EmbeddedChoiceInput } from "../../db/embedded-choice.js";
import { blockedAncestor, embeddedUrl, parsePostmasterPid, type PathStat } from "../../db/embedded-files.js";

describe("parsePostmasterPid", () => {
  const full = "4242\n/data/postgres\n1765000000\n54321\n\n127.0.0.1\n  1234567   98765\nready   \n";
  const cases: { name: string; text: string; want: ReturnType<typeof parsePostmasterPid> }[] = [
    { name: "a ready server", text: full, want: { pid: 4242, port: 54321, status: "ready" } },
    { name: "starting (status line not yet written)", text: "4242\n/data/postgres\n1765000000\n54321\n\n127.0.0.1\n", want: { pid: 4242, port: 54321, status: "" } },
    { name: "stopping", text: full.replace("ready   ", "stopping"), want: { pid: 4242, port: 54321, status: "stopping" } },
    { name: "empty file (killed while writing)", text: "", want: null },
    { name: "cut after the pid", text: "4242\n/data/postgres\n", want: null },
    { name: "pid not a number", text: full.replace("4242", "42a"), want: null },
    { name: "negative pid", text: full.replace("4242", "-1"), want: null },
    { name: "port out of range", text: full.replace("54321", "70000"), want: null },
    { name: "port zero", text: full.replace("54321", "0"), want: null },
  ];
  for (const tc of cases) it(tc.name, () => expect(parsePostmasterPid(tc.text)).toEqual(tc.want));
});

describe("blockedAncestor", () => {
  const pg = { uid: 101, gid: 104 };
  const tree = (entries: Record<string, PathStat>) => (p: string) => entries[p] ?? null;
  const root: PathStat = { uid: 0, gid: 0, mode: 0o40755 };
  const cases: { name: string; stats: Record<string, PathStat>; target: string; user: { uid: number; gid: number }; want: string | null }[] = [
    { name: "all open", stats: { "/": root, "/srv": root, "/srv/d": root }, target: "/srv/d", user: pg, want: null },
    { name: "a 0700 home folder on the way", stats: { "/": root, "/root": { ...root, mode: 0o40700 }, "/root/app": root }, target: "/root/app", user: pg, want: "/root" },
    { name: "the target itself closed", stats: { "/": root, "/tmp": { uid: 0, gid: 0, mode: 0o41777 }, "/tmp/x": { ...root, mode: 0o40700 } }, target: "/tmp/x", user: pg, want: "/tmp/x" },
    { name: "owner bit counts for the owner", stats: { "/": root, "/home": root, "/home/pg": { uid: 101, gid: 1, mode: 0o40700 } }, target: "/home/pg", user: pg, want: null },
    { name: "group bit counts for the group", stats: { "/": root, "/g": { uid: 0, gid: 104, mode: 0o40710 } }, target: "/g", user: pg, want: null },
    { name: "others bit does not help a member of the group", stats: { "/": root, "/g": { uid: 0, gid: 104, mode: 0o40701 } }, target: "/g", user: pg, want: "/g" },
    { name: "not created yet: stops at the first missing folder", stats: { "/": root, "/srv": root }, target: "/srv/new/deeper", user: pg, want: null },
    { name: "root passes anything", stats: { "/": root, "/root": { ...root, mode: 0o40700 } }, target: "/root", user: { uid: 0, gid: 0 }, want: null },
  ];
  for (const tc of cases) it(tc.name, () => expect(blockedAncestor(tc.target, tc.user, tree(tc.stats))).toBe(tc.want));
});

describe("embeddedUrl", () => {
  it("encodes the password", () => expect(embeddedUrl(5433, "a/b+c=")).toBe("postgres://postgres:a%2Fb%2Bc%3D@127.0.0.1:5433/postgres"));
});

describe("pickEmbeddedDriver", () => {
  const base: EmbeddedChoiceInput = { requested: undefined, holdsPglite: false, holdsPostgres: false, embeddedUnavailable: () => null };
  const cases: { name: string; input: Partial<EmbeddedChoiceInput>; want: string }[] = [
    { name: "fresh folder: the embedded PostgreSQL", input: {}, want: "embedded" },
    { name: "fresh folder where it cannot run: PGlite", input: { embeddedUnavailable: () => "no binaries" }, want: "pglite" },
    { name: "a folder holding PGlite stays PGlite", input: { holdsPglite: true }, want: "pglite" },
    { name: "a folder holding PostgreSQL stays PostgreSQL", input: { holdsPostgres: true }, want: "embedded" },
    { name: "both: the embedded PostgreSQL", input: { holdsPglite: true, holdsPostgres: true }, want: "embedded" },
    { name: "asked for PGlite on a PostgreSQL folder", input: { requested: "pglite", holdsPostgres: true }, want: "pglite" },
    { name: "asked for embedded on a PGlite folder", input: { requested: "embedded", holdsPglite: true }, want: "embedded" },
    { name: "asked for embedded where it cannot run (the open then says why)", input: { requested: "embedded", embeddedUnavailable: () => "no binaries" }, want: "embedded" },
  ];
  for (const tc of cases) it(tc.name, () => expect(pickEmbeddedDriver({ ...base, ...tc.input }).driver).toBe(tc.want));
  it("says why it fell back", () => {
    expect(pickEmbeddedDriver({ ...base, embeddedUnavailable: () => "no binaries for sunos-x64" }).reason).toContain("no binaries for sunos-x64");
  });
  it("asks whether it can run only for a fresh folder", () => {
    let asked = 0;
    pickEmbeddedDriver({ ...base, holdsPglite: true, embeddedUnavailable: () => (asked++, null) });
    expect(asked).toBe(0);
  });
});
