#!/usr/bin/env node
// Runs the compiled CLI in dist/ (`npm run build`; `npm install` builds it through `prepare`, and a packed
// package ships it). In a source checkout it warns when a source file is newer than the build.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("matrix-arena: dist/ is missing; run `npm run build` (npm install runs it)\n");
  process.exit(1);
}
if (existsSync(`${root}.git`) && existsSync(`${root}src`)) {
  const built = statSync(`${root}dist/BUILT`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newer = ["src", "lib", "db", "judges", "battles", "reports"].some((dir) =>
    readdirSync(`${root}${dir}`, { recursive: true }).some((f) => typeof f === "string" && !f.startsWith("migrations") && statSync(`${root}${dir}/${f}`).mtimeMs > built),
  );
  if (newer) process.stderr.write("matrix-arena: warning: sources changed since the last build; run `npm run build` (or `npm run dev` to run the sources)\n");
}
await import(main.href);
