/**
 * Single flight: at most one run of a piece of work per key at a time. A caller whose key is already
 * running gets the running promise (its value or its rejection) instead of starting the work again;
 * once it settles, the key is free and the next caller starts afresh.
 *
 * The battle worker runs a round's battles side by side, and all battles of one instruction need the
 * same candidate answers. Without this, battles claimed together would each pay a provider for the
 * same answer before the first one was stored (the store keeps one; the others' cost was wasted and
 * uncounted). Own code: a Map of promises; libraries for this wrap the same ten lines.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  /** `fn()`, or the promise of the run already going for `key`. */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const going = this.running.get(key);
    if (going) return going;
    const p = (async () => fn())().finally(() => {
      if (this.running.get(key) === p) this.running.delete(key);
    });
    this.running.set(key, p);
    return p;
  }

  /**
   * A run that started no earlier than this call: when one is already going (it may have read
   * before the caller's moment), callers share one run started after it settles. For reads that
   * must see everything committed before the caller asked (the board cache's version reads), while
   * a crowd of callers costs at most two runs at a time instead of one each.
   */
  fresh(key: string, fn: () => Promise<T>): Promise<T> {
    const going = this.running.get(key);
    if (!going) return this.run(key, fn);
    const queued = this.queued.get(key);
    if (queued) return queued;
    const next = going
      .catch(() => undefined)
      .then(() => {
        this.queued.delete(key);
        return this.run(key, fn);
      });
    this.queued.set(key, next);
    return next;
  }

  /** Keys with a run in flight. */
  get size(): number {
    return this.running.size;
  }
}
