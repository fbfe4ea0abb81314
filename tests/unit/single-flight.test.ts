import { describe, expect, it } from "vitest";
import { SingleFlight } from "../../lib/single-flight.js";

/** A promise the test settles by hand. */
function gate<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  it("runs the work once for callers that overlap on a key, and shares its value", async () => {
    const f = new SingleFlight<number>();
    const g = gate<number>();
    let runs = 0;
    const work = () => (runs++, g.promise);
    const calls = [f.run("k", work), f.run("k", work), f.run("k", work)];
    expect(runs).toBe(1);
    expect(f.size).toBe(1);
    g.resolve(7);
    expect(await Promise.all(calls)).toEqual([7, 7, 7]);
    expect(f.size).toBe(0);
  });

  it("keeps keys apart", async () => {
    const f = new SingleFlight<string>();
    let runs = 0;
    const out = await Promise.all(["a", "b", "a", "c"].map((k) => f.run(k, async () => (runs++, k.toUpperCase()))));
    expect(out).toEqual(["A", "B", "A", "C"]);
    expect(runs).toBe(3);
  });

  it("shares a rejection with the callers that joined, then frees the key for a fresh run", async () => {
    const f = new SingleFlight<number>();
    const g = gate<number>();
    const first = f.run("k", () => g.promise);
    const joined = f.run("k", async () => 99);
    g.reject(new Error("provider down"));
    await expect(first).rejects.toThrow("provider down");
    await expect(joined).rejects.toThrow("provider down");
    expect(f.size).toBe(0);
    expect(await f.run("k", async () => 3)).toBe(3);
  });

  it("starts afresh after a run settles (it is not a cache)", async () => {
    const f = new SingleFlight<number>();
    let runs = 0;
    expect(await f.run("k", async () => ++runs)).toBe(1);
    expect(await f.run("k", async () => ++runs)).toBe(2);
  });

  it("a synchronous throw in the work is a rejection, and frees the key", async () => {
    const f = new SingleFlight<number>();
    await expect(f.run("k", () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(f.size).toBe(0);
  });
  it("fresh: never joins a run already going; callers meanwhile share one run started after it", async () => {
    const f = new SingleFlight<number>();
    const gates = [gate<number>(), gate<number>()];
    let started = 0;
    const work = () => gates[started++]?.promise ?? Promise.resolve(-1);
    const first = f.fresh("k", work);
    const later = [f.fresh("k", work), f.fresh("k", work)];
    expect(started).toBe(1); // the later callers wait for a run of their own
    gates[0]?.resolve(1);
    expect(await first).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toBe(2);
    gates[1]?.resolve(2);
    expect(await Promise.all(later)).toEqual([2, 2]);
    expect(await f.fresh("k", async () => 3)).toBe(3);
  });

  it("fresh: a rejected run does not stop the next one", async () => {
    const f = new SingleFlight<number>();
    const g = gate<number>();
    const first = f.fresh("k", () => g.promise);
    const next = f.fresh("k", async () => 7);
    g.reject(new Error("connection lost"));
    await expect(first).rejects.toThrow("connection lost");
    expect(await next).toBe(7);
  });
});
