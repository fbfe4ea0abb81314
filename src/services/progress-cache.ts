/**
 * Round progress (`GET /v1/rounds/{id}` and its event stream) kept for a moment. Progress changes with
 * every claim, stored answer, judgment and finished battle (dozens a second in a busy round), so no
 * version counter would hold still long enough to serve a crowd, and counting it on every claim would
 * add a write to each; instead an entry answers for PROGRESS_MAX_AGE_MS at most, and only while the
 * round's row says the same (status, error, start and finish: a round that ends, is cancelled or
 * resumed is recomputed at once). Computations per round: one at a time, shared by every request
 * waiting for it (src/services/board-cache.ts, with a time slot as its version). The cost of a read is
 * then one indexed read of the round's row instead of five queries, two of them over all its battles,
 * and that read is shared too (`row`: requests waiting for the next read of a round share it, as the
 * board cache's version reads are shared, so each still sees what was committed before it arrived).
 * Off with the board cache (MATRIX_ARENA_BOARD_CACHE=0): every request computes, as before.
 */
import { roundProgress, type RoundProgress } from "../../battles/progress.js";
import type { RoundRow } from "../../battles/round-store.js";
import type { Db } from "../../db/client.js";
import { SingleFlight } from "../../lib/single-flight.js";
import { BoardCache } from "./board-cache.js";

/** Longest a progress answer is reused while the round's row is unchanged. */
export const PROGRESS_MAX_AGE_MS = 250;

export class ProgressCache {
  private readonly cache: BoardCache<RoundProgress>;
  private readonly rows = new SingleFlight<RoundRow | null>();

  constructor(
    maxEntries: number,
    private readonly maxAgeMs = PROGRESS_MAX_AGE_MS,
    /** Milliseconds of a monotonic clock (the time slots; never the service's `clock`, which tests may fix). */
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.cache = new BoardCache(maxEntries);
  }

  get hits(): number {
    return this.cache.hits;
  }

  get computed(): number {
    return this.cache.computed;
  }

  /** `read()` of a round's row started after this call, shared by the callers waiting for it (each caller's own read when off). */
  row(id: string, read: () => Promise<RoundRow | null>): Promise<RoundRow | null> {
    return this.cache.enabled ? this.rows.fresh(id, read) : read();
  }

  /** The round's progress, computed at most once per time slot and row state. */
  get(db: Db, round: RoundRow, now: () => Date): Promise<RoundProgress> {
    if (!this.cache.enabled || this.maxAgeMs <= 0) return roundProgress(db, round, now());
    const key = JSON.stringify([round.id, round.status, round.error, round.startedAt?.getTime() ?? null, round.finishedAt?.getTime() ?? null]);
    const slot = Math.floor(this.monotonicMs() / this.maxAgeMs);
    return this.cache.get(key, slot, () => roundProgress(db, round, now()));
  }
}
