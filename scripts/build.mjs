#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` / `npm ci` build too): compiles the service to dist/
// with the TypeScript compiler (tsconfig.build.json) and copies the files it reads at run time (the
// migrations, the dashboard's page, the simulator's default preset) to the same places under dist/.
// Plain JavaScript, so it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

/** Folders whose non-TypeScript files the code reads at run time, relative to the package root. */
const ASSETS = [
  { dir: "db/migrations", keep: () => true },
  { dir: "src/http/dashboard", keep: (f) => /\.(html|css|js)$/.test(f) },
  { dir: "src/sim/presets", keep: (f) => f.endsWith(".json") },
];

/** The compiler's entry: typescript's `bin/tsc`, found from its package.json (its exports hide bin/). */
function findTsc() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin/tsc");
  } catch {
    const local = join(root, "node_modules/typescript/bin/tsc");
    return existsSync(local) ? local : null;
  }
}

const tsc = findTsc();
if (tsc === null || !existsSync(tsc)) {
  if (existsSync(join(dist, "src/cli/main.js"))) {
    // An install without dev dependencies (a packed package) ships dist/ already built.
    process.exit(0);
  }
  process.stderr.write("build: the TypeScript compiler is not installed (npm install --include=dev)\n");
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
const out = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (out.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${out.status ?? out.signal})\n`);
  process.exit(out.status ?? 1);
}
for (const { dir, keep } of ASSETS) {
  const from = join(root, dir);
  const to = join(dist, dir);
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!f.isFile() || !keep(f.name)) continue;
    const rel = join(f.parentPath ?? f.path, f.name).slice(from.length + 1);
    mkdirSync(dirname(join(to, rel)), { recursive: true });
    cpSync(join(from, rel), join(to, rel));
  }
}
writeFileSync(join(dist, "BUILT"), `${new Date().toISOString()}\n`);
