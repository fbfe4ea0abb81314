/**
 * Benchmark prompt sets uploaded for decontamination (MT-Bench, Arena-Hard, AlpacaEval, Self-Instruct
 * file formats): format detection, replace-on-upload storage, and the 13-gram index over chosen sets.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { benchmarkPrompts, benchmarkSets } from "../../../db/schema/index.js";
import { badRequest } from "../../errors.js";
import { BenchmarkFormatError, buildDecontamIndex, loadBenchmarkPrompts, type BenchmarkFormat, type BenchmarkSet, type DecontamIndex } from "../clean/index.js";

export const BENCHMARK_FORMATS = ["mt-bench", "arena-hard", "alpaca-eval", "self-instruct"] as const;

/** The format of a file's text from its shape, or null: a JSON array is AlpacaEval, else the first JSONL record's fields decide. */
export function detectBenchmarkFormat(text: string): BenchmarkFormat | null {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return "alpaca-eval";
  const first = trimmed.split("\n", 1)[0] ?? "";
  let row: unknown;
  try {
    row = JSON.parse(first);
  } catch {
    return null;
  }
  if (typeof row !== "object" || row === null) return null;
  if ("turns" in row) return "mt-bench";
  if ("uid" in row && "prompt" in row) return "arena-hard";
  if ("instruction" in row && "id" in row) return "self-instruct";
  return null;
}

export type BenchmarkSetRow = typeof benchmarkSets.$inferSelect;

/** Parses and stores a prompt set under `name`, replacing a set of that name. */
export async function uploadBenchmark(db: Db, name: string, format: BenchmarkFormat | undefined, text: string): Promise<BenchmarkSetRow> {
  const fmt = format ?? detectBenchmarkFormat(text);
  if (!fmt) throw badRequest(`format: cannot tell the file's format; give one of ${BENCHMARK_FORMATS.join(", ")}`);
  let prompts;
  try {
    prompts = loadBenchmarkPrompts(fmt, text);
  } catch (e) {
    if (e instanceof BenchmarkFormatError) throw badRequest(`body: ${e.message}`);
    throw e;
  }
  if (prompts.length === 0) throw badRequest("body: the file holds no prompts");
  const unique = [...new Map(prompts.map((p) => [p.id, p])).values()];
  return db.transaction(async (tx) => {
    await tx.delete(benchmarkSets).where(eq(benchmarkSets.name, name));
    const [row] = await tx.insert(benchmarkSets).values({ name, format: fmt, prompts: unique.length }).returning();
    for (let i = 0; i < unique.length; i += 500) {
      await tx.insert(benchmarkPrompts).values(unique.slice(i, i + 500).map((p) => ({ setName: name, promptId: p.id, text: p.text })));
    }
    if (!row) throw new Error("benchmark set insert returned nothing");
    return row;
  });
}

export async function listBenchmarks(db: Db): Promise<BenchmarkSetRow[]> {
  return db.select().from(benchmarkSets).orderBy(asc(benchmarkSets.name));
}

export async function deleteBenchmark(db: Db, name: string): Promise<boolean> {
  const rows = await db.delete(benchmarkSets).where(eq(benchmarkSets.name, name)).returning({ name: benchmarkSets.name });
  return rows.length > 0;
}

/** The prompts of the named sets (every uploaded set when `names` is undefined), set by set. */
export async function benchmarkSetsFor(db: Db, names?: string[]): Promise<BenchmarkSet[]> {
  const sets = names ? await db.select().from(benchmarkSets).where(inArray(benchmarkSets.name, names.length > 0 ? names : [""])) : await listBenchmarks(db);
  const missing = (names ?? []).filter((n) => !sets.some((s) => s.name === n));
  if (missing.length > 0) throw badRequest(`benchmarks: no uploaded set named ${missing.map((m) => `'${m}'`).join(", ")}`);
  if (sets.length === 0) return [];
  const rows = await db
    .select({ setName: benchmarkPrompts.setName, id: benchmarkPrompts.promptId, text: benchmarkPrompts.text })
    .from(benchmarkPrompts)
    .where(inArray(benchmarkPrompts.setName, sets.map((s) => s.name)))
    .orderBy(asc(benchmarkPrompts.id));
  return sets.map((s) => ({ benchmark: s.name, prompts: rows.filter((r) => r.setName === s.name) }));
}

/** The decontamination index over the named sets (every uploaded set when `names` is undefined); null when there are none. */
export async function decontamIndexFor(db: Db, names?: string[]): Promise<{ index: DecontamIndex | null; sets: string[] }> {
  const bySet = await benchmarkSetsFor(db, names);
  if (bySet.length === 0) return { index: null, sets: [] };
  return { index: buildDecontamIndex(bySet), sets: bySet.map((s) => s.benchmark) };
}
