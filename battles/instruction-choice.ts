/**
 * Which instruction an adaptive wave gives a pair's next battle (pure). A fixed plan gives every pair
 * the same instructions, so each pair meets the pool's categories in the pool's proportions. An
 * adaptive round gives each pair its own, and taking simply the next one it has not met lets a pair
 * meet, say, mostly coding prompts: its result then says as much about the categories it drew as about
 * the models (a coder beats a writer on coding), and the round's per-category boards come out
 * lopsided. So the pair's battles are stratified: among its first CATEGORY_LOOKAHEAD unmet
 * instructions in the pool's seeded order, the one whose category is furthest below its share of the
 * pool (share × battles so far, plus this one, minus battles met in it) is taken, the earliest on a
 * tie. A pool with one category (or none) gives the first unmet instruction, as a plain draw would.
 */

/** How many of a pair's next unmet instructions are looked at for a category it is short of. */
export const CATEGORY_LOOKAHEAD = 64;

export interface PoolInstruction {
  id: number;
  category: string | null;
}

/** The key a category is counted under (instructions without one count together). */
export const categoryKey = (c: string | null | undefined): string => c ?? "";

/** Counts one more battle of a pair in `category` (its `met` map). */
export function countCategory(met: Map<string, number>, category: string | null | undefined): void {
  const key = categoryKey(category);
  met.set(key, (met.get(key) ?? 0) + 1);
}

/** Each category's share of a pool, from its per-category counts. */
export function categoryShares(counts: readonly { category: string | null; n: number }[]): Map<string, number> {
  const total = counts.reduce((s, c) => s + c.n, 0);
  const out = new Map<string, number>();
  for (const c of counts) out.set(categoryKey(c.category), (out.get(categoryKey(c.category)) ?? 0) + (total > 0 ? c.n / total : 0));
  return out;
}

/**
 * The pair's next instruction: `pool` in seeded order, `used` the ids it has met, `met` how many of its
 * battles fell in each category (categoryKey), `shares` each category's share of the whole pool. Null
 * when every instruction of `pool` is used.
 */
export function nextInstruction(pool: readonly PoolInstruction[], used: ReadonlySet<number>, met: ReadonlyMap<string, number>, shares: ReadonlyMap<string, number>, lookahead = CATEGORY_LOOKAHEAD): PoolInstruction | null {
  let battles = 0;
  for (const n of met.values()) battles += n;
  let best: PoolInstruction | null = null;
  let bestDeficit = Number.NEGATIVE_INFINITY;
  let seen = 0;
  for (const ins of pool) {
    if (used.has(ins.id)) continue;
    const key = categoryKey(ins.category);
    const deficit = (shares.get(key) ?? 0) * (battles + 1) - (met.get(key) ?? 0);
    if (deficit > bestDeficit) {
      best = ins;
      bestDeficit = deficit;
    }
    if (++seen >= lookahead) break;
  }
  return best;
}
