/** Shared set-up for arena tests: the simulator's models registered, real prompts imported, polling. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "vitest";
import type { TestApp } from "./app.js";

export const SHARED_DATA = resolve(import.meta.dirname, "../../../shared/data");
/** Whether the benchmark prompt sets are there; suites that read them are skipped (and counted) when not. */
export const HAS_SHARED_DATA = ["mt-bench-questions.jsonl", "arena-hard-v0.1-questions.jsonl"].every((f) => existsSync(resolve(SHARED_DATA, f)));

/** The first `n` MT-bench first turns, with their categories, as instruction items. */
export function mtBenchItems(n: number): { text: string; category: string; externalId: string; source: string }[] {
  const lines = readFileSync(resolve(SHARED_DATA, "mt-bench-questions.jsonl"), "utf8").trim().split("\n");
  return lines.slice(0, n).map((l) => {
    const q = JSON.parse(l) as { question_id: number; category: string; turns: string[] };
    return { text: q.turns[0] ?? "", category: q.category, externalId: String(q.question_id), source: "mt-bench" };
  });
}

/** Arena-Hard prompts, as instruction items. */
export function arenaHardItems(n: number): { text: string; category: string; externalId: string; source: string }[] {
  const lines = readFileSync(resolve(SHARED_DATA, "arena-hard-v0.1-questions.jsonl"), "utf8").trim().split("\n");
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
