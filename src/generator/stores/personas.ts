/**
 * Agent profiles (personas): seed-attribute combinations for generation (pure, seeded), the import
 * schema for JSONL personas, and the database reads and writes. Every persona has a goal and a plan;
 * a simulation draws its agents from one persona set.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { dbJson } from "../../../lib/safe-value.js";
import type { Db } from "../../../db/client.js";
import { genPersonas } from "../../../db/schema/index.js";
import type { PersonaView } from "../prompts/matrix.js";
import { PERSONA_SEED_ATTRIBUTES } from "../taxonomy.js";
import { shuffled } from "../../../lib/random.js";

export type PersonaRow = typeof genPersonas.$inferSelect;

const attr = z.string().trim().min(1).max(200);

export const SeedAttributesSchema = z.strictObject({
  occupations: z.array(attr).min(1).max(1000).optional(),
  interests: z.array(attr).min(2).max(1000).optional(),
  regions: z.array(attr).min(1).max(1000).optional(),
  lifeStages: z.array(attr).min(1).max(100).optional(),
});
export type SeedAttributes = z.infer<typeof SeedAttributesSchema>;

export const PersonaImportSchema = dbJson(z.strictObject({
  name: z.string().trim().min(1).max(80),
  goal: z.string().trim().min(1).max(600),
  plan: z.array(z.string().trim().min(1).max(400)).min(1).max(10),
  age: z.number().int().min(0).max(120).optional(),
  occupation: attr.optional(),
  region: attr.optional(),
  lifeStage: attr.optional(),
  interests: z.array(attr).max(20).optional(),
  background: z.string().max(2000).optional(),
  personality: z.string().max(400).optional(),
  externalId: z.union([z.string().min(1).max(256), z.number()]).optional(),
}));
export type PersonaImport = z.infer<typeof PersonaImportSchema>;

export interface SeedCombo {
  occupation: string;
  interests: string[];
  region: string;
  lifeStage: string;
}

/**
 * `n` attribute combinations: occupations, regions and life stages cycle through shuffled copies of
 * their lists (each value used as evenly as possible), two interests per person drawn without
 * repetition within the person.
 */
export function seedCombos(n: number, attrs: SeedAttributes, random: () => number): SeedCombo[] {
  const a = { ...PERSONA_SEED_ATTRIBUTES, ...attrs };
  const cycle = (list: readonly string[]) => {
    let order: string[] = [];
    return () => {
      if (order.length === 0) order = shuffled(random, list);
      return order.pop() ?? list[0] ?? "";
    };
  };
  const occupation = cycle(a.occupations);
  const region = cycle(a.regions);
  const lifeStage = cycle(a.lifeStages);
  return Array.from({ length: n }, () => ({
    occupation: occupation(),
    interests: shuffled(random, a.interests).slice(0, 2),
    region: region(),
    lifeStage: lifeStage(),
  }));
}

/**
 * The fields of a stored profile that prompts use, read back through a schema rather than a cast (the
 * jsonb column is untyped: imports and the persona pipeline validate what they write, but rows of an
 * older version or written by hand are not checked): a field of another type is left out rather than
 * rendered wrongly or thrown on.
 */
const ProfileView = z.object({
  age: z.number().finite().optional().catch(undefined),
  occupation: z.string().optional().catch(undefined),
  region: z.string().optional().catch(undefined),
  lifeStage: z.string().optional().catch(undefined),
  interests: z.array(z.string()).optional().catch(undefined),
  background: z.string().optional().catch(undefined),
  personality: z.string().optional().catch(undefined),
  goal: z.string().optional().catch(undefined),
  plan: z.array(z.string()).optional().catch(undefined),
});

/** The persona as prompts see it. */
export function personaView(row: Pick<PersonaRow, "name" | "profile">): PersonaView {
  const view: PersonaView = { name: row.name };
  for (const [k, v] of Object.entries(ProfileView.parse(row.profile))) if (v !== undefined) Object.assign(view, { [k]: v });
  return view;
}

export interface NewPersona {
  name: string;
  profile: Record<string, unknown>;
  externalId: string | null;
}

/** Inserts personas into a set; an existing (set, externalId) is kept. Returns the ids inserted. */
export async function insertPersonas(db: Db, set: string, source: "generated" | "imported", rows: NewPersona[], runId: string | null = null): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ set, source, runId, ...r }));
    const got = await db.insert(genPersonas).values(chunk).onConflictDoNothing().returning({ id: genPersonas.id });
    ids.push(...got.map((g) => g.id));
  }
  return ids;
}

export async function listPersonas(db: Db, q: { set?: string; limit: number; cursor?: number }): Promise<{ items: PersonaRow[]; nextCursor: string | null }> {
  const conds = [q.set ? eq(genPersonas.set, q.set) : undefined, q.cursor !== undefined ? gt(genPersonas.id, q.cursor) : undefined];
  const rows = await db.select().from(genPersonas).where(and(...conds)).orderBy(asc(genPersonas.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]?.id ?? "") : null };
}

export async function countPersonas(db: Db, set: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(genPersonas).where(eq(genPersonas.set, set));
  return row?.n ?? 0;
}

/**
 * `n` personas of a set in a seeded order: md5 of the persona's content and the seed, so the same
 * personas give the same simulation whatever order they were inserted in (same on PGlite and PostgreSQL).
 */
export async function samplePersonas(db: Db, set: string, n: number, seed: number): Promise<PersonaRow[]> {
  return db
    .select()
    .from(genPersonas)
    .where(eq(genPersonas.set, set))
    .orderBy(sql`md5(${genPersonas.name} || ':' || ${genPersonas.profile}::text || ':' || ${String(seed)})`, asc(genPersonas.id))
    .limit(n);
}
