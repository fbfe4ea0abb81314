/**
 * Round reports and win-rate matrices over a real finished round: 3 simulator candidates x 10
 * MT-bench prompts, all pairs, one judge (30 battles), run by an in-process worker against the
 * simulator over HTTP. Happy paths in all three formats, errors (404, 400), and security (escaping,
 * auth on /v1 but not on the dashboard page).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";

const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
const ROUND_NAME = '<script>alert("round")</script>';

interface Item { model: string; rating: number; ciLow: number; ciHigh: number; rank: number; battles: number; winRate: number }
interface Report {
  round: { id: string; status: string; counts: { total: number; done: number; invalid: number; failed: number } };
  leaderboard: { method: string; bootstrap: number; items: Item[] };
  winRates: { models: string[]; empirical: (number | null)[][]; predicted: number[][]; counts: number[][] };
  judges: { judges: { judge: string; judgments: number }[] };
  dataYield: { scored: number; decisive: number; ties: number; invalid: number; byCategory: { category: string; battles: number; decisive: number; ties: number }[] };
  trainingData: { sftRows: number; dpoPairs: number } | null;
}

describeWithSharedData("reports over a judged round of MT-bench prompts", () => {
  let sim: Simulator;
  let t: TestApp;
  let roundId = "";

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, latency: { kind: "fixed", ms: 1 } });
    t = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
    await registerSimModels(t, [...CANDIDATES, "sim-judge-fair"]);
    await importItems(t, mtBenchItems(10));
    const created = await t.req("POST", "/v1/rounds", { name: ROUND_NAME, candidates: CANDIDATES, pairing: "all-pairs", judges: ["sim-judge-fair"] });
    expect(created.status).toBe(202);
    roundId = (await json<{ id: string }>(created)).id;
    const worker = startBattleWorker(t.deps, "test");
    const done = await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)), 60_000);
    await worker.stop();
    expect(done.status).toBe("done");
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
    await sim?.close();
  });

  describe("GET /v1/reports/rounds/{id} (happy)", () => {
    it("json: the round's board, matrices consistent with the stored battles, judge stats, yield", async () => {
      const res = await t.req("GET", `/v1/reports/rounds/${roundId}?format=json`);
      expect(res.status).toBe(200);
      const r = await json<Report>(res);
      expect(r.round).toMatchObject({ id: roundId, status: "done", counts: { total: 30, done: 30, failed: 0 } });

      // The same board the leaderboard endpoint gives for this round (same seed and bootstrap rounds).
      const board = await json<{ items: Item[] }>(await t.req("GET", `/v1/leaderboard?roundId=${roundId}&bootstrap=100`));
      expect(r.leaderboard.items).toEqual(board.items);
      expect(r.winRates.models).toEqual(board.items.map((i) => i.model));
      expect([...r.winRates.models].sort()).toEqual([...CANDIDATES].sort());

      // Independent check of the empirical matrix: tally the battles listed by /v1/battles.
      const battles = await listBattles(roundId);
      const scored = battles.filter((b) => b.outcome !== null);
      const idx = new Map(r.winRates.models.map((m, i) => [m, i]));
      const won = r.winRates.models.map(() => r.winRates.models.map(() => 0));
      const n = r.winRates.models.map(() => r.winRates.models.map(() => 0));
      const bump = (m: number[][], i: number, j: number, v: number) => {
        const row = m[i];
        if (row) row[j] = (row[j] ?? 0) + v;
      };
      for (const b of scored) {
        const [i, j, y] = [idx.get(b.modelA) ?? -1, idx.get(b.modelB) ?? -1, b.outcome ?? 0];
        bump(won, i, j, y);
        bump(won, j, i, 1 - y);
        bump(n, i, j, 1);
        bump(n, j, i, 1);
      }
      expect(r.winRates.counts).toEqual(n);
      r.winRates.empirical.forEach((row, i) => row.forEach((v, j) => {
        if (i === j) expect(v).toBeNull();
        else expect(v).toBeCloseTo((won[i]?.[j] ?? 0) / (n[i]?.[j] ?? 1), 12);
      }));
      // Predicted from the ratings: 1 / (1 + 10^((Rj - Ri) / 400)).
      const rating = r.leaderboard.items.map((i) => i.rating);
      r.winRates.predicted.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(1 / (1 + 10 ** (((rating[j] ?? 0) - (rating[i] ?? 0)) / 400)), 9)));

      const ties = scored.filter((b) => b.outcome === 0.5).length;
      expect(r.dataYield).toMatchObject({ scored: scored.length, ties, decisive: scored.length - ties, invalid: r.round.counts.invalid });
      expect(r.dataYield.byCategory.reduce((s, c) => s + c.battles, 0)).toBe(scored.length);
      expect(r.judges.judges.map((j) => j.judge)).toEqual(["sim-judge-fair"]);
      expect(r.judges.judges[0]?.judgments).toBe(60);
      // The yield equals what the export endpoints stream for this round (default policy).
      const count = async (path: string) => (await (await t.req("GET", path)).text()).split("\n").filter((l) => l !== "").length;
      expect(r.trainingData).toEqual({ sftRows: await count(`/v1/exports/sft?roundId=${roundId}`), dpoPairs: await count(`/v1/exports/dpo?roundId=${roundId}`) });
      expect(r.trainingData?.dpoPairs).toBeGreaterThan(0);
    });

    it("html (the default): a self-contained page with the charts, escaped round name, strict CSP", async () => {
      const res = await t.req("GET", `/v1/reports/rounds/${roundId}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      const html = await res.text();
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html.match(/<svg /g)).toHaveLength(3);
      for (const m of CANDIDATES) expect(html).toContain(`data-model="${m}"`);
      expect(html).not.toContain("<script");
      expect(html).toContain("&lt;script&gt;alert(&quot;round&quot;)&lt;/script&gt;");
      expect(html).not.toContain("not computed");
      const report = await json<{ trainingData: { sftRows: number; dpoPairs: number } }>(await t.req("GET", `/v1/reports/rounds/${roundId}?format=json`));
      expect(html).toMatch(new RegExp(`SFT rows</td>\\s*<td[^>]*>${report.trainingData.sftRows}</td>`));
      expect(html).toMatch(new RegExp(`DPO pairs</td>\\s*<td[^>]*>${report.trainingData.dpoPairs}</td>`));
    });

    it("md: Markdown tables in leaderboard order", async () => {
      const res = await t.req("GET", `/v1/reports/rounds/${roundId}?format=md`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
      const md = await res.text();
      const board = await json<{ items: Item[] }>(await t.req("GET", `/v1/leaderboard?roundId=${roundId}`));
      const rows = md.split("\n").filter((l) => /^\| \d+ \| sim-/.test(l)).slice(0, 3);
      expect(rows.map((l) => l.split(" | ")[1])).toEqual(board.items.map((i) => i.model));
      expect(md).not.toContain("<script");
    });
  });

  describe("GET /v1/leaderboard/winrates and /categories", () => {
    it("matches the round report's matrices for the same round", async () => {
      const w = await json<{ models: string[]; ratings: number[]; empirical: unknown; predicted: unknown; counts: unknown }>(await t.req("GET", `/v1/leaderboard/winrates?roundId=${roundId}`));
      const r = await json<Report>(await t.req("GET", `/v1/reports/rounds/${roundId}?format=json&bootstrap=0`));
      expect(w.models).toEqual(r.winRates.models);
      expect(w.empirical).toEqual(r.winRates.empirical);
      expect(w.counts).toEqual(r.winRates.counts);
      expect(w.predicted).toEqual(r.winRates.predicted);
      expect(w.ratings).toEqual(r.leaderboard.items.map((i) => i.rating));
    });

    it("lists the round's categories with their battle counts", async () => {
      const c = await json<{ items: { category: string; battles: number }[] }>(await t.req("GET", `/v1/leaderboard/categories?roundId=${roundId}`));
      const r = await json<Report>(await t.req("GET", `/v1/reports/rounds/${roundId}?format=json&bootstrap=0`));
      expect(c.items).toEqual(r.dataYield.byCategory.filter((x) => x.category !== "").map((x) => ({ category: x.category, battles: x.battles })));
    });

    it("answers empty matrices for a filter with no battles", async () => {
      const w = await json<{ models: string[] }>(await t.req("GET", "/v1/leaderboard/winrates?category=nope"));
      expect(w).toEqual({ models: [], ratings: [], empirical: [], predicted: [], counts: [] });
    });
  });

  describe("OpenAPI", () => {
    it("documents the report and win-rate routes with their formats", async () => {
      const doc = await json<{ paths: Record<string, { get?: { parameters?: { name: string; schema?: { enum?: string[] } }[]; responses: Record<string, { content?: Record<string, unknown> }> } }> }>(await t.req("GET", "/openapi.json"));
      const report = doc.paths["/v1/reports/rounds/{id}"]?.get;
      expect(report?.parameters?.find((p) => p.name === "format")?.schema?.enum).toEqual(["html", "md", "json"]);
      expect(Object.keys(report?.responses["200"]?.content ?? {})).toEqual(["text/html", "text/markdown", "application/json"]);
      expect(Object.keys(report?.responses ?? {})).toEqual(expect.arrayContaining(["400", "401", "404"]));
      expect(doc.paths["/v1/leaderboard/winrates"]?.get).toBeDefined();
      expect(doc.paths["/v1/leaderboard/categories"]?.get).toBeDefined();
      expect(doc.paths["/"]).toBeUndefined();
    });
  });

  describe("errors", () => {
    const cases = [
      // ROUND stands for the finished round's id (known only after beforeAll).
      { path: "/v1/reports/rounds/no-such-round", status: 404, code: "not_found", mentions: "no-such-round" },
      { path: "/v1/reports/rounds/no-such-round?format=json", status: 404, code: "not_found", mentions: "round" },
      { path: "/v1/reports/rounds/ROUND?format=pdf", status: 400, code: "validation_failed", mentions: "format" },
      { path: "/v1/reports/rounds/ROUND?bootstrap=-1", status: 400, code: "validation_failed", mentions: "bootstrap" },
      { path: "/v1/leaderboard/winrates?roundId=", status: 400, code: "validation_failed", mentions: "roundId" },
    ];
    for (const tc of cases) {
      it(`${tc.path} -> ${tc.status}`, async () => {
        const res = await t.req("GET", tc.path.replace("ROUND", roundId));
        expect(res.status).toBe(tc.status);
        const body = await json<{ error: { code: string; message: string } }>(res);
        expect(body.error.code).toBe(tc.code);
        expect(body.error.message).toContain(tc.mentions);
      });
    }
  });

  describe("security: with an API key configured", () => {
    let secured: TestApp;
    const KEY = "report-test-key-0123456789";
    beforeAll(async () => {
      secured = await makeTestApp(await openDb({ dataDir: "memory://" }), { MATRIX_ARENA_API_KEY: KEY });
    });
    afterAll(async () => {
      await secured?.close();
      await secured?.deps.dbHandle.close();
    });
    const cases = [
      { path: "/", key: undefined, status: 200, type: "text/html; charset=utf-8" },
      { path: "/dashboard/app.js", key: undefined, status: 200, type: "text/javascript; charset=utf-8" },
      { path: "/dashboard/app.css", key: undefined, status: 200, type: "text/css; charset=utf-8" },
      { path: "/dashboard/markdown.js", key: undefined, status: 200, type: "text/javascript; charset=utf-8" },
      { path: "/dashboard/secret.ts", key: undefined, status: 404, type: "application/json" },
      { path: "/v1/reports/rounds/x", key: undefined, status: 401, type: "application/json" },
      { path: "/v1/leaderboard/winrates", key: undefined, status: 401, type: "application/json" },
      { path: "/v1/leaderboard/winrates", key: KEY, status: 200, type: "application/json" },
      { path: "/v1/reports/rounds/x", key: KEY, status: 404, type: "application/json" },
    ];
    for (const tc of cases) {
      it(`${tc.path} ${tc.key ? "with" : "without"} key -> ${tc.status}`, async () => {
        const res = await secured.req("GET", tc.path, undefined, { key: tc.key });
        expect(res.status).toBe(tc.status);
        expect(res.headers.get("content-type") ?? "").toContain(tc.type);
      });
    }
    it("serves the page with a CSP that allows only its own scripts and no inline script", async () => {
      const res = await secured.req("GET", "/");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      const html = await res.text();
      expect(html).toContain('<script src="/dashboard/app.js" defer></script>');
      expect(html).not.toMatch(/https?:\/\//);
    });
    it("allows the report's inline stylesheet by hash (reports opened from the page inherit its policy)", async () => {
      const report = await (await t.req("GET", `/v1/reports/rounds/${roundId}`)).text();
      const css = /<style>([\s\S]*?)<\/style>/.exec(report)?.[1] ?? "";
      expect(css.length).toBeGreaterThan(100);
      const hash = createHash("sha256").update(css).digest("base64");
      expect((await secured.req("GET", "/")).headers.get("content-security-policy")).toContain(`'sha256-${hash}'`);
    });
  });

  async function listBattles(id: string): Promise<{ modelA: string; modelB: string; outcome: number | null }[]> {
    const out: { modelA: string; modelB: string; outcome: number | null }[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page: { items: { modelA: string; modelB: string; outcome: number | null }[]; nextCursor: string | null } = await json(await t.req("GET", `/v1/battles?roundId=${id}&limit=100${q}`));
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
});
