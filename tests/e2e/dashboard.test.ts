/**
 * The dashboard in a real browser (headless Debian Chromium via playwright-core) against the real
 * server process with an API key configured: the page loads without a key, asks for one, then shows
 * the leaderboard exactly as /v1/leaderboard orders it (ranks by the interval rule, provisional models
 * marked), follows a running round live until it is done, filters by round, toggles Elo and the other
 * rating methods (the toggle lists every one; Davidson states its tie parameter), shows a hostile
 * model name as text, and opens a round report whose SVG charts the browser's XML parser accepts; then
 * a disconnected board (an island of models that never met the rest) shows as one table per component
 * with a note. Saves tests/artifacts/dashboard.png, dashboard-components.png and report.png.
 * Skips, saying why, when /usr/bin/chromium is missing (CI installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATING_METHODS } from "../../reports/leaderboard.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { describeWithSharedData, mtBenchItems } from "../helpers/arena.js";
import { type Proc, spawnCli, stop, waitForListening } from "../helpers/proc.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");
const KEY = "dashboard-e2e-key-0123456789";
const EVIL = "<img src=x onerror=window.__xss=1>";
const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
/** The server's configured provisional minimum (MATRIX_ARENA_MIN_BATTLES), which the page must follow. */
const MIN_BATTLES = 25;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dashboard e2e] SKIPPED: ${CHROMIUM} not found; install it with: apt-get update && apt-get install -y chromium`);

interface Item { model: string; rating: number; rank: number; ciLow: number; ciHigh: number; component: number; provisional: boolean }
interface Board { connected: boolean; components: string[][]; items: Item[]; scale?: string }
/** Decimals the page prints per scale (app.js SCALE_DIGITS). */
const DIGITS: Record<string, number> = { elo: 0, points: 1, share: 3, eigenvector: 3, probability: 3 };

/** The browser globals used inside page.evaluate callbacks (the project's tsconfig has no DOM lib). */
interface BrowserGlobals {
  sessionStorage: { getItem(key: string): string | null };
  getComputedStyle(el: unknown): { borderTopLeftRadius: string };
  DOMParser: new () => { parseFromString(s: string, type: string): { getElementsByTagName(n: string): { length: number }; documentElement: { namespaceURI: string | null } } };
  __xss?: number;
}

describeWithSharedData("the dashboard over MT-bench prompts", () => {
  describe.skipIf(!hasChromium)("dashboard in Chromium", () => {
    let sim: Simulator;
    let server: Proc;
    let url = "";
    let context: BrowserContext;
    const dirs: string[] = [];
    const tmp = (p: string) => {
      const d = mkdtempSync(join(tmpdir(), p));
      dirs.push(d);
      return d;
    };

    const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      const res = await fetch(url + path, { ...init, headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...init.headers } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const waitRound = async (id: string) => {
      for (let k = 0; k < 240; k++) {
        const p = await api<{ status: string }>(`/v1/rounds/${id}`);
        if (p.status === "done") return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`round ${id} not done`);
    };
    const startRound = async (body: Record<string, unknown>) => (await api<{ id: string }>("/v1/rounds", { method: "POST", body: JSON.stringify(body) })).id;

    beforeAll(async () => {
      sim = await startSimulator({ seed: 21, latency: { kind: "fixed", ms: 1 } });
      server = spawnCli(["serve"], {
        PORT: "0",
        HOST: "127.0.0.1",
        MATRIX_ARENA_DATA_DIR: tmp("ma-dash-"),
        MATRIX_ARENA_SIM_URL: sim.baseUrl,
        MATRIX_ARENA_API_KEY: KEY,
        MATRIX_ARENA_WORKER_CONCURRENCY: "4",
        MATRIX_ARENA_MIN_BATTLES: String(MIN_BATTLES),
        LOG_LEVEL: "info",
      });
      url = await waitForListening(server, 90_000);
      for (const name of [...CANDIDATES, "sim-judge-fair", "sim-judge-noisy"]) {
        await api("/v1/models", { method: "POST", body: JSON.stringify({ name, provider: "sim", model: name, maxConcurrency: 16 }) });
      }
      await api("/v1/instructions", { method: "POST", body: JSON.stringify({ items: mtBenchItems(10) }) });
      const first = await startRound({ name: "first round", candidates: CANDIDATES, pairing: "all-pairs", judges: ["sim-judge-fair"] });
      await waitRound(first);
      // A hostile model name can only arrive through a battle log import; the page must show it as text.
      const log = Array.from({ length: 12 }, (_, k) => JSON.stringify({ model_a: EVIL, model_b: "sim-weak", winner: k % 3 === 0 ? "model_a" : "model_b", category: "writing" })).join("\n");
      await api("/v1/battles/import", { method: "POST", body: log, headers: { "content-type": "application/x-ndjson" } });
      context = await chromium.launchPersistentContext(tmp("ma-chrome-"), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    }, 180_000);

    afterAll(async () => {
      await context?.close();
      if (server) await stop(server);
      await sim?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /** Per row of every board table: table index, model, rating, rank, and the note cell. */
    const pageModels = (page: Page) =>
      page.$$eval("table.leaderboard", (tables) =>
        tables.flatMap((t, k) => [...t.querySelectorAll("tbody tr")].map((r) => [String(k), r.querySelector("td.model")?.textContent ?? "", r.children[2]?.textContent ?? "", r.querySelector("td.rank")?.textContent ?? "", r.querySelector("td.note")?.textContent ?? ""])),
      );
    const apiBoard = (q: string) => api<Board>(`/v1/leaderboard?bootstrap=100${q}`);
    const apiModels = async (q: string) => {
      const b = await apiBoard(q);
      return b.items.map((i) => [String(i.component), i.model, i.rating.toFixed(DIGITS[b.scale ?? "elo"] ?? 0), String(i.rank), i.provisional ? "provisional" : ""]);
    };
    /** The rank rule on the intervals the API returns: 1 + models of the same component entirely above. */
    const expectRankRule = (board: Board) => {
      for (const i of board.items) expect(i.rank).toBe(1 + board.items.filter((o) => o.component === i.component && o.ciLow > i.ciHigh).length);
    };
    /** Within each table the rank column never goes down. */
    const expectRanksAscend = (rows: string[][]) => {
      for (let k = 1; k < rows.length; k++) if (rows[k]?.[0] === rows[k - 1]?.[0]) expect(Number(rows[k]?.[3])).toBeGreaterThanOrEqual(Number(rows[k - 1]?.[3]));
    };
    /** Waits until the page's leaderboard rows equal the API's board for the same query. */
    const expectBoard = async (page: Page, q: string) => {
      const want = await apiModels(q);
      let got: string[][] = [];
      for (let k = 0; k < 100; k++) {
        got = await pageModels(page);
        if (JSON.stringify(got) === JSON.stringify(want)) break;
        await page.waitForTimeout(100);
      }
      expect(got).toEqual(want);
      return got;
    };

    it("asks for the key, then shows the board, live rounds, filters and a report", async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("dialog", (d) => void d.dismiss().then(() => errors.push(`dialog: ${d.message()}`)));

      // A second round on a slow simulator, so the page sees it running.
      sim.setLatency({ kind: "fixed", ms: 400 });
      const second = await startRound({ name: "second round", candidates: CANDIDATES, pairing: "all-pairs", judges: ["sim-judge-noisy"] });

      await page.goto(`${url}/`);
      await page.waitForSelector("#banner:not([hidden])");
      expect(await page.textContent("#banner")).toContain("API key");

      await page.fill("#api-key", KEY);
      await page.click("#key-form button[type=submit]");
      await page.waitForSelector(`#rounds tr[data-round="${second}"]`);
      expect(await page.textContent(`#rounds tr[data-round="${second}"] .badge`)).toMatch(/pending|running/);
      expect(await page.isHidden("#banner")).toBe(true);
      expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem("matrix-arena.apiKey"))).toBe(KEY);

      // Live: the row turns "done" without a reload; the all-battles board then matches the API's.
      await page.waitForSelector(`#rounds tr[data-round="${second}"] .badge.done`, { timeout: 60_000 });
      sim.setLatency({ kind: "fixed", ms: 1 });
      const board = await expectBoard(page, "");
      expect(board.map((r) => r[1])).toEqual(expect.arrayContaining([...CANDIDATES, EVIL]));
      expectRankRule(await apiBoard(""));
      expectRanksAscend(board);
      // The hostile model has 12 battles: provisional, and marked so; a row is marked exactly when its
      // decisive count is below the configured minimum the page states.
      expect(board.find((r) => r[1] === EVIL)?.[4]).toBe("provisional");
      const marks = await page.$$eval("table.leaderboard tbody tr", (rows) => rows.map((r) => [Number(r.children[5]?.textContent), r.querySelector("td.note")?.textContent ?? ""] as const));
      for (const [decisive, note] of marks) expect(note).toBe(decisive < MIN_BATTLES ? "provisional" : "");
      expect(await page.textContent("#lb-note")).toContain(`Provisional: fewer than ${MIN_BATTLES} decisive (non-tie) battles`);
      expect(await page.isHidden("#lb-connectivity")).toBe(true);
      expect(await page.$$eval("table.leaderboard", (t) => t.length)).toBe(1);
      const evilCell = await page.$eval(`#leaderboard tbody tr[data-model="${EVIL.replace(/"/g, '\\"')}"] td.model`, (td) => ({ text: td.textContent, imgs: td.querySelectorAll("img").length }));
      expect(evilCell).toEqual({ text: EVIL, imgs: 0 });

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });

      const firstId = await page.$eval("#rounds tbody tr:last-child", (tr) => tr.getAttribute("data-round") ?? "");
      await page.selectOption("#lb-round", firstId);
      await expectBoard(page, `&roundId=${firstId}`);
      await page.click('.seg button[data-method="elo"]');
      await expectBoard(page, `&roundId=${firstId}&method=elo`);
      await page.selectOption("#lb-category", "writing");
      await expectBoard(page, `&roundId=${firstId}&method=elo&category=writing`);
      // The method toggle lists every method the API takes; a tie-modelling method states its tie parameter.
      expect(await page.$$eval(".seg button", (bs) => bs.map((b) => b.getAttribute("data-method")))).toEqual([...RATING_METHODS]);
      await page.click('.seg button[data-method="davidson"]');
      await expectBoard(page, `&roundId=${firstId}&method=davidson&category=writing`);
      expect(await page.textContent("#lb-note")).toMatch(/Davidson .* · ties: \d+\.\d% of battles · tie parameter \d/);
      await page.click('.seg button[data-method="pagerank"]');
      await expectBoard(page, `&roundId=${firstId}&method=pagerank&category=writing`);
      expect(await page.textContent("#lb-note")).toContain("(scale: probability)");
      await page.click('.seg button[data-method="elo"]');
      await expectBoard(page, `&roundId=${firstId}&method=elo&category=writing`);

      // Scores against a baseline (issue 18): each score the API takes, under the same round and category filters.
      const baseline = (await page.$$eval("#sc-baseline option", (os) => os.map((o) => o.getAttribute("value") ?? "")))[1] ?? "";
      expect(baseline).not.toBe("");
      expect(await page.$$eval("#sc-score option", (os) => os.map((o) => o.getAttribute("value")))).toEqual(["winrate", "arena-hard", "wildbench", "lc"]);
      await page.selectOption("#sc-baseline", baseline);
      for (const score of ["winrate", "arena-hard", "wildbench", "lc"]) {
        await page.selectOption("#sc-score", score);
        const res = await fetch(`${url}/v1/leaderboard?score=${score}&baseline=${encodeURIComponent(baseline)}&roundId=${firstId}&category=writing&bootstrap=100`, { headers: { authorization: `Bearer ${KEY}` } });
        expect(res.status).toBe(200);
        const want = (await res.json()) as { definition: string; items: { model: string; battles: number }[] };
        const wantRows = want.items.map((i) => [i.model, String(i.battles)]);
        let got: string[][] = [];
        for (let k = 0; k < 100; k++) {
          got = await page.$$eval("#scores tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-model") ?? "", tr.children[3]?.textContent ?? ""]));
          if (JSON.stringify(got) === JSON.stringify(wantRows) && ((await page.textContent("#sc-definition")) ?? "").includes(want.definition)) break;
          await page.waitForTimeout(100);
        }
        expect(got).toEqual(wantRows);
        expect(await page.textContent("#sc-definition")).toContain(want.definition);
      }

      // The report opens in a new tab (fetched with the key, shown from a blob).
      const [report] = await Promise.all([context.waitForEvent("page"), page.click(`#rounds tr[data-round="${firstId}"] a:text("report")`)]);
      await report.waitForSelector("svg");
      expect(await report.$$eval("svg", (s) => s.length)).toBe(3);
      // Its inline stylesheet applies under the inherited page policy (allowed by hash).
      expect(await report.$eval("section", (el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).borderTopLeftRadius)).toBe("8px");
      await report.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
      await report.close();

      // The charts are standalone SVG: the browser's XML parser accepts each one as served.
      const html = await (await fetch(`${url}/v1/reports/rounds/${firstId}`, { headers: { authorization: `Bearer ${KEY}` } })).text();
      const svgs = html.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
      expect(svgs).toHaveLength(3);
      const parsed = await page.evaluate((list) => list.map((s) => {
        const doc = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(s, "image/svg+xml");
        return doc.getElementsByTagName("parsererror").length === 0 && doc.documentElement.namespaceURI === "http://www.w3.org/2000/svg";
      }), svgs);
      expect(parsed).toEqual([true, true, true]);

      expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__xss)).toBeUndefined();
      expect(errors).toEqual([]);
    }, 150_000);

    it("shows a disconnected board as one table per component, with a note, ranks within each", async () => {
      // Two models that only ever met each other: 40 battles, 34 decisive.
      const island = Array.from({ length: 40 }, (_, k) => JSON.stringify({ model_a: "island-x", model_b: "island-y", winner: k % 7 === 0 ? "tie" : k % 3 === 0 ? "model_b" : "model_a" })).join("\n");
      await api("/v1/battles/import", { method: "POST", body: island, headers: { "content-type": "application/x-ndjson" } });
      const api_ = await apiBoard("");
      expect(api_.connected).toBe(false);
      expect(api_.components).toHaveLength(2);
      expectRankRule(api_);

      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/`);
      await page.fill("#api-key", KEY);
      await page.click("#key-form button[type=submit]");
      await page.waitForSelector('table.leaderboard[data-component="1"]');
      const rows = await expectBoard(page, "");
      expectRanksAscend(rows);
      expect(rows.filter((r) => r[0] === "1").map((r) => [r[1], r[3]])).toEqual([["island-x", "1"], ["island-y", expect.stringMatching(/^[12]$/) as unknown as string]]);
      expect(rows.filter((r) => r[0] === "0").map((r) => r[1])).toEqual(expect.arrayContaining([...CANDIDATES, EVIL]));
      expect(await page.textContent("#lb-connectivity")).toContain("2 groups that never met");
      expect(await page.isVisible("#lb-connectivity")).toBe(true);
      expect(await page.textContent('table.leaderboard[data-component="1"] caption')).toContain("Group 2 of 2");
      expect(await page.textContent("#lb-note")).toContain("Rank = 1 + the number of models in the same table whose interval lies wholly above");
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "dashboard-components.png"), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it("renders the interactive API reference at /docs with no request leaving the machine", async () => {
      const page = await context.newPage();
      const outside: string[] = [];
      await page.route("**/*", (route) => {
        const u = new URL(route.request().url());
        if (u.hostname !== "127.0.0.1" && u.hostname !== "localhost" && u.protocol !== "blob:" && u.protocol !== "data:") {
          outside.push(u.href);
          return route.abort();
        }
        return route.continue();
      });
      await page.goto(`${url}/docs`);
      await page.waitForSelector(".opblock", { timeout: 30_000 });
      const operations = await page.$$eval(".opblock", (els) => els.length);
      const doc = await api<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json");
      const expected = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
      expect(operations).toBe(expected);
      expect(await page.textContent(".info .title")).toContain("matrix-arena");
      expect(outside).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
