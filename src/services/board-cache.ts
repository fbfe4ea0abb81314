/**
 * Computed boards kept for the next request. A board changes only when what it reads changes, and
 * every such change adds to a version counter in the same transaction (battles/cells.ts
 * `markBoardsChanged`, read by reports/queries.ts `readBoardVersion`). A request reads the version
 * first (one indexed read on the shared database, so a battle landed by a worker in another process
 * is seen); an entry tagged with a version was computed from data read after that version was read,
 * so it holds every change up to it. An entry at the request's version or a newer one answers it;
 * an older one never does.
 *
 * Computations per key: at most one at a time. A request whose version the running computation
 * covers joins it; a newer request waits for it and then for one more computation, started after
 * every request waiting for it had read its version, which all of them share (a refit per landed
 * battle would pile up computations while battles land faster than a board fits). lib/single-flight.ts
 * gives the first half only (one run per key), hence this small queue of one.
 *
 * Version reads are shared the same way (lib/single-flight.ts `fresh`): a request joins the next read
 * to start, never one already going, so it still sees every battle committed before it arrived,
 * and a crowd of requests costs one database read per read time instead of one each.
 *
 * Bounded: least recently used keys go first beyond `maxEntries` (a Map keeps insertion order; a hit
 * moves its key to the end). `maxEntries` 0 turns it off: every request computes, as before the cache.
 */
import { SingleFlight } from "../../lib/single-flight.js";

interface Entry<T> {
  version: number;
  value: T;
}

interface Flight<T> {
  running?: { version: number; promise: Promise<T> };
  /** The one computation to start when `running` settles; its version grows as requests join. */
  queued?: { version: number; promise: Promise<T> };
}

export class BoardCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Flight<T>>();
  private readonly versions = new SingleFlight<number>();
  /** Requests answered from an entry, and computations started (for tests and the bench). */
  hits = 0;
  computed = 0;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError(`maxEntries must be a whole number >= 0, got ${maxEntries}`);
  }

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `read()` started after this call, shared by the callers of `scope` waiting for it (uncoalesced when the cache is off). */
  readVersion(scope: string, read: () => Promise<number>): Promise<number> {
    return this.enabled ? this.versions.fresh(scope, read) : read();
  }

  /** An entry of `key` at `version` or newer, else the value of a computation covering `version` (shared, at most one per key at a time). */
  async get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) {
      this.computed++;
      return compute();
    }
    const hit = this.entries.get(key);
    if (hit && hit.version >= version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.hits++;
      return hit.value;
    }
    let f = this.flights.get(key);
    if (!f) {
      f = {};
      this.flights.set(key, f);
    }
    if (!f.running) return this.start(key, f, version, compute);
    if (f.running.version >= version) return f.running.promise;
    if (f.queued) {
      f.queued.version = Math.max(f.queued.version, version);
      return f.queued.promise;
    }
    const flight = f;
    const queued: { version: number; promise: Promise<T> } = {
      version,
      promise: f.running.promise
        .catch(() => undefined)
        .then(() => {
          flight.queued = undefined;
          return this.start(key, flight, queued.version, compute);
        }),
    };
    f.queued = queued;
    return queued.promise;
  }

  private start(key: string, f: Flight<T>, version: number, compute: () => Promise<T>): Promise<T> {
    this.computed++;
    const promise: Promise<T> = (async () => compute())()
      .then((value) => {
        this.store(key, version, value);
        return value;
      })
      .finally(() => {
        if (f.running?.promise === promise) f.running = undefined;
        if (!f.running && !f.queued) this.flights.delete(key);
      });
    f.running = { version, promise };
    return promise;
  }

  private store(key: string, version: number, value: T): void {
    const current = this.entries.get(key);
    // A slower computation of an older version must not replace a newer one.
    if (current && current.version > version) return;
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
