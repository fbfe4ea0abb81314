/**
 * Data written before the fuzz (models on the simulator, instructions, a round with its battles, an
 * imported battle log, a loop, seed documents) and a snapshot of those rows, compared after the fuzz.
 */
import { expect } from "vitest";
import { apiKeys, battles, genSeeds, instructions, loops, loopShards, models, rounds } from "../../db/schema/index.js";
import type { TestApp } from "../helpers/app.js";
import { mtBenchItems } from "../helpers/arena.js";

export interface Seeded {
  /** Path parameter name -> ids that exist. */
  knownIds: Record<string, string[]>;
}

async function ok(res: Response | Promise<Response>, status: number): Promise<Record<string, unknown>> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function seedArena(t: TestApp, key: string): Promise<Seeded> {
  const opts = { key };
  for (const name of ["seed-a", "seed-b", "seed-judge"]) {
    await ok(t.req("POST", "/v1/models", { name, provider: "sim", model: name === "seed-judge" ? "sim-strong" : name === "seed-a" ? "sim-strong" : "sim-weak" }, opts), 201);
  }
  await ok(t.req("POST", "/v1/instructions", { items: mtBenchItems(8) }, opts), 200);
  const round = await ok(t.req("POST", "/v1/rounds", { name: "seed-round", candidates: ["seed-a", "seed-b"], pairing: "all-pairs", judges: ["seed-judge"] }, opts), 202);
  const log = ['{"model_a":"seed-a","model_b":"seed-b","winner":"model_a","id":"imp-1"}', '{"model_a":"seed-b","model_b":"seed-a","winner":"tie","id":"imp-2"}'].join("\n");
  await ok(t.req("POST", "/v1/battles/import", log, { key, headers: { "content-type": "application/x-ndjson" } }), 200);
  const loop = await ok(t.req("POST", "/v1/loops", { name: "seed-loop", shards: 2, evalHard: 1, evalDiverse: 1 }, opts), 201);
  await ok(t.req("POST", "/v1/generator/seeds", { items: [{ text: "A seed document about tidal energy and coastal grids." }] }, opts), 200);
  return { knownIds: { name: ["seed-a", "seed-b", "seed-judge"], id: [String(round.id), String(loop.id)] } };
}

type Rows = Record<string, unknown>;
export type Snapshot = Record<string, Map<string, Rows>>;

const keyOf = (row: Rows) => (row.id === undefined ? JSON.stringify(row) : String(row.id));

/** Every row of the tables the seed wrote, keyed by id; the key's last-use time is volatile by design. */
export async function snapshot(t: TestApp): Promise<Snapshot> {
  const db = t.deps.db;
  const tables: Record<string, Rows[]> = {
    models: await db.select().from(models),
    instructions: await db.select().from(instructions),
    rounds: await db.select().from(rounds),
    battles: await db.select().from(battles),
    loops: await db.select().from(loops),
    loopShards: await db.select().from(loopShards),
    seeds: await db.select().from(genSeeds),
    keys: (await db.select().from(apiKeys)).map(({ lastUsedAt: _volatile, ...k }) => k),
  };
  return Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, new Map(rows.map((r) => [keyOf(r), r]))]));
}

/** The rows of `before` as they are now (missing rows come back as undefined), for a deep comparison. */
export function sameRowsNow(before: Snapshot, after: Snapshot): Record<string, Rows[]> {
  return Object.fromEntries(Object.entries(before).map(([name, rows]) => [name, [...rows.keys()].map((k) => after[name]?.get(k) as Rows)]));
}

export function rowsOf(s: Snapshot): Record<string, Rows[]> {
  return Object.fromEntries(Object.entries(s).map(([name, rows]) => [name, [...rows.values()]]));
}
