/**
 * The worker loop: claim battles, judge them with bounded concurrency, renew leases while they
 * run, record results, and close rounds that have nothing left. Any number of workers (the one
 * embedded in `serve`, `matrix-arena worker` processes) share one database.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, rounds } from "../db/schema/index.js";
import { loadRoundBudget } from "./budget.js";
import { JobError } from "../lib/job-error.js";
import type { BattleLlm } from "./llm.js";
import { processBattle } from "./process-battle.js";
import { type BattleRow, claimBattles, completeBattle, failBattle, finishRoundIfComplete, renewLeases, budgetStop } from "./queue.js";
import type { RoundOptions, RoundRow } from "./round-store.js";

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerOptions {
  db: Db;
  llm: BattleLlm;
  owner: string;
  concurrency: number;
  leaseMs: number;
  /** Idle wait between empty claims. */
  pollMs?: number;
  log: WorkerLog;
  style?: (text: string) => Record<string, number>;
}

export interface Worker {
  /** Resolves when the loop has stopped and in-flight battles have settled. */
  stop(): Promise<void>;
  /** Battles this worker finished (done or failed) since it started. */
  readonly processed: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export function startWorker(o: WorkerOptions): Worker {
  const inFlight = new Map<number, Promise<void>>();
  const roundCache = new Map<string, RoundRow>();
  let stopped = false;
  let processed = 0;
  let wake: (() => void) | null = null;

  const getRound = async (id: string): Promise<RoundRow | null> => {
    const cached = roundCache.get(id);
    if (cached) return cached;
    const [row] = await o.db.select().from(rounds).where(eq(rounds.id, id));
    if (row) roundCache.set(id, row);
    return row ?? null;
  };

  const handle = async (b: BattleRow): Promise<void> => {
    const round = b.roundId ? await getRound(b.roundId) : null;
    if (!round) return;
    const options = round.options as unknown as RoundOptions;
    const budget = await loadRoundBudget(o.db, round.id);
    try {
      const result = await processBattle({ db: o.db, llm: o.llm, style: o.style }, b, round, budget);
      await completeBattle(o.db, b.id, o.owner, result);
    } catch (e) {
      if (e instanceof JobError && e.kind === "budget") {
        // Not a failure: the battle waits in the queue (its attempt not counted) for room or a raised budget.
        await o.db
          .update(battles)
          .set({ status: "pending", leaseOwner: null, leaseExpiresAt: null, attempts: sql`greatest(0, ${battles.attempts} - 1)` })
          .where(and(eq(battles.id, b.id), eq(battles.leaseOwner, o.owner), eq(battles.status, "running")));
        if (await budgetStop(o.db, round.id, budget?.exhausted === true ? "never" : "wait")) o.log.info({ roundId: round.id }, "round stopped by its budget");
        // Reservations in flight outlasted the call's wait (battles/budget.ts): pause before the battle is claimed again.
        else await sleep(500);
        return;
      }
      const err =
        e instanceof JobError
          ? { message: e.message, kind: e.kind, retryable: e.retryable }
          : { message: e instanceof Error ? e.message : String(e), kind: "internal", retryable: true };
      if (!(e instanceof JobError)) o.log.error({ err: e, battleId: b.id }, "battle crashed");
      const fate = await failBattle(o.db, b, o.owner, err, options.maxAttempts);
      if (fate === "failed") o.log.warn({ battleId: b.id, kind: err.kind, error: err.message }, "battle failed");
    }
    // A battle that ends in a round its budget stopped may be the last in flight: it writes the final figures.
    if (budget) await budgetStop(o.db, round.id, "ended");
    processed++;
    await finishRoundIfComplete(o.db, round.id);
  };

  const renewTimer = setInterval(() => {
    void renewLeases(o.db, o.owner, [...inFlight.keys()], o.leaseMs).catch((err: unknown) => o.log.warn({ err }, "lease renewal failed"));
  }, Math.max(500, Math.floor(o.leaseMs / 3)));
  renewTimer.unref();

  const loop = async () => {
    while (!stopped) {
      const free = o.concurrency - inFlight.size;
      let claimed: BattleRow[] = [];
      if (free > 0) {
        try {
          claimed = await claimBattles(o.db, o.owner, free, o.leaseMs);
        } catch (err) {
          o.log.warn({ err }, "claim failed; retrying");
        }
      }
      for (const b of claimed) {
        const p = handle(b)
          .catch((err: unknown) => o.log.error({ err, battleId: b.id }, "battle handling failed"))
          .finally(() => {
            inFlight.delete(b.id);
            wake?.();
          });
        inFlight.set(b.id, p);
      }
      if (stopped) break;
      // Sleep until a slot frees up, or poll again after a pause when the queue was empty.
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (claimed.length === 0 || inFlight.size < o.concurrency) void sleep(claimed.length === 0 ? (o.pollMs ?? 250) : 20).then(resolve);
      });
      wake = null;
    }
  };
  const running = loop();

  return {
    get processed() {
      return processed;
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      await Promise.allSettled([...inFlight.values()]);
      clearInterval(renewTimer);
    },
  };
}
