/**
 * The house plan (docs/architecture.md), checked on the source: which folder may import which, and
 * the few rules inside src/. Reads every .ts file's relative imports as text (static, dynamic and
 * type-only alike); a new edge that breaks a rule fails here with the file and the import named.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const TOP = ["lib", "db", "judges", "battles", "reports", "src"] as const;
type Top = (typeof TOP)[number];

/** What each top-level folder may import besides itself (DESIGN.md's table, with lib/ as the floor under all). */
const MAY_IMPORT: Record<Top, readonly Top[]> = {
  lib: [],
  db: ["lib"],
  judges: ["lib"],
  battles: ["judges", "db", "lib"],
  reports: ["db", "lib"],
  src: ["lib", "db", "judges", "battles", "reports"],
};

/**
 * src/exports/, the one home of training-data export, in the order its data flows: the shapes, the
 * groups read from the database, what is withheld, selection, formatting (and the loader configs and
 * card that describe a formatted file), the JSONL stream, and the service that wires them for routes.
 */
const EXPORT_STAGES: readonly (readonly string[])[] = [
  ["select-types.ts", "memo-last.ts"],
  ["groups.ts"],
  ["withheld.ts", "withheld-sets.ts"],
  ["select.ts", "select-key.ts", "select-score.ts", "select-rows.ts"],
  ["format.ts", "format-turns.ts", "axolotl-config.ts", "dataset-info.ts", "dataset-card.ts"],
  ["stream.ts", "stream-json.ts"],
  ["service.ts"],
];
const exportStage = (file: string): number | undefined => {
  const i = EXPORT_STAGES.findIndex((stage) => stage.includes(file));
  return i < 0 ? undefined : i;
};
/** What src/exports/ may import outside itself: the floors, the round row type, errors, and the generator's cleaning it shares. */
const EXPORTS_MAY_IMPORT = ["lib/", "db/", "judges/", "battles/round-store.ts", "src/errors.ts", "src/generator/"];
/** The only src/exports/ files that touch the database. */
const EXPORTS_IO = ["groups.ts", "withheld-sets.ts", "service.ts"];

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "migrations") out.push(...sourceFiles(p));
    } else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const top of TOP) {
    for (const file of sourceFiles(join(ROOT, top))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        const spec = m[1] ?? "";
        out.push({ from: relative(ROOT, file), to: relative(ROOT, resolve(dirname(file), spec)).replace(/\.js$/, ".ts") });
      }
    }
  }
  return out;
}

const topOf = (p: string) => p.split("/")[0] as Top;
const ALL = edges();
const show = (es: Edge[]) => es.map((e) => `${e.from} -> ${e.to}`);

describe("architecture: who may import whom", () => {
  it("reads a plausible number of imports (the scanner works)", () => {
    expect(ALL.length).toBeGreaterThan(300);
    expect(ALL.some((e) => e.from.startsWith("battles/") && e.to.startsWith("db/"))).toBe(true);
  });

  for (const top of TOP) {
    it(`${top}/ imports only ${MAY_IMPORT[top].length ? MAY_IMPORT[top].map((t) => `${t}/`).join(", ") : "nothing internal"}`, () => {
      const bad = ALL.filter((e) => topOf(e.from) === top && topOf(e.to) !== top && !MAY_IMPORT[top].includes(topOf(e.to)));
      expect(show(bad)).toEqual([]);
    });
  }

  it("reports/ reaches db/ from one file only (reports/queries.ts)", () => {
    const files = new Set(ALL.filter((e) => e.from.startsWith("reports/") && e.to.startsWith("db/")).map((e) => e.from));
    expect([...files]).toEqual(["reports/queries.ts"]);
  });

  it("route files do not import each other (only the route list imports them)", () => {
    const bad = ALL.filter((e) => e.from.startsWith("src/http/routes/") && e.to.startsWith("src/http/routes/") && e.from !== "src/http/routes/index.ts");
    expect(show(bad)).toEqual([]);
  });

  it("nothing below the CLI imports the CLI", () => {
    const bad = ALL.filter((e) => e.to.startsWith("src/cli/") && !e.from.startsWith("src/cli/"));
    expect(show(bad)).toEqual([]);
  });

  it("the composition root, services, generator, exports, gateway and simulator do not import the HTTP layer", () => {
    const lower = ["src/deps.ts", "src/services/", "src/generator/", "src/exports/", "src/gateway/", "src/sim/", "src/config.ts", "src/errors.ts"];
    const bad = ALL.filter((e) => lower.some((l) => e.from.startsWith(l)) && e.to.startsWith("src/http/"));
    expect(show(bad)).toEqual([]);
  });

  it("battles/ holds no training-data export code (selection, groups and formats live in src/exports/)", () => {
    const stray = sourceFiles(join(ROOT, "battles"))
      .map((f) => relative(ROOT, f))
      .filter((f) => /^battles\/(select|selection|export|memo-last|format|withheld|dataset)/.test(f));
    expect(stray).toEqual([]);
  });

  it(`src/exports/ imports only ${EXPORTS_MAY_IMPORT.join(", ")} outside itself`, () => {
    const bad = ALL.filter((e) => e.from.startsWith("src/exports/") && !e.to.startsWith("src/exports/") && !EXPORTS_MAY_IMPORT.some((p) => e.to.startsWith(p)));
    expect(show(bad)).toEqual([]);
  });

  it("src/exports/ files sit in the order the data flows: each imports only its own stage or earlier ones", () => {
    const files = sourceFiles(join(ROOT, "src/exports")).map((f) => relative(join(ROOT, "src/exports"), f));
    expect(files.filter((f) => exportStage(f) === undefined)).toEqual([]);
    const bad = ALL.filter((e) => {
      if (!e.from.startsWith("src/exports/") || !e.to.startsWith("src/exports/")) return false;
      const [from, to] = [exportStage(e.from.slice("src/exports/".length)), exportStage(e.to.slice("src/exports/".length))];
      return from === undefined || to === undefined || to > from;
    });
    expect(show(bad)).toEqual([]);
  });

  it(`src/exports/ reads the database from ${EXPORTS_IO.join(", ")} only; selection, withholding, formats and the stream are pure`, () => {
    const io = EXPORTS_IO.map((f) => `src/exports/${f}`);
    const dbEdges = ALL.filter((e) => e.from.startsWith("src/exports/") && e.to.startsWith("db/") && !io.includes(e.from));
    expect(show(dbEdges)).toEqual([]);
    const drivers = sourceFiles(join(ROOT, "src/exports"))
      .map((f) => relative(ROOT, f))
      .filter((f) => !io.includes(f) && /from\s+"(drizzle-orm[^"]*|postgres|@electric-sql\/[^"]+)"/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(drivers).toEqual([]);
  });

  it("the rest of the app reaches src/exports/ through service.ts (and format.ts for the format names)", () => {
    const entry = ["src/exports/service.ts", "src/exports/format.ts"];
    const bad = ALL.filter((e) => e.from.startsWith("src/") && !e.from.startsWith("src/exports/") && e.to.startsWith("src/exports/") && !entry.includes(e.to));
    expect(show(bad)).toEqual([]);
  });

  it("the generator's top level holds only its vocabularies; everything else sits in a folder by role", () => {
    const top = readdirSync(join(ROOT, "src/generator")).filter((n) => n.endsWith(".ts"));
    expect(top.sort()).toEqual(["requests.ts", "taxonomy.ts"]);
  });

  it("the generator's algorithms/ and clean/ are pure: lib/, their own folder and the vocabularies, no package", () => {
    const pure = ["src/generator/algorithms/", "src/generator/clean/"];
    const folderOf = (p: string) => pure.find((f) => p.startsWith(f));
    const bad = ALL.filter((e) => {
      const f = folderOf(e.from);
      return f !== undefined && !e.to.startsWith(f) && !e.to.startsWith("lib/") && e.to !== "src/generator/taxonomy.ts";
    });
    expect(show(bad)).toEqual([]);
    const packages = pure.flatMap((f) =>
      sourceFiles(join(ROOT, f)).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^".][^"]*)"/g)].map((m) => `${relative(ROOT, file)} -> ${m[1]}`)),
    );
    expect(packages).toEqual([]);
  });

  it("the generator's stores/ and prompts/ do not import its engine/ or pipelines/ (layers call down)", () => {
    const lower = ["src/generator/stores/", "src/generator/prompts/"];
    const bad = ALL.filter((e) => lower.some((l) => e.from.startsWith(l)) && (e.to.startsWith("src/generator/engine/") || e.to.startsWith("src/generator/pipelines/")));
    expect(show(bad)).toEqual([]);
  });

  it("the HTTP layer does not import the workers", () => {
    const bad = ALL.filter((e) => e.from.startsWith("src/http/") && /(^|\/)worker\.ts$/.test(e.to));
    expect(show(bad)).toEqual([]);
  });
});
