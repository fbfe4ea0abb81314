/**
 * The provisional minimum is configurable: MATRIX_ARENA_MIN_BATTLES is the default `minBattles` of every
 * board route (the board answers the figure it used), `?minBattles=` still overrides it, and the offline
 * CLI takes the same default; without the variable the default stays 30.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { defaultLeaderboardIo, runLeaderboard } from "../../src/cli/leaderboard.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

interface Board { minBattles: number; items: { model: string; decisive: number; provisional: boolean }[] }

/** m-a meets m-b 12 times and m-c 4 times, all decisive: m-a 16, m-b 12, m-c 4 decisive battles. */
const LOG = [
  ...Array.from({ length: 12 }, (_, k) => ({ id: `ab${k}`, model_a: "m-a", model_b: "m-b", winner: k % 3 === 0 ? "model_b" : "model_a" })),
  ...Array.from({ length: 4 }, (_, k) => ({ id: `ac${k}`, model_a: "m-a", model_b: "m-c", winner: k === 0 ? "model_b" : "model_a" })),
]
  .map((l) => JSON.stringify(l))
  .join("\n");

const provisional = (b: Board) => b.items.filter((i) => i.provisional).map((i) => i.model).sort();

describeEachDb("configurable provisional minimum on $name", (target) => {
  let configured: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    configured = await makeTestApp(await target.open(), { MATRIX_ARENA_MIN_BATTLES: "10" });
    plain = await makeTestApp(await target.open());
    for (const t of [configured, plain]) {
      const res = await t.req("POST", "/v1/battles/import", LOG, { headers: { "content-type": "application/x-ndjson" } });
      expect(await json(res)).toMatchObject({ imported: 16 });
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of [configured, plain]) {
      await t?.close();
      await t?.deps.dbHandle.close();
    }
  });
  const board = async (t: TestApp, q: string) => json<Board>(await t.req("GET", `/v1/leaderboard?bootstrap=0&${q}`));

  it("boards follow MATRIX_ARENA_MIN_BATTLES on every method", async () => {
    for (const q of ["method=bt", "method=elo", "method=bt&styleControl=false"]) {
      const b = await board(configured, q);
      expect(b.minBattles).toBe(10);
      expect(provisional(b)).toEqual(["m-c"]);
    }
  });

  it("without the variable the minimum is 30, and ?minBattles= overrides either", async () => {
    const b = await board(plain, "method=bt");
    expect(b.minBattles).toBe(30);
    expect(provisional(b)).toEqual(["m-a", "m-b", "m-c"]);
    const strict = await board(configured, "method=bt&minBattles=13");
    expect(strict.minBattles).toBe(13);
    expect(provisional(strict)).toEqual(["m-b", "m-c"]);
    expect(provisional(await board(plain, "method=elo&minBattles=4"))).toEqual([]);
  });
});

it("the offline CLI takes the configured minimum as its --min-battles default", async () => {
  const run = async (argv: string[], minBattles?: number) => {
    let out = "";
    const io = { ...defaultLeaderboardIo(), stdout: (s: string) => void (out += s), stderr: () => {}, readFile: () => Promise.resolve(LOG) };
    expect(await runLeaderboard(["--input", "log.jsonl", "--bootstrap", "0", ...argv], io, minBattles === undefined ? undefined : { minBattles })).toBe(0);
    return out;
  };
  const provisionalIn = (out: string) => (JSON.parse(out) as Board).items.filter((i) => i.provisional).map((i) => i.model).sort();
  expect(provisionalIn(await run(["--json"]))).toEqual(["m-a", "m-b", "m-c"]);
  expect(provisionalIn(await run(["--json"], 10))).toEqual(["m-c"]);
  expect(provisionalIn(await run(["--json", "--min-battles", "13"], 10))).toEqual(["m-b", "m-c"]);
  expect(await run([], 10)).toContain("provisional: fewer than 10 decisive");
});
