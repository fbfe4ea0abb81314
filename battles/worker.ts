/**
 * The battle worker: the battles queue (battles/queue.ts) run by the one job loop (lib/job-loop.ts).
 * Its handler judges a battle (battles/process-battle.ts); its hooks count a judged battle in the
 * aggregate cells in the completing transaction, stop a budgeted round, and close rounds that have
 * nothing left. Any number of workers (the one embedded in `serve`, `matrix-arena worker` processes)
 * share one database.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rounds, type StoredStyle } from "../db/schema/index.js";
import { JobError } from "../lib/job-error.js";
import { type JobHandler, type JobLog, type JobLoop, type LoopQueue, startJobLoop } from "../lib/job-loop.js";
import { SingleFlight } from "../lib/single-flight.js";
import { loadRoundBudget, type RoundBudget } from "./budget.js";
import { addToCells, markBoardsChanged } from "./cells.js";
import type { BattleLlm } from "./llm.js";
import { processBattle } from "./process-battle.js";
import type { ResponseRow } from "./responses.js";
import { type BattleResult, type BattleRow, battleQueue, finishRoundIfComplete, type RoundEnd, roundBudgetStop } from "./queue.js";
import type { RoundOptions, RoundRow } from "./round-store.js";
import { isAdaptive } from "./adaptive-store.js";

export interface WorkerOptions {
  db: Db;
  llm: BattleLlm;
  owner: string;
  concurrency: number;
  leaseMs: number;
  /** Idle wait between empty claims. */
  pollMs?: number;
  log: JobLog;
  style?: (text: string) => StoredStyle;
  /** Adaptive rounds' scheduler (src/services/adaptive-rounds.ts); without it this worker leaves them between waves. */
  adaptive?: AdaptiveHooks;
  /** How long a battle waiting on a provider batch pauses (still leased) before it goes back to the queue (default 500 ms). */
  batchPauseMs?: number;
  /** Runs beside the loop (the batch coordinator); stopped after it. */
  sidecar?: { stop(): Promise<void> };
}

/** What the scheduler did for a round whose wave settled: a new wave, the round's end, or nothing. */
export type AdaptiveAdvance = { kind: "wave"; wave: number; battles: number; ciWidth: number | null } | { kind: "end"; end: RoundEnd; stoppedBy: string } | null;

export interface AdaptiveHooks {
  advance(roundId: string): Promise<AdaptiveAdvance>;
  /** Rounds a crash left between waves (called when the queue is idle). */
  advanceStalled(): Promise<unknown>;
}

/** `stop()` resolves when the loop has stopped and in-flight battles have settled; `processed` counts battles handled to an outcome other than parked. */
export type Worker = JobLoop;

interface BattleContext {
  round: RoundRow;
  budget: RoundBudget | null;
  maxAttempts: number;
  /** Why the battle was parked: waiting on its budget, or on a provider batch. */
  parkedFor?: "budget" | "batch";
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The battles queue bound to one worker: a judged battle is counted in the cells as it completes. */
function boundQueue(db: Db, owner: string, leaseMs: number, log: JobLog): LoopQueue<BattleRow, BattleResult> {
  return {
    claim: (n) => battleQueue.claim(db, owner, n, leaseMs, (ids) => log.info({ roundIds: ids, owner }, ids.length === 1 ? "round started" : "rounds started")),
    renew: (ids) => battleQueue.renew(db, owner, ids, leaseMs),
    complete: (b, r) =>
      battleQueue.complete(db, b.id, owner, {
        set: { outcome: r.outcome, margin: r.margin, styleA: r.styleA, styleB: r.styleB, finishedBy: owner },
        write: async (tx, done) => {
          // A battle without an outcome still changes per-judge boards (its judges' own games).
          if (r.outcome !== null) await addToCells(tx, [{ ...done, outcome: r.outcome }]);
          else await markBoardsChanged(tx, [done.roundId]);
        },
      }),
    fail: (b, err, maxAttempts) => battleQueue.fail(db, b, owner, err, maxAttempts),
    park: (b) => battleQueue.park(db, b.id, owner),
    release: (ids) => battleQueue.release(db, ids, owner),
  };
}

function battleHandler(o: WorkerOptions): JobHandler<BattleRow, BattleContext, BattleResult> {
  const roundCache = new Map<string, RoundRow>();
  const getRound = async (id: string): Promise<RoundRow | null> => {
    const cached = roundCache.get(id);
    if (cached) return cached;
    const [row] = await o.db.select().from(rounds).where(eq(rounds.id, id));
    if (row) roundCache.set(id, row);
    return row ?? null;
  };
  const answers = new SingleFlight<ResponseRow>();
  return {
    prepare: async (b) => {
      const round = b.roundId ? await getRound(b.roundId) : null;
      if (!round) return null;
      return { round, budget: await loadRoundBudget(o.db, round.id, { job: b.id, owner: o.owner }), maxAttempts: round.options.maxAttempts };
    },
    run: async (b, ctx) => {
      try {
        return { done: await processBattle({ db: o.db, llm: o.llm, style: o.style, answers }, b, ctx.round, ctx.budget) };
      } catch (e) {
        // Not a failure: the battle waits in the queue (its attempt not counted) for room or a raised budget.
        if (e instanceof JobError && e.kind === "budget") return { park: (ctx.parkedFor = "budget") };
        // Nor is a call waiting in a provider batch: the battle is asked again until the batch has ended.
        // It pauses first, still leased, so no other slot claims it again at once.
        if (e instanceof JobError && e.kind === "batch_pending") {
          await sleep(o.batchPauseMs ?? 500);
          return { park: (ctx.parkedFor = "batch") };
        }
        throw e;
      }
    },
    after: async (_b, { round, budget, parkedFor }, fate) => {
      if (fate === "parked" && parkedFor === "batch") return;
      if (fate === "parked") {
        if (await roundBudgetStop(o.db, round.id, budget?.exhausted === true ? "never" : "wait")) o.log.info({ roundId: round.id }, "round stopped by its budget");
        // Reservations in flight outlasted the call's wait (battles/budget.ts): pause before the battle is claimed again.
        else await sleep(500);
        return;
      }
      // A battle that ends in a round its budget stopped may be the last in flight: it writes the final figures.
      if (budget) await roundBudgetStop(o.db, round.id, "ended");
      const end = isAdaptive(round) ? await advanceAdaptive(o, round) : await finishRoundIfComplete(o.db, round.id);
      if (end) o.log[end.status === "done" ? "info" : "warn"]({ roundId: round.id, name: round.name, ...end }, end.status === "done" ? "round finished" : "round failed: every battle failed");
    },
  };
}

/** The next wave of an adaptive round, or its end (logged as a fixed round's end is); null when its wave is still open. */
async function advanceAdaptive(o: WorkerOptions, round: RoundRow): Promise<RoundEnd | null> {
  const step = await o.adaptive?.advance(round.id);
  if (step?.kind === "wave") o.log.info({ roundId: round.id, wave: step.wave, battles: step.battles, ciWidth: step.ciWidth }, "adaptive round: next wave");
  if (step?.kind === "end") o.log.info({ roundId: round.id, stoppedBy: step.stoppedBy }, "adaptive round: stopping rule met");
  return step?.kind === "end" ? step.end : null;
}

export function startWorker(o: WorkerOptions): Worker {
  const loop = startJobLoop({
    queue: boundQueue(o.db, o.owner, o.leaseMs, o.log),
    handler: battleHandler(o),
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    pollMs: o.pollMs ?? 250,
    refillMs: 20,
    log: o.log,
    label: "battle",
    fields: (b) => ({ battleId: b.id }),
    idle: o.adaptive ? async () => void (await o.adaptive?.advanceStalled()) : undefined,
  });
  const sidecar = o.sidecar;
  if (!sidecar) return loop;
  const stopLoop = loop.stop.bind(loop);
  loop.stop = async (opts) => {
    await stopLoop(opts);
    await sidecar.stop();
  };
  return loop;
}
