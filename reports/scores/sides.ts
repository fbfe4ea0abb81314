/**
 * Turning battles into battles against a baseline, from the candidate's side: imported or logged
 * battles (reports/battle-log.ts `Battle`, outcome and optional conv_metadata lengths only) and
 * stored round battles with their judges' per-game labels (rows read by reports/queries.ts).
 * A label is relative to the positions the judge was shown: in order "AB" model A was shown first.
 */
import type { Battle } from "../battle-log.js";
import type { BaselineBattle, GameVerdict } from "./types.js";

/** A label ("A>>B".."B>>A") from the side of the answer shown in position A. */
const SHOWN_FIRST: Readonly<Record<string, GameVerdict>> = { "A>>B": "win_much", "A>B": "win", "A=B": "tie", "B>A": "lose", "B>>A": "lose_much" };
const FLIP: Readonly<Record<GameVerdict, GameVerdict>> = { win_much: "lose_much", win: "lose", tie: "tie", lose: "win", lose_much: "win_much" };

/**
 * The candidate's verdict in one game. `order` is the stored game order ("AB": the battle's model A
 * shown first); `candidateIsA` says which side of the battle the candidate is. Null for an unparsed
 * or unknown label.
 */
export function candidateVerdict(label: string | null, order: "AB" | "BA", candidateIsA: boolean): GameVerdict | null {
  const shownFirst = label === null ? undefined : SHOWN_FIRST[label];
  if (shownFirst === undefined) return null;
  const candidateShownFirst = (order === "AB") === candidateIsA;
  return candidateShownFirst ? shownFirst : FLIP[shownFirst];
}

/** Which side of a battle is the candidate; null when the baseline is on neither side. */
function sideOf(modelA: string, modelB: string, baseline: string): { model: string; isA: boolean } | null {
  if (modelA === baseline && modelB !== baseline) return { model: modelB, isA: false };
  if (modelB === baseline && modelA !== baseline) return { model: modelA, isA: true };
  return null;
}

/** Logged battles against the baseline; the rest are counted. Lengths come from conv_metadata token counts. */
export function logBattlesAgainst(battles: readonly Battle[], baseline: string): { battles: BaselineBattle[]; notAgainstBaseline: number } {
  const out: BaselineBattle[] = [];
  let other = 0;
  for (const b of battles) {
    const side = sideOf(b.modelA, b.modelB, baseline);
    if (!side) {
      other++;
      continue;
    }
    const x: BaselineBattle = { model: side.model, outcome: side.isA ? b.outcome : 1 - b.outcome };
    if (b.category !== undefined) x.category = b.category;
    if (b.styleA && b.styleB) x.lengths = side.isA ? { model: b.styleA.length, baseline: b.styleB.length } : { model: b.styleB.length, baseline: b.styleA.length };
    out.push(x);
  }
  return { battles: out, notAgainstBaseline: other };
}

/** A stored battle with its pairwise games, as reports/queries.ts reads it. */
export interface StoredBaselineRow {
  modelA: string;
  modelB: string;
  outcome: number;
  instructionId: number | null;
  category: string | null;
  lengthA: number | null;
  lengthB: number | null;
  /** Pairwise judgments (orders AB/BA) with their parsed labels, null when invalid. */
  games: { order: "AB" | "BA"; verdict: string | null }[];
}

/** Stored battles against the baseline, each game's label turned to the candidate's side. */
export function storedBattlesAgainst(rows: readonly StoredBaselineRow[], baseline: string): { battles: BaselineBattle[]; notAgainstBaseline: number } {
  const out: BaselineBattle[] = [];
  let other = 0;
  for (const r of rows) {
    const side = sideOf(r.modelA, r.modelB, baseline);
    if (!side) {
      other++;
      continue;
    }
    const x: BaselineBattle = { model: side.model, outcome: side.isA ? r.outcome : 1 - r.outcome };
    if (r.games.length > 0) x.games = r.games.map((g) => candidateVerdict(g.verdict, g.order, side.isA));
    if (r.instructionId !== null) x.instruction = String(r.instructionId);
    if (r.category) x.category = r.category;
    if (r.lengthA !== null && r.lengthB !== null) x.lengths = side.isA ? { model: r.lengthA, baseline: r.lengthB } : { model: r.lengthB, baseline: r.lengthA };
    out.push(x);
  }
  return { battles: out, notAgainstBaseline: other };
}
