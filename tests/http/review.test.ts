/**
 * Human review end to end on both drivers: real rounds against the simulator (real openai SDK over
 * HTTP), then the blind queue, verdicts from two reviewers' keys, the judges route's agreement with
 * people checked against values computed here from the posted verdicts, scope enforcement, hostile
 * input, NDJSON import/export, and a humanOverride round whose board and export follow the people.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { battleCells, responses } from "../../db/schema/index.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
const JUDGES = ["sim-judge-fair", "sim-judge-noisy"];
type Cat = "win" | "tie" | "loss";
type Verdict = "A" | "B" | "tie" | "both-bad";

interface QueueItem { id: string; instruction: { messages: { role: string; content: string }[] }; answers: { A: string; B: string } }
interface Queue { remaining: number; queued: { "jury-disagreement": number; "swap-inconsistency": number; sample: number }; items: QueueItem[] }
interface BattleView { id: number; modelA: string; modelB: string; status: string; outcome: number | null; judgments: { judge: string; order: string; verdict: string | null }[] }
interface Agreement { pairs: number; withTies: number | null; pairsWithoutTies: number; withoutTies: number | null; battles: number; kappa?: number | null }

// --- The reference calculations of this test, written out independently of judges/ ---

/** One judge's vote on a battle under the strict (MT-bench) swap rule: the orders must agree, else a tie. */
function strictVote(b: BattleView, judge: string): Cat | null {
  const shownFirst = (label: string | null | undefined): Cat | null =>
    label === "A>>B" || label === "A>B" ? "win" : label === "A=B" ? "tie" : label === "B>A" || label === "B>>A" ? "loss" : null;
  const flip = (c: Cat | null): Cat | null => (c === "win" ? "loss" : c === "loss" ? "win" : c);
  const ab = shownFirst(b.judgments.find((j) => j.judge === judge && j.order === "AB")?.verdict);
  const ba = flip(shownFirst(b.judgments.find((j) => j.judge === judge && j.order === "BA")?.verdict));
  if (ab !== null && ba !== null) return ab === ba ? ab : "tie";
  return ab ?? ba;
}
const voteOf = (v: Verdict): Cat => (v === "A" ? "win" : v === "B" ? "loss" : "tie");

/** MT-bench counts and Cohen's kappa (po - pe) / (1 - pe) over aligned vote pairs. */
function reference(pairs: [Cat, Cat][]): Agreement & { kappa: number | null } {
  const agree = pairs.filter(([x, y]) => x === y).length;
  const noTie = pairs.filter(([x, y]) => x !== "tie" && y !== "tie");
  const n = pairs.length;
  const share = (k: Cat, side: 0 | 1) => pairs.filter((p) => p[side] === k).length / n;
  const pe = (["win", "tie", "loss"] as const).reduce((s, k) => s + share(k, 0) * share(k, 1), 0);
  return {
    pairs: n,
    withTies: n === 0 ? null : agree / n,
    pairsWithoutTies: noTie.length,
    withoutTies: noTie.length === 0 ? null : noTie.filter(([x, y]) => x === y).length / noTie.length,
    battles: new Set(pairs.map((_, i) => i)).size,
    kappa: n === 0 || 1 - pe < 1e-12 ? null : (agree / n - pe) / (1 - pe),
  };
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 17, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("human review", () => {
  describeEachDb("review API on $name", (target) => {
    let t: TestApp;
    const key = { admin: "", write: "", read: "", r1: "", r2: "" };
    const keyId = { r1: "", r2: "" };
    let roundId = "";
    let overrideId = "";
    let pendingId = "";
    let battlesById = new Map<number, BattleView>();
    let localQueue: Queue | null = null;
    /** Text of each answer -> the model that wrote it, per round. */
    const writerOf = new Map<string, Map<string, string>>();

    const as = (k: string) => ({ key: k });
    const startRound = async (body: Record<string, unknown>) => {
      const res = await t.req("POST", "/v1/rounds", { candidates: CANDIDATES, pairing: "all-pairs", judges: JUDGES, swapRule: "strict", instructions: { limit: 5, seed: 2 }, ...body });
      expect(res.status).toBe(202);
      return (await json<{ id: string }>(res)).id;
    };
    const loadBattles = async (id: string) => {
      const body = await json<{ items: BattleView[] }>(await t.req("GET", `/v1/battles?roundId=${id}&limit=100`, undefined, as(key.read)));
      return new Map(body.items.map((b) => [b.id, b]));
    };
    const loadWriters = async (id: string) => {
      const rows = await t.deps.db.select({ model: responses.model, text: responses.text }).from(responses).where(eq(responses.roundId, id));
      const m = new Map(rows.map((r) => [r.text, r.model]));
      expect(m.size).toBe(rows.length);
      writerOf.set(id, m);
    };
    /** The blind choice that means `real` for this item, found by which model wrote the shown "A". */
    const blindChoice = (rid: string, item: QueueItem, b: BattleView, real: Verdict): Verdict => {
      const shownA = writerOf.get(rid)?.get(item.answers.A);
      expect([b.modelA, b.modelB]).toContain(shownA);
      if (real === "tie" || real === "both-bad" || shownA === b.modelA) return real;
      return real === "A" ? "B" : "A";
    };
    const post = (rid: string, k: string, body: unknown) => t.req("POST", `/v1/rounds/${rid}/review`, body, as(k));
    const queue = async (rid: string, k: string, limit = 100) => {
      const res = await t.req("GET", `/v1/rounds/${rid}/review?limit=${limit}`, undefined, as(k));
      expect(res.status).toBe(200);
      return json<Queue>(res);
    };

    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, [...CANDIDATES, ...JUDGES]);
      await importItems(t, mtBenchItems(8));
      roundId = await startRound({ name: "review" });
      overrideId = await startRound({ name: "override", humanOverride: true });
      const worker = startBattleWorker(t.deps, "test");
      for (const id of [roundId, overrideId]) {
        const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`)));
        expect(done.counts).toMatchObject({ total: 15, done: 15 });
      }
      await worker.stop();
      // Started after the worker stopped: its battles stay pending.
      pendingId = await startRound({ name: "pending" });
      // Local mode (no key yet): the queue is open, like every route, to the reviewer "local".
      localQueue = await json<Queue>(await t.req("GET", `/v1/rounds/${roundId}/review?limit=3`));
      // The first key switches auth on; from here every request needs one.
      key.admin = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "admin", scopes: ["admin"] }))).key;
      for (const [name, scopes] of [["write", ["write"]], ["read", ["read"]], ["r1", ["review"]], ["r2", ["review"]]] as const) {
        const created = await json<{ key: string; id: string }>(await t.req("POST", "/v1/keys", { name, scopes }, as(key.admin)));
        key[name] = created.key;
        if (name === "r1" || name === "r2") keyId[name] = created.id;
      }
      battlesById = await loadBattles(roundId);
      await loadWriters(roundId);
      await loadWriters(overrideId);
    }, 300_000);
    afterAll(async () => {
      await t?.close();
      await t?.deps.dbHandle.close();
    });

    it("in local mode the queue needs no key", () => {
      expect(localQueue).toMatchObject({ remaining: 15 });
      expect(localQueue?.items).toHaveLength(3);
    });

    it("serves the queue blind: no model or judge name anywhere, both answers, priority tiers first", async () => {
      const q = await queue(roundId, key.r1);
      expect(q.remaining).toBe(15);
      expect(q.items).toHaveLength(15);
      expect(q.queued["jury-disagreement"] + q.queued["swap-inconsistency"] + q.queued.sample).toBe(15);
      const text = JSON.stringify(q);
      for (const name of [...CANDIDATES, ...JUDGES, "sim-"]) expect(text).not.toContain(name);
      for (const item of q.items) {
        expect(Object.keys(item).sort()).toEqual(["answers", "id", "instruction"]);
        const b = battlesById.get(Number(item.id));
        expect(b).toBeDefined();
        if (!b) continue;
        const writers = [writerOf.get(roundId)?.get(item.answers.A), writerOf.get(roundId)?.get(item.answers.B)].sort();
        expect(writers).toEqual([b.modelA, b.modelB].sort());
      }
      // The first items are the battles whose judges disagree (strict rule), computed here.
      const disagree = (b: BattleView) => {
        const [x, y] = JUDGES.map((j) => strictVote(b, j));
        return x != null && y != null && x !== y;
      };
      const n = q.queued["jury-disagreement"];
      expect(q.items.slice(0, n).every((i) => disagree(battlesById.get(Number(i.id)) as BattleView))).toBe(true);
      expect(q.items.slice(n).some((i) => disagree(battlesById.get(Number(i.id)) as BattleView))).toBe(false);
      // Both reviewers see the same battles, in their own order and their own blind positions.
      const q2 = await queue(roundId, key.r2);
      expect(q2.items.map((i) => i.id).sort()).toEqual(q.items.map((i) => i.id).sort());
      const swappedFor = (qq: Queue) => qq.items.map((i) => writerOf.get(roundId)?.get(i.answers.A) === battlesById.get(Number(i.id))?.modelB);
      expect(swappedFor(q).some(Boolean) && swappedFor(q).some((s) => !s)).toBe(true);
    });

    it("ten reviews and four second opinions: the judges route reports the agreement computed from them", async () => {
      const items = (await queue(roundId, key.r1, 10)).items;
      expect(items).toHaveLength(10);
      const fair = (i: QueueItem) => strictVote(battlesById.get(Number(i.id)) as BattleView, "sim-judge-fair");
      const asVerdict = (c: Cat | null): Verdict => (c === "win" ? "A" : c === "loss" ? "B" : "tie");
      const opposite = (c: Cat | null): Verdict => (c === "win" ? "B" : "A");
      // r1: four fixed verdicts, four agreeing with the fair judge, two against it.
      const r1: Verdict[] = ["A", "A", "B", "tie", ...items.slice(4, 8).map((i) => asVerdict(fair(i))), ...items.slice(8, 10).map((i) => opposite(fair(i)))];
      // r2 on r1's first four battles: (A,A) agree, (A,B) disagree, (B,B) agree, (tie,both-bad) agree as ties.
      const r2: Verdict[] = ["A", "B", "B", "both-bad"];
      for (const [i, item] of items.entries()) {
        const b = battlesById.get(Number(item.id)) as BattleView;
        const res = await post(roundId, key.r1, { id: item.id, choice: blindChoice(roundId, item, b, r1[i] as Verdict), note: i === 0 ? "clear win" : undefined });
        expect(res.status).toBe(201);
      }
      // r2's blind order differs, so its choice is mapped through its own view of the same battle.
      const r2View = new Map((await queue(roundId, key.r2)).items.map((i) => [i.id, i]));
      for (const [i, v] of r2.entries()) {
        const item = r2View.get(items[i]?.id ?? "") as QueueItem;
        const res = await post(roundId, key.r2, { id: item.id, choice: blindChoice(roundId, item, battlesById.get(Number(item.id)) as BattleView, v) });
        expect(res.status).toBe(201);
      }
      // The stored verdicts are on the real models (the blind order undone).
      const exported = (await (await t.req("GET", `/v1/rounds/${roundId}/review/export`, undefined, as(key.admin))).text()).trim().split("\n").map((l) => JSON.parse(l) as { battleId: number; reviewer: string; verdict: Verdict; note: string | null; modelA: string });
      expect(exported).toHaveLength(14);
      const stored = (reviewer: string, id: string) => exported.find((e) => e.reviewer === reviewer && String(e.battleId) === id)?.verdict;
      expect(items.map((i) => stored(keyId.r1, i.id))).toEqual(r1);
      expect(items.slice(0, 4).map((i) => stored(keyId.r2, i.id))).toEqual(r2);
      expect(exported.find((e) => e.note !== null)?.note).toBe("clear win");

      const stats = await json<{ judges: { judge: string; humanAgreement: Agreement }[]; humans: { verdicts: number; battles: number; reviewers: number; humanHuman: Agreement } }>(
        await t.req("GET", `/v1/rounds/${roundId}/judges`, undefined, as(key.read)),
      );
      expect(stats.humans).toMatchObject({ verdicts: 14, battles: 10, reviewers: 2 });
      // Hand-computed from r1/r2 above: 4 pairs, 3 agree (A/A, B/B, tie/both-bad); without ties 2 of 3.
      expect(stats.humans.humanHuman).toEqual({ pairs: 4, withTies: 3 / 4, pairsWithoutTies: 3, withoutTies: 2 / 3, battles: 4 });
      for (const judge of JUDGES) {
        const pairs: [Cat, Cat][] = [];
        const battles = new Set<string>();
        const add = (item: QueueItem, v: Verdict) => {
          const jv = strictVote(battlesById.get(Number(item.id)) as BattleView, judge);
          if (jv === null) return;
          pairs.push([jv, voteOf(v)]);
          battles.add(item.id);
        };
        items.forEach((item, i) => add(item, r1[i] as Verdict));
        items.slice(0, 4).forEach((item, i) => add(item, r2[i] as Verdict));
        const want = { ...reference(pairs), battles: battles.size };
        const got = stats.judges.find((j) => j.judge === judge)?.humanAgreement;
        expect(got).toMatchObject({ pairs: want.pairs, pairsWithoutTies: want.pairsWithoutTies, battles: want.battles });
        expect(got?.withTies ?? null).toBeCloseTo(want.withTies ?? Number.NaN, 12);
        if (want.withoutTies === null) expect(got?.withoutTies).toBeNull();
        else expect(got?.withoutTies).toBeCloseTo(want.withoutTies, 12);
        if (want.kappa === null) expect(got?.kappa).toBeNull();
        else expect(got?.kappa).toBeCloseTo(want.kappa, 12);
      }

      // Reviewed battles leave r1's queue; a second verdict replaces the first (200, not a new row).
      expect((await queue(roundId, key.r1)).remaining).toBe(5);
      const again = await post(roundId, key.r1, { id: items[0]?.id, choice: "tie" });
      expect(again.status).toBe(200);
      expect(await json(again)).toMatchObject({ created: false, humanOverride: false, labelSource: "judge" });
      const after = (await (await t.req("GET", `/v1/rounds/${roundId}/review/export`, undefined, as(key.admin))).text()).trim().split("\n");
      expect(after).toHaveLength(14);
    });

    it("refuses bad input with a 4xx naming the problem", async () => {
      const item = (await queue(roundId, key.r1, 1)).items[0] as QueueItem;
      const other = [...(await loadBattles(overrideId)).keys()][0];
      const pending = [...(await loadBattles(pendingId)).keys()][0];
      const cases: { name: string; path?: string; body: unknown; status: number; says: string }[] = [
        { name: "unknown round", path: "/v1/rounds/no-such-round/review", body: { id: item.id, choice: "A" }, status: 404, says: "no-such-round" },
        { name: "a battle of another round", body: { id: String(other), choice: "A" }, status: 404, says: "not a battle of round" },
        { name: "a battle that does not exist", body: { id: "999999999", choice: "A" }, status: 404, says: "999999999" },
        { name: "an id that is not a battle id", body: { id: "abc", choice: "A" }, status: 400, says: "id" },
        { name: "an unknown choice", body: { id: item.id, choice: "C" }, status: 400, says: "choice" },
        { name: "a NUL in the note", body: { id: item.id, choice: "A", note: "a\u0000b" }, status: 400, says: "note" },
        { name: "a note too long", body: { id: item.id, choice: "A", note: "x".repeat(4001) }, status: 400, says: "note" },
        { name: "an unknown field", body: { id: item.id, choice: "A", winner: "model_a" }, status: 400, says: "winner" },
        { name: "a battle not judged yet", path: `/v1/rounds/${pendingId}/review`, body: { id: String(pending), choice: "A" }, status: 409, says: "pending" },
      ];
      for (const tc of cases) {
        const res = await t.req("POST", tc.path ?? `/v1/rounds/${roundId}/review`, tc.body, as(key.r1));
        expect(res.status, tc.name).toBe(tc.status);
        const body = await json<{ error: { message: string } }>(res);
        expect(JSON.stringify(body.error), tc.name).toContain(tc.says);
      }
      for (const q of ["limit=0", "limit=101", "limit=x"]) expect((await t.req("GET", `/v1/rounds/${roundId}/review?${q}`, undefined, as(key.r1))).status).toBe(400);
      expect((await t.req("GET", "/v1/rounds/no-such-round/review", undefined, as(key.r1))).status).toBe(404);
      expect((await t.req("GET", "/v1/rounds/no-such-round/review/export", undefined, as(key.admin))).status).toBe(404);
      // A round id the database could not store is a 400, never a 500 (found by tests/fuzz).
      for (const path of ["/v1/rounds/a%00b/review/export", "/v1/rounds/a%00b/review"]) expect((await t.req("GET", path, undefined, as(key.admin))).status, path).toBe(400);
    });

    it("enforces scopes: review routes need review (or admin); a review key does nothing else", async () => {
      const item = (await queue(roundId, key.r1, 1)).items[0] as QueueItem;
      expect((await post(roundId, key.write, { id: item.id, choice: "A" })).status).toBe(403);
      expect((await t.req("GET", `/v1/rounds/${roundId}/review`, undefined, as(key.read))).status).toBe(403);
      expect((await post(roundId, key.admin, { id: item.id, choice: "tie" })).status).toBe(201);
      const denied: [string, string, unknown][] = [
        ["GET", `/v1/rounds/${roundId}`, undefined],
        ["GET", "/v1/battles", undefined],
        ["POST", "/v1/models", { name: "x", provider: "sim", model: "x" }],
        ["POST", "/v1/keys", { name: "x", scopes: ["admin"] }],
        ["GET", `/v1/rounds/${roundId}/review/export`, undefined],
        ["POST", `/v1/rounds/${roundId}/cancel`, undefined],
      ];
      for (const [method, path, body] of denied) expect((await t.req(method, path, body, as(key.r1))).status, `${method} ${path}`).toBe(403);
      // Another spelling of the review path must not route to it under a weaker rule.
      const spelled = await t.app.request(`/v1/rounds/${roundId}/%72eview`, { method: "POST", headers: { authorization: `Bearer ${key.write}`, "content-type": "application/json" }, body: JSON.stringify({ id: item.id, choice: "A" }) });
      expect([403, 404]).toContain(spelled.status);
    });

    it("imports labels line by line, rejecting bad lines by number, and exports them back", async () => {
      const ids = [...battlesById.keys()];
      const b = battlesById.get(ids[0] ?? 0) as BattleView;
      const lines = [
        JSON.stringify({ battleId: b.id, reviewer: "alice", verdict: "A", note: "imported" }),
        "not json",
        JSON.stringify({ battleId: 999999999, reviewer: "alice", verdict: "A" }),
        JSON.stringify({ battleId: b.id, reviewer: "bob", verdict: "C" }),
        JSON.stringify({ battleId: b.id, reviewer: "carol", verdict: "B", modelA: "not-the-model" }),
        "",
        JSON.stringify({ battleId: String(ids[1]), reviewer: "alice", verdict: "both-bad" }),
        JSON.stringify({ battleId: b.id, reviewer: "alice", verdict: "B" }),
      ].join("\n");
      const res = await t.req("POST", `/v1/rounds/${roundId}/review/import`, lines, { key: key.admin, headers: { "content-type": "application/x-ndjson" } });
      expect(res.status).toBe(200);
      const summary = await json<{ imported: number; updated: number; rejected: { line: number; reason: string }[] }>(res);
      expect(summary.imported).toBe(2);
      expect(summary.updated).toBe(1);
      expect(summary.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
      expect(summary.rejected.map((r) => r.reason.split(":")[0])).toEqual(["invalid JSON", "battleId", "verdict", "modelA/modelB"]);
      const exported = (await (await t.req("GET", `/v1/rounds/${roundId}/review/export`, undefined, as(key.admin))).text()).trim().split("\n");
      const alice = exported.map((l) => JSON.parse(l) as { reviewer: string; reviewerKind: string; battleId: number; verdict: string }).filter((e) => e.reviewer === "alice");
      expect(alice.map((e) => [e.reviewerKind, e.battleId, e.verdict])).toEqual([["import", b.id, "B"], ["import", ids[1], "both-bad"]]);
      // Re-importing the whole export changes nothing: every line replaces itself.
      const again = await t.req("POST", `/v1/rounds/${roundId}/review/import`, exported.join("\n"), { key: key.admin, headers: { "content-type": "application/x-ndjson" } });
      expect(await json(again)).toMatchObject({ imported: 0, updated: exported.length, rejected: [] });
      expect((await t.req("POST", `/v1/rounds/${roundId}/review/import`, "{}", { key: key.admin })).status).toBe(415);
      expect((await t.req("POST", `/v1/rounds/no-such-round/review/import`, lines, { key: key.admin, headers: { "content-type": "application/x-ndjson" } })).status).toBe(404);
    });

    it("humanOverride: a person's verdict replaces the judges' outcome in the cells, the board and the export", async () => {
      const battles = await loadBattles(overrideId);
      // A battle the judges gave to model A; the reviewer gives it to model B.
      const b = [...battles.values()].find((x) => x.outcome !== null && x.outcome > 0.5) as BattleView;
      expect(b).toBeDefined();
      const old = b.outcome as number;
      const cell = async (outcome: number) => {
        const [row] = await t.deps.db.select({ count: battleCells.count }).from(battleCells).where(and(eq(battleCells.roundId, overrideId), eq(battleCells.modelA, b.modelA), eq(battleCells.modelB, b.modelB), eq(battleCells.outcome, outcome)));
        return Number(row?.count ?? 0);
      };
      const board = async () => json<{ items: { model: string; battles: number; winRate: number }[] }>(await t.req("GET", `/v1/leaderboard?roundId=${overrideId}&bootstrap=0`, undefined, as(key.read)));
      const before = await board();
      const [oldCell, zeroCell] = [await cell(old), await cell(0)];
      const item = (await queue(overrideId, key.r1)).items.find((i) => i.id === String(b.id)) as QueueItem;
      const res = await post(overrideId, key.r1, { id: item.id, choice: blindChoice(overrideId, item, b, "B") });
      expect(res.status).toBe(201);
      expect(await json(res)).toMatchObject({ humanOverride: true, labelSource: "human" });
      // The battle moved from its old cell to the outcome-0 cell, in the same transaction.
      expect([await cell(old), await cell(0)]).toEqual([oldCell - 1, zeroCell + 1]);
      const after = await board();
      const stat = (bd: typeof before, m: string) => bd.items.find((i) => i.model === m);
      // Mean share won: model B's share in this battle went from 1 - old to 1, model A's from old to 0.
      const nB = stat(before, b.modelB)?.battles ?? 0;
      const nA = stat(before, b.modelA)?.battles ?? 0;
      expect(stat(after, b.modelB)?.battles).toBe(nB);
      expect(stat(after, b.modelB)?.winRate).toBeCloseTo((stat(before, b.modelB)?.winRate ?? 0) + old / nB, 12);
      expect(stat(after, b.modelA)?.winRate).toBeCloseTo((stat(before, b.modelA)?.winRate ?? 0) - old / nA, 12);
      // The inspector's listing shows the people's label beside the judges' one.
      expect((await loadBattles(overrideId)).get(b.id)).toMatchObject({ outcome: 0, labelSource: "human", humanOutcome: 0, judgeOutcome: old, humanVerdicts: [{ verdict: "B", note: null, reviewerKind: "key" }] });
      // The DPO export takes model B's answer as chosen and marks the row as a person's label.
      const dpo = (await (await t.req("GET", `/v1/exports/dpo?roundId=${overrideId}&format=trl&provenance=true&dedup=false`, undefined, as(key.read))).text()).trim().split("\n").map((l) => JSON.parse(l) as { chosen: { content: string }[]; metadata: { humanLabel?: boolean; chosenModel: string; battles: { battleId: string; humanLabel?: boolean }[] } });
      const row = dpo.find((r) => r.metadata.battles.some((x) => x.battleId === String(b.id)));
      expect(row?.metadata).toMatchObject({ humanLabel: true, chosenModel: b.modelB });
      expect(row?.metadata.battles[0]?.humanLabel).toBe(true);
      expect(dpo.filter((r) => r.metadata.humanLabel === true)).toHaveLength(1);
      // The dataset card counts it.
      const card = await (await t.req("GET", `/v1/exports/dpo/card?roundId=${overrideId}&format=trl&provenance=true&dedup=false`, undefined, as(key.read))).text();
      expect(card).toContain("- Human-labelled rows: 1 (a person's review verdict decided");
      expect(card).toContain("marked `humanLabel` in `metadata`");
      // The jury's agreement with people uses the judges' own outcome, kept beside the override.
      const stats = await json<{ humans: { jury: Agreement } }>(await t.req("GET", `/v1/rounds/${overrideId}/judges`, undefined, as(key.read)));
      expect(stats.humans.jury).toMatchObject({ pairs: 1, withTies: 0, battles: 1 });
    });
  });
});
