/**
 * Adaptive rounds' scheduler: when a wave has settled, one transaction locks the round, reads its
 * board (the same Bradley-Terry fit and seeded bootstrap that GET /v1/leaderboard?roundId=&bootstrap=
 * reports, with the round's adaptive.bootstrap rounds, 1,000 unless set), and either closes the
 * round (its stopping rule holds, its battle cap is reached, or no pair has an unseen instruction
 * left) or writes the next wave (battles/adaptive-plan.ts picks it).
 * The worker's `after` hook calls it for the battle that settled last and its idle hook for rounds a
 * crash left between waves; the lock and the open-battle check make a second call a no-op.
 */
import type { Db } from "../../db/client.js";
import type { AdaptiveState } from "../../db/schema/index.js";
import { adaptiveBootstrap, pickWave } from "../../battles/adaptive-plan.js";
import { focusIndex, lockSettledAdaptiveRound, poolStats, readRoundBattles, saveAdaptiveState, stalledAdaptiveRounds, waveRng, writeWave, type RoundBattles } from "../../battles/adaptive-store.js";
import type { RoundEnd } from "../../battles/queue.js";
import type { RoundRow } from "../../battles/round-store.js";
import { fitBradleyTerry } from "../../reports/bradley-terry.js";
import { cellsFromCounts, leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import type { Leaderboard } from "../../reports/leaderboard.js";
import { pairTotals } from "../../reports/pair-counts.js";
import { readCounts } from "../../reports/queries.js";

/** The board's default seed (GET /v1/leaderboard `seed`), so the progress figure is the board's. */
const BOARD_SEED = 0;

/** What one call did: nothing (a wave is open, or the round is not adaptive or not active), a wave, or the end. */
export type AdaptiveStep = { kind: "wave"; wave: number; battles: number; ciWidth: number | null } | { kind: "end"; end: RoundEnd; stoppedBy: NonNullable<AdaptiveState["stoppedBy"]>; ciWidth: number | null };

/** The widest 95% interval on the board (Elo points); null when the board has none of the round's models. */
export function widestInterval(board: Leaderboard): number | null {
  if (board.items.length === 0) return null;
  return Math.max(...board.items.map((it) => it.ciHigh - it.ciLow));
}

/**
 * Whether the board can stand behind its intervals: every candidate has battles and none has only
 * wins, only losses or only ties (a model that never lost gets the same extreme rating in every
 * bootstrap resample, so its interval is narrow for the wrong reason).
 */
export function boardSettled(board: Leaderboard, candidates: readonly string[]): boolean {
  const byModel = new Map(board.items.map((it) => [it.model, it]));
  return candidates.every((m) => {
    const it = byModel.get(m);
    return it !== undefined && it.decisive > 0 && it.winRate > 0 && it.winRate < 1;
  });
}

function decide(round: RoundRow, rb: RoundBattles, board: Leaderboard, width: number | null): AdaptiveState["stoppedBy"] {
  const rule = round.options.adaptive;
  if (rb.lastWave.done === 0 && rb.lastWave.failed > 0) return "failed";
  if (rule?.ciWidth !== undefined && width !== null && width <= rule.ciWidth && boardSettled(board, round.candidates)) return "target";
  if (rule?.maxBattles !== undefined && rb.planned >= rule.maxBattles) return "max_battles";
  return null;
}

async function close(tx: Db, round: RoundRow, rb: RoundBattles, state: AdaptiveState, stoppedBy: NonNullable<AdaptiveState["stoppedBy"]>): Promise<AdaptiveStep> {
  const done = rb.pairs.reduce((s, p) => s + p.count, 0);
  const status = stoppedBy === "failed" || done === 0 ? "failed" : "done";
  const error = status === "failed" ? (stoppedBy === "failed" ? `every battle of wave ${state.wave} failed` : "every battle failed") : null;
  await saveAdaptiveState(tx, round.id, { ...state, stoppedBy }, { status, error });
  return { kind: "end", stoppedBy, ciWidth: state.ciWidth, end: { status, done, failed: rb.lastWave.failed } };
}

/** Advances one adaptive round if its wave has settled (see the header); null when there was nothing to do. */
export async function advanceAdaptiveRound(db: Db, roundId: string): Promise<AdaptiveStep | null> {
  return db.transaction(async (tx) => {
    const round = await lockSettledAdaptiveRound(tx, roundId);
    if (!round) return null;
    const rb = await readRoundBattles(tx, round, await poolStats(tx, round));
    const counts = await readCounts(tx, { roundId });
    const board = leaderboardFromCounts(counts, { bootstrap: adaptiveBootstrap(round.options.adaptive), seed: BOARD_SEED });
    const width = widestInterval(board);
    const state: AdaptiveState = { wave: round.adaptive?.wave ?? 0, ciWidth: width, stoppedBy: null };
    const stop = decide(round, rb, board, width);
    if (stop) return close(tx, round, rb, state, stop);
    const rule = round.options.adaptive;
    const size = Math.min(rule?.waveSize ?? 1, (rule?.maxBattles ?? Number.POSITIVE_INFINITY) - rb.planned);
    // Near the interval target the wave ends once the plan expects the target to hold.
    const targetShrink = rule?.ciWidth !== undefined && width !== null ? targetShrinkOf(rule.ciWidth, width) : undefined;
    const picks = pickWave({ nModels: rb.models.length, pairs: rb.pairs, theta: thetaOf(rb.models, counts), waveSize: size, focus: focusIndex(round), rng: waveRng(round, state.wave + 1), targetShrink });
    const written = await writeWave(tx, round, rb, picks, state.wave + 1);
    if (written === 0) return close(tx, round, rb, state, "exhausted");
    const next = { ...state, wave: state.wave + 1 };
    await saveAdaptiveState(tx, round.id, next);
    return { kind: "wave", wave: next.wave, battles: written, ciWidth: width };
  });
}

/** pickWave's targetShrink near an interval target: (target / widest)², the share of variance still to go. */
export const targetShrinkOf = (target: number, width: number): number | undefined => (width > 0 ? (target / width) ** 2 : undefined);

/** Current log-strengths (natural scale) in the round's candidate order; zero for a model without results. */
export function thetaOf(models: readonly string[], counts: Parameters<typeof cellsFromCounts>[0]): Float64Array {
  const theta = new Float64Array(models.length);
  if (counts.length === 0) return theta;
  const { models: fitted, cells } = cellsFromCounts(counts);
  const fit = fitBradleyTerry(pairTotals(cells));
  const at = new Map(fitted.map((m, k) => [m, fit.theta[k] ?? 0]));
  models.forEach((m, k) => (theta[k] = at.get(m) ?? 0));
  return theta;
}

/**
 * Advances every adaptive round a crash left between waves (the worker's idle hook). One round's
 * failure does not hold the others back: each is tried, then the first error is thrown (the loop logs it).
 */
export async function advanceStalledAdaptiveRounds(db: Db): Promise<AdaptiveStep[]> {
  const steps: AdaptiveStep[] = [];
  let failure: unknown = null;
  for (const id of await stalledAdaptiveRounds(db)) {
    try {
      const step = await advanceAdaptiveRound(db, id);
      if (step) steps.push(step);
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== null) throw failure;
  return steps;
}
