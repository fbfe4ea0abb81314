/**
 * A round's instruction pool: the instructions its filter matches (category, source, ids, minus the
 * held-out ones), in the round's seeded order (md5 of id and seed, so the same request picks the same
 * instructions on PGlite and PostgreSQL). Fixed plans take the first `limit`; adaptive waves choose
 * among the first ones a pair has not met, by category (battles/instruction-choice.ts).
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { instructions, type RoundOptions } from "../db/schema/index.js";

function instructionFilter(o: RoundOptions): SQL | undefined {
  const f = o.instructions;
  const conds: SQL[] = [];
  if (f.category) conds.push(eq(instructions.category, f.category));
  if (f.source) conds.push(eq(instructions.source, f.source));
  if (f.ids) conds.push(inArray(instructions.id, f.ids.length > 0 ? f.ids : [-1]));
  if (o.excludeIds && o.excludeIds.length > 0) conds.push(sql`${instructions.id} not in ${o.excludeIds}`);
  return conds.length > 0 ? and(...conds) : undefined;
}

/** The pool's ids and categories in seeded order, the first `limit` (all when undefined). */
export function poolQuery(tx: Pick<Db, "select">, o: RoundOptions, limit: number | undefined) {
  const seed = o.instructions.seed ?? 0;
  const q = tx
    .select({ id: instructions.id, category: instructions.category })
    .from(instructions)
    .where(instructionFilter(o))
    .orderBy(sql`md5(${instructions.id}::text || ':' || ${String(seed)})`)
    .$dynamic();
  return limit === undefined ? q : q.limit(limit);
}
