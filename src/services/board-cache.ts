/**
 * Computed boards kept for the next identical request. A board changes only when what it reads
 * changes, and every such change adds to a version counter in the same transaction (battles/cells.ts
 * `markBoardsChanged`, read by reports/queries.ts `readBoardVersion`). So an entry is the board of one
 * query at one version: a request reads the version first (one indexed read on the shared database,
 * so a battle landed by a worker in another process is seen), and an entry at that version was
 * computed from data at least that new. Other versions of a key are never served.
 *
 * Bounded: least recently used keys go first beyond `maxEntries` (a Map keeps insertion order; a hit
 * moves its key to the end). Concurrent misses of one key at one version share one computation
 * (lib/single-flight.ts). `maxEntries` 0 turns it off: every request computes, as before the cache.
 */
import { SingleFlight } from "../../lib/single-flight.js";

interface Entry<T> {
  version: number;
  value: T;
}

export class BoardCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new SingleFlight<T>();
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

  /** The entry of `key` at `version`, else `compute()` (shared with any identical computation in flight), stored. */
  async get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) {
      this.computed++;
      return compute();
    }
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.hits++;
      return hit.value;
    }
    return this.flights.run(`${version}\u0000${key}`, async () => {
      this.computed++;
      const value = await compute();
      this.store(key, version, value);
      return value;
    });
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
