/**
 * The API bits the dashboard needs, on both drivers against a real round over the simulator:
 * GET /v1/battles/{id} (instruction and both stored answers), the category and outcome filters of
 * GET /v1/battles (checked against the unfiltered list), and the /v1/session cookie: HttpOnly,
 * SameSite=Strict, Path=/v1, no key in it; it opens an /events stream with the key's scopes and
 * nothing else, and dies with its key.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { responses } from "../../db/schema/index.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface BattleView { id: number; modelA: string; modelB: string; outcome: number | null; category: string | null; instructionId: number | null; judgments: unknown[] }
interface Detail extends BattleView { instruction: { messages: { role: string; content: string }[]; category: string } | null; answerA: string | null; answerB: string | null }

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("dashboard API", () => {
  describeEachDb("battles and session on $name", (target) => {
    let t: TestApp;
    let roundId = "";
    const key = { admin: "", read: "", review: "" };
    let readId = "";
    let all: BattleView[] = [];

    beforeAll(async () => {
      t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
      await registerSimModels(t, ["sim-strong", "sim-medium", "sim-weak", "sim-judge-fair"]);
      await importItems(t, mtBenchItems(6));
      const res = await t.req("POST", "/v1/rounds", { candidates: ["sim-strong", "sim-medium", "sim-weak"], pairing: "all-pairs", judges: ["sim-judge-fair"], instructions: { limit: 6, seed: 1 } });
      roundId = (await json<{ id: string }>(res)).id;
      const worker = startBattleWorker(t.deps, "test");
      await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)));
      await worker.stop();
      await t.req("POST", "/v1/battles/import", '{"model_a":"imp-x","model_b":"imp-y","winner":"tie","category":"imported-cat"}', { headers: { "content-type": "application/x-ndjson" } });
      key.admin = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "admin", scopes: ["admin"] }))).key;
      const read = await json<{ key: string; id: string }>(await t.req("POST", "/v1/keys", { name: "read", scopes: ["read"] }, { key: key.admin }));
      key.read = read.key;
      readId = read.id;
      key.review = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "rev", scopes: ["review"] }, { key: key.admin }))).key;
      all = (await json<{ items: BattleView[] }>(await t.req("GET", "/v1/battles?limit=1000", undefined, { key: key.read }))).items;
    }, 240_000);
    afterAll(async () => {
      await t?.close();
    });

    it("one battle carries its instruction and the two answers the round stored", async () => {
      const b = all.find((x) => x.instructionId !== null)!;
      const res = await t.req("GET", `/v1/battles/${b.id}`, undefined, { key: key.read });
      expect(res.status).toBe(200);
      const d = await json<Detail>(res);
      const stored = await t.deps.db.select().from(responses).where(eq(responses.roundId, roundId));
      const text = (m: string) => stored.find((r) => r.instructionId === b.instructionId && r.model === m)?.text;
      expect(d.answerA).toBe(text(b.modelA));
      expect(d.answerB).toBe(text(b.modelB));
      expect(d.answerA).not.toBe(d.answerB);
      expect(d.instruction?.messages[0]?.role).toBe("user");
      expect(d.judgments).toHaveLength(2);
      const imported = all.find((x) => x.modelA === "imp-x")!;
      expect(await json<Detail>(await t.req("GET", `/v1/battles/${imported.id}`, undefined, { key: key.read }))).toMatchObject({ instruction: null, answerA: null, answerB: null });
    });

    it("answers 404 for a missing battle and 400 for a malformed id", async () => {
      expect((await t.req("GET", "/v1/battles/999999", undefined, { key: key.read })).status).toBe(404);
      for (const bad of ["abc", "0", "-1", "1.5", "1e3"]) {
        const res = await t.req("GET", `/v1/battles/${bad}`, undefined, { key: key.read });
        expect(res.status, bad).toBe(400);
      }
    });

    it("filters by category and outcome exactly as the full list says", async () => {
      const cats = [...new Set(all.map((b) => b.category).filter((c): c is string => c !== null))];
      expect(cats.length).toBeGreaterThan(1);
      const get = async (q: string) => (await json<{ items: BattleView[] }>(await t.req("GET", `/v1/battles?limit=1000&${q}`, undefined, { key: key.read }))).items.map((b) => b.id);
      for (const c of cats) expect(await get(`category=${encodeURIComponent(c)}`)).toEqual(all.filter((b) => b.category === c).map((b) => b.id));
      const want = {
        a: all.filter((b) => b.outcome !== null && b.outcome > 0.5),
        b: all.filter((b) => b.outcome !== null && b.outcome < 0.5),
        tie: all.filter((b) => b.outcome === 0.5),
        none: all.filter((b) => b.outcome === null),
      };
      for (const [o, list] of Object.entries(want)) expect(await get(`outcome=${o}&roundId=${roundId}`), o).toEqual(list.filter((b) => all.some((x) => x.id === b.id) && b.modelA !== "imp-x").map((b) => b.id));
      expect(await get("outcome=tie&model=imp-x")).toHaveLength(1);
      const bad = await t.req("GET", "/v1/battles?outcome=win", undefined, { key: key.read });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain("outcome");
    });

    it("makes a session cookie that opens event streams only, with the key's scopes, and dies with the key", async () => {
      const res = await t.req("POST", "/v1/session", undefined, { key: key.read });
      expect(res.status).toBe(200);
      const body = await json<{ enforced: boolean; ttlSeconds: number; expiresAt: string }>(res);
      expect(body).toMatchObject({ enforced: true, ttlSeconds: 900 });
      const setCookie = res.headers.get("set-cookie") ?? "";
      expect(setCookie).toMatch(/^ma_session=v1\.[^;]+; Max-Age=900; Path=\/v1; HttpOnly; SameSite=Strict$/);
      expect(setCookie).not.toContain(key.read);
      expect(JSON.stringify(body)).not.toContain(key.read);
      const cookie = setCookie.split(";")[0]!;
      const withCookie = (method: string, path: string) => t.req(method, path, undefined, { headers: { cookie } });

      const events = await withCookie("GET", `/v1/rounds/${roundId}/events?intervalMs=100`);
      expect(events.status).toBe(200);
      expect(events.headers.get("content-type")).toContain("text/event-stream");
      expect(await events.text()).toContain("event: end");
      // Anything but an event stream still needs the header.
      for (const [m, p] of [["GET", `/v1/rounds/${roundId}`], ["GET", "/v1/battles"], ["POST", "/v1/rounds"], ["POST", `/v1/rounds/${roundId}/cancel`], ["GET", "/v1/keys"]] as const) {
        expect((await withCookie(m, p)).status, `${m} ${p}`).toBe(401);
      }
      // A tampered or foreign cookie is refused.
      const forged = cookie.replace(/\.[A-Za-z0-9_-]+$/, ".AAAA" + "A".repeat(39));
      expect((await t.req("GET", `/v1/rounds/${roundId}/events`, undefined, { headers: { cookie: forged } })).status).toBe(401);
      expect((await t.req("GET", `/v1/rounds/${roundId}/events`, undefined, { headers: { cookie: "ma_session=" + key.read } })).status).toBe(401);
      // A review-only key gets no session (events need read).
      expect((await t.req("POST", "/v1/session", undefined, { key: key.review })).status).toBe(403);
      // DELETE clears the cookie.
      const del = await t.req("DELETE", "/v1/session", undefined, { key: key.read });
      expect(del.status).toBe(204);
      expect(del.headers.get("set-cookie")).toMatch(/^ma_session=; Max-Age=0; Path=\/v1; HttpOnly; SameSite=Strict$/);
      // Revoking the key kills its session at once.
      expect((await t.req("DELETE", `/v1/keys/${readId}`, undefined, { key: key.admin })).status).toBe(200);
      const after = await withCookie("GET", `/v1/rounds/${roundId}/events?intervalMs=100`);
      expect(after.status).toBe(401);
      expect(await after.text()).toContain("POST /v1/session");
    });
  });
});
