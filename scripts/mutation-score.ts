/**
 * Prints the mutation score per folder from Stryker's JSON report (.mutation/mutation.json), the
 * way Stryker computes it: detected (killed + timeout) / (detected + undetected (survived + no
 * coverage)); compile and runtime errors and ignored mutants do not count. Lists surviving mutants
 * so each gets a test or a note. Usage: tsx scripts/mutation-score.ts [report.json]
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

interface Mutant {
  mutatorName: string;
  status: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** Per-folder counts, sorted by folder. */
function scoresByFolder(report: Report): { folder: string; detected: number; undetected: number; score: number }[] {
  const by = new Map<string, { detected: number; undetected: number }>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = dirname(file);
    const c = by.get(folder) ?? { detected: 0, undetected: 0 };
    for (const m of mutants) {
      if (DETECTED.has(m.status)) c.detected++;
      else if (UNDETECTED.has(m.status)) c.undetected++;
    }
    by.set(folder, c);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, c]) => ({ folder, ...c, score: c.detected + c.undetected === 0 ? 100 : (100 * c.detected) / (c.detected + c.undetected) }));
}

function main(): void {
  const path = process.argv[2] ?? ".mutation/mutation.json";
  const report = JSON.parse(readFileSync(path, "utf8")) as Report;
  console.log("mutation score per folder (killed + timeout over killed + timeout + survived + no coverage)");
  for (const r of scoresByFolder(report)) {
    console.log(`  ${r.folder.padEnd(28)} ${r.score.toFixed(1).padStart(5)}%  (${r.detected} detected, ${r.undetected} undetected)`);
  }
  console.log("\nsurviving / uncovered mutants:");
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (!UNDETECTED.has(m.status)) continue;
      console.log(`  ${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}${m.replacement ? ` -> ${m.replacement.replace(/\s+/g, " ").slice(0, 60)}` : ""}`);
    }
  }
}

main();
