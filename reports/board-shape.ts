/**
 * What a board knows beyond its ratings (pure): the connected components of the comparison graph,
 * ranks within a component, provisional flags for thin samples, and the order of the rows.
 *
 * - Components: models are joined when they met in at least one battle (a tie connects too: for BT
 *   and Elo any game relates the two ratings). Ratings of models in different components were never
 *   compared, directly or through others, so their difference means nothing. Components are numbered
 *   by size (largest first), then by their first model name.
 * - Rank rule (Chatbot Arena's / FastChat's `recompute_final_ranking`): a model's rank is 1 + the number
 *   of models in its component whose 95% interval lies wholly above its own (ciLow_j > ciHigh_i).
 *   Models whose intervals overlap share a rank; a model with a wide interval can share the top rank
 *   with a higher-rated one.
 * - Row order (FastChat's `sort_values(["final_ranking", "rating"])`): by component, then rank, then
 *   rating (descending), then name, so the rank column never goes down within a component's table.
 * - Provisional: fewer than `minBattles` decisive (non-tie) battles; its rating is shown with that caveat.
 */
import { ranksFromIntervals } from "./bootstrap.js";

/** Default minimum number of decisive battles below which a model is provisional. */
export const MIN_DECISIVE_BATTLES = 30;

export interface Components {
  /** Component index of each model (by the models' index). */
  componentOf: Int32Array;
  /** Model indices of each component, ascending. */
  members: number[][];
}

function findRoot(parent: Int32Array, x: number): number {
  let r = x;
  while ((parent[r] ?? r) !== r) {
    // Path halving keeps the trees flat without recursion.
    const grand = parent[parent[r] ?? r] ?? r;
    parent[r] = grand;
    r = grand;
  }
  return r;
}

/**
 * Connected components of the graph on `names.length` models with an edge (pairI[k], pairJ[k]) per
 * pair that met (one edge per battle is fine too: union-find is linear).
 */
export function comparisonComponents(names: readonly string[], pairI: ArrayLike<number>, pairJ: ArrayLike<number>): Components {
  const n = names.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < pairI.length; k++) {
    const a = findRoot(parent, pairI[k] ?? 0);
    const b = findRoot(parent, pairJ[k] ?? 0);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = findRoot(parent, i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  const firstName = (c: number[]): string => c.map((i) => names[i] ?? "").sort()[0] ?? "";
  const members = [...byRoot.values()].sort((x, y) => y.length - x.length || (firstName(x) < firstName(y) ? -1 : 1));
  const componentOf = new Int32Array(n);
  members.forEach((list, c) => {
    for (const i of list) componentOf[i] = c;
  });
  return { componentOf, members };
}

/** The rank rule above, applied within each component. */
export function ranksWithinComponents(low: ArrayLike<number>, high: ArrayLike<number>, members: readonly number[][]): Int32Array {
  const ranks = new Int32Array(low.length);
  for (const list of members) {
    const sub = ranksFromIntervals(
      list.map((i) => low[i] ?? 0),
      list.map((i) => high[i] ?? 0),
    );
    list.forEach((i, k) => {
      ranks[i] = sub[k] ?? 1;
    });
  }
  return ranks;
}

/** A model is provisional below `minBattles` decisive battles. */
export function isProvisional(decisive: number, minBattles: number): boolean {
  return decisive < minBattles;
}

/** One row before shaping: the rating method's numbers for a model. */
export interface RatedModel {
  model: string;
  rating: number;
  ciLow: number;
  ciHigh: number;
  battles: number;
  decisive: number;
  winRate: number;
}

export interface ShapedItem extends RatedModel {
  rank: number;
  component: number;
  provisional: boolean;
}

export interface ShapedBoard {
  connected: boolean;
  /** Model names of each component, in row order. */
  components: string[][];
  items: ShapedItem[];
}

/** Components, ranks, provisional flags and row order for `rows`; `pairI`/`pairJ` index `rows`. */
export function shapeBoard(rows: readonly RatedModel[], pairI: ArrayLike<number>, pairJ: ArrayLike<number>, minBattles = MIN_DECISIVE_BATTLES): ShapedBoard {
  const { componentOf, members } = comparisonComponents(
    rows.map((r) => r.model),
    pairI,
    pairJ,
  );
  const ranks = ranksWithinComponents(
    rows.map((r) => r.ciLow),
    rows.map((r) => r.ciHigh),
    members,
  );
  const items: ShapedItem[] = rows.map((r, i) => ({
    ...r,
    rank: ranks[i] ?? 1,
    component: componentOf[i] ?? 0,
    provisional: isProvisional(r.decisive, minBattles),
  }));
  items.sort((x, y) => x.component - y.component || x.rank - y.rank || y.rating - x.rating || (x.model < y.model ? -1 : x.model > y.model ? 1 : 0));
  const components = members.map(() => [] as string[]);
  for (const it of items) components[it.component]?.push(it.model);
  return { connected: members.length <= 1, components, items };
}
