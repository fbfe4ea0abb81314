/**
 * Splitting the instruction pool for the Arena Learning loop (pure). A held-out evaluation set is
 * taken first: a hard subset (highest complexity, then longest prompt) and a diverse subset (round
 * robin over categories, seeded order within each). The rest is shuffled with the seed and dealt
 * into equal contiguous shards; each iteration trains on one shard, never reused.
 */
import { shuffled } from "../lib/random.js";

export interface PoolItem {
  id: number;
  category: string;
  complexity: number | null;
  length: number;
}

export interface PoolSplit {
  eval: { id: number; kind: "hard" | "diverse" }[];
  /** shards[k] = instruction ids of shard k, in shard order. */
  shards: number[][];
}

function hardFirst(a: PoolItem, b: PoolItem): number {
  return (b.complexity ?? 0) - (a.complexity ?? 0) || b.length - a.length || a.id - b.id;
}

/** Round robin over categories (sorted by name), each category's items in seeded order. */
function diversePick(items: readonly PoolItem[], n: number, random: () => number): PoolItem[] {
  const byCat = new Map<string, PoolItem[]>();
  for (const it of [...items].sort((a, b) => a.id - b.id)) byCat.set(it.category, [...(byCat.get(it.category) ?? []), it]);
  const queues = [...byCat.keys()].sort().map((c) => shuffled(random, byCat.get(c) ?? []));
  const picked: PoolItem[] = [];
  while (picked.length < n && queues.some((q) => q.length > 0)) {
    for (const q of queues) {
      const it = q.shift();
      if (it && picked.length < n) picked.push(it);
    }
  }
  return picked;
}

export function splitPool(
  items: readonly PoolItem[],
  opts: { shards: number; evalHard: number; evalDiverse: number },
  random: () => number,
): PoolSplit {
  if (!Number.isInteger(opts.shards) || opts.shards < 1) throw new RangeError("shards must be a positive integer");
  const hard = [...items].sort(hardFirst).slice(0, Math.max(0, opts.evalHard));
  const hardIds = new Set(hard.map((i) => i.id));
  const diverse = diversePick(items.filter((i) => !hardIds.has(i.id)), Math.max(0, opts.evalDiverse), random);
  const held = new Set([...hardIds, ...diverse.map((i) => i.id)]);
  const rest = shuffled(
    random,
    items.filter((i) => !held.has(i.id)).map((i) => i.id).sort((a, b) => a - b),
  );
  const size = Math.ceil(rest.length / opts.shards);
  const shards = Array.from({ length: opts.shards }, (_, k) => rest.slice(k * size, (k + 1) * size));
  return {
    eval: [...hard.map((i) => ({ id: i.id, kind: "hard" as const })), ...diverse.map((i) => ({ id: i.id, kind: "diverse" as const }))],
    shards,
  };
}
