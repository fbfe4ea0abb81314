/** Shared set-up for arena tests: the simulator's models registered, real prompts imported, polling. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect } from "vitest";
import type { TestApp } from "./app.js";

/**
 * The benchmark prompt sets next to the checkout, or the folder named by MATRIX_ARENA_SHARED_DATA (read
 * only here, in the tests' helpers: tests/unit/shared-data-guard.test.ts points it at an empty folder).
 */
export const SHARED_DATA = process.env.MATRIX_ARENA_SHARED_DATA ? resolve(process.env.MATRIX_ARENA_SHARED_DATA) : resolve(import.meta.dirname, "../../../shared/data");
/** Every file the suites read from SHARED_DATA (the same five `.ci/run` checks before it starts). */
export const SHARED_DATA_FILES = ["mt-bench-questions.jsonl", "arena-hard-v0.1-questions.jsonl", "alpaca-eval-prompts.json", "self-instruct-seed-tasks.jsonl", "self-instruct-user-oriented.jsonl"] as const;
export type SharedDataFile = (typeof SHARED_DATA_FILES)[number];
/** The files of SHARED_DATA_FILES that are missing (or empty) here. */
export const MISSING_SHARED_DATA = SHARED_DATA_FILES.filter((f) => !existsSync(resolve(SHARED_DATA, f)) || statSync(resolve(SHARED_DATA, f)).size === 0);
/** Whether every benchmark prompt set is there; suites that read them are skipped (and counted) when not. */
export const HAS_SHARED_DATA = MISSING_SHARED_DATA.length === 0;

/**
 * A suite that reads ../shared/data: registered as skipped when a file is missing, its title then naming
 * what is missing, so a run without the data counts skips instead of crashing at collection.
 */
export function describeWithSharedData(title: string, body: () => void): void {
  const missing = HAS_SHARED_DATA ? "" : ` [skipped: ${MISSING_SHARED_DATA.join(", ")} missing from ${SHARED_DATA}]`;
  describe.skipIf(!HAS_SHARED_DATA)(`${title}${missing}`, body);
}

/** The text of one file of SHARED_DATA; call it lazily (in a hook or a test), never at a module's top level. */
export function readSharedData(file: SharedDataFile): string {
  return readFileSync(resolve(SHARED_DATA, file), "utf8");
}

/** The first `n` MT-bench first turns, with their categories, as instruction items. */
export function mtBenchItems(n: number): { text: string; category: string; externalId: string; source: string }[] {
  const lines = readSharedData("mt-bench-questions.jsonl").trim().split("\n");
  return lines.slice(0, n).map((l) => {
    const q = JSON.parse(l) as { question_id: number; category: string; turns: string[] };
    return { text: q.turns[0] ?? "", category: q.category, externalId: String(q.question_id), source: "mt-bench" };
  });
}

/** The first `n` MT-bench questions with both their turns, as multi-turn instruction items. */
export function mtBenchTurnItems(n: number): { turns: string[]; category: string; externalId: string; source: string }[] {
  const lines = readSharedData("mt-bench-questions.jsonl").trim().split("\n");
  return lines.slice(0, n).map((l) => {
    const q = JSON.parse(l) as { question_id: number; category: string; turns: string[] };
    return { turns: q.turns, category: q.category, externalId: String(q.question_id), source: "mt-bench-2turn" };
  });
}

/** Synthetic prompts over the simulator's categories, each with its own key words (no shared data needed). */
export function syntheticItems(n: number): { text: string; category: string; externalId: string; source: string }[] {
  const kw = ["code", "calculate", "essay", "puzzle", "extract", "pretend", "physics", "history"];
  const words = ["river", "market", "engine", "garden", "harbor", "ledger", "signal", "canvas", "orbit", "lantern", "meadow", "quartz"];
  return Array.from({ length: n }, (_, k) => ({
    text: `${kw[k % kw.length]} task ${k}: relate the ${words[k % 12]}, the ${words[(k * 5 + 3) % 12]} and the ${words[(k * 7 + 1) % 12]}.`,
    category: "mixed",
    externalId: `adaptive-${k}`,
    source: "adaptive-test",
  }));
}

/** Arena-Hard prompts, as instruction items. */
export function arenaHardItems(n: number): { text: string; category: string; externalId: string; source: string }[] {
  const lines = readSharedData("arena-hard-v0.1-questions.jsonl").trim().split("\n");
  return lines.slice(0, n).map((l) => {
    const q = JSON.parse(l) as { uid: string; category: string; prompt: string };
    return { text: q.prompt, category: "arena-hard", externalId: q.uid, source: "arena-hard" };
  });
}

export async function registerSimModels(t: TestApp, names: string[], extra: Record<string, unknown> = {}): Promise<void> {
  for (const name of names) {
    const res = await t.req("POST", "/v1/models", { name, provider: "sim", model: name, maxConcurrency: 32, ...extra });
    expect(res.status).toBe(201);
  }
}

export async function importItems(t: TestApp, items: unknown[]): Promise<void> {
  const res = await t.req("POST", "/v1/instructions", { items });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { inserted: number; rejected: unknown[] };
  expect(body.rejected).toEqual([]);
}

export interface Progress {
  id: string;
  status: string;
  counts: { total: number; done: number; failed: number; pending: number; running: number; invalid: number };
  responses: number;
  judgments: { total: number; invalid: number };
  tokens: { total: number };
  errors: Record<string, number>;
}

export async function waitForRound(get: () => Promise<Progress>, timeoutMs = 240_000, until: (p: Progress) => boolean = (p) => ["done", "failed", "cancelled"].includes(p.status)): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await get();
    if (until(p)) return p;
    if (Date.now() > deadline) throw new Error(`round not finished in ${timeoutMs} ms: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
