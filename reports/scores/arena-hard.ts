/**
 * score=arena-hard: arena-hard-auto's score against its baseline (show_result.py, v2). Every battle
 * is judged twice with positions swapped; each game becomes rows of the candidate's score, a strong
 * verdict weighing STRONG_WEIGHT (3) times: `>>` for the candidate is three rows of 1, `>` one row of
 * 1, a tie one row of 0.5, `<` one row of 0, `<<` three rows of 0. The score is the mean of all the
 * candidate's rows, i.e. over both games of every battle (and every judge of a jury); a battle with
 * an unparsable game is left out, as arena-hard-auto drops judgments with a null game. The interval
 * resamples the candidate's rows with replacement and takes the 5% and 95% percentiles of the means.
 * Battles that carry only an outcome (imports, single grading) count as one game of plain verdict:
 * a win is `>`, a tie a tie, a loss `<` (no strong verdicts, so no weight 3).
 */
import type { Rng } from "../../lib/random.js";
import { meanWithInterval } from "./resample.js";
import { type BaselineBattle, byModel, emptyItem, type GameVerdict, type ScoreItem } from "./types.js";
import { winValue } from "./winrate.js";

/** Rows a strong (`>>`) verdict counts as (arena-hard-auto's `--weight`, default 3). */
export const STRONG_WEIGHT = 3;

export const ARENA_HARD_DEFINITION =
  "arena-hard: arena-hard-auto (v2 show_result.py) against the baseline: each game of a battle (both position orders, every judge) " +
  `gives rows of the candidate's score, a strong verdict (>>) counting ${STRONG_WEIGHT} rows of 1 (or 0), a plain one 1 row of 1 (or 0), a tie 1 row of 0.5; ` +
  "the score is the mean over all rows, so over both games; a battle with an unparsable game is left out; " +
  "battles with only an outcome (imports, single grading) count as one plain game (win = >, tie, loss = <); in [0, 1], baseline = 0.5; " +
  "interval: 5% and 95% percentiles of a bootstrap over the candidate's rows";

const VALUE: Readonly<Record<GameVerdict, number>> = { win_much: 1, win: 1, tie: 0.5, lose: 0, lose_much: 0 };
const WEIGHT: Readonly<Record<GameVerdict, number>> = { win_much: STRONG_WEIGHT, win: 1, tie: 1, lose: 1, lose_much: STRONG_WEIGHT };

/** The verdict an outcome-only battle counts as: a plain win, a tie or a plain loss. */
export function plainVerdict(share: number): GameVerdict {
  const v = winValue(share);
  return v === 1 ? "win" : v === 0 ? "lose" : "tie";
}

/** A battle's weighted rows, or null when one of its games is unparsable (the battle is dropped). */
export function arenaHardRows(b: BaselineBattle): number[] | null {
  const games = b.games && b.games.length > 0 ? b.games : [plainVerdict(b.outcome)];
  const rows: number[] = [];
  for (const g of games) {
    if (g === null) return null;
    for (let k = 0; k < WEIGHT[g]; k++) rows.push(VALUE[g]);
  }
  return rows;
}

export function arenaHardScores(battles: readonly BaselineBattle[], rounds: number, rng: Rng): { items: ScoreItem[]; dropped: number } {
  const items: ScoreItem[] = [];
  let dropped = 0;
  for (const [model, list] of byModel(battles)) {
    const rows: number[] = [];
    let used = 0;
    for (const b of list) {
      const r = arenaHardRows(b);
      if (r === null) dropped++;
      else {
        used++;
        rows.push(...r);
      }
    }
    if (rows.length === 0) {
      items.push(emptyItem(model, 0, "every battle has an unparsable game"));
      continue;
    }
    items.push({ model, ...meanWithInterval(rows, rounds, rng), battles: used, games: rows.length });
  }
  return { items, dropped };
}
