/**
 * The dashboard's workbench views in real headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium), on both drivers: the real app served over HTTP in this process (so the test can
 * plant hostile text in a stored answer), a real round against the simulator (real openai SDK over
 * HTTP). Checks: the battle inspector filters and pages as GET /v1/battles does and shows one battle's
 * answers side by side with Markdown rendered safely (script tags, javascript: links and onerror
 * attributes stay inert text; https links get rel=noopener); a reviewer works through ten battles of
 * the blind queue with the keyboard (model names never on screen) and the judge-human agreement the
 * API then reports equals the one computed here from the keys pressed; the round view follows a
 * running round live over server-sent events opened by an HttpOnly session cookie that never holds
 * the key; the loop view (by the loop's name) shows each version's held-out rating as a line chart,
 * rows per category and feedback weights as the API states them; the overview shows the SVG interval
 * chart with an axis and both win-rate heatmaps.
 * Screenshots of each view go to tests/artifacts/. Skips, saying why, without /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { and, eq } from "drizzle-orm";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responses } from "../../db/schema/index.js";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");
const CANDIDATES = ["sim-strong", "sim-medium", "sim-weak"];
const JUDGES = ["sim-judge-fair", "sim-judge-noisy"];
/** A stored answer an attacker wrote: tags, an event handler, script and data links, and one fair link. */
const HOSTILE = [
  "<script>window.__xss = 1</script>",
  "",
  '<img src=x onerror="window.__xss = 2">',
  "",
  "[click me](javascript:window.__xss=3) and [data](data:text/html,<script>window.__xss=4</script>)",
  "",
  "[fair link](https://example.org/page) with **bold** and `<b>code</b>`",
].join("\n");

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dashboard views e2e] SKIPPED: ${CHROMIUM} not found; install it with: apt-get update && apt-get install -y chromium`);

type Cat = "win" | "tie" | "loss";
type Choice = "A" | "B" | "tie" | "both-bad";
interface BattleView { id: number; modelA: string; modelB: string; outcome: number | null; category: string | null; instructionId: number | null; judgments: { judge: string; order: string; verdict: string | null; rawText: string | null }[] }
interface Agreement { pairs: number; withTies: number | null; pairsWithoutTies: number; withoutTies: number | null; kappa: number | null }
/** The browser globals used inside page callbacks (the project's tsconfig has no DOM lib). */
interface Globals {
  __xss?: number;
  document: { cookie: string; querySelector(s: string): { textContent: string | null; getAttribute(n: string): string | null } | null; querySelectorAll(s: string): { length: number } };
}

// --- Reference calculations of this test, independent of judges/ and battles/ ---

/** A judge's vote under the strict (MT-bench) swap rule: both orders must agree, else a tie. */
function strictVote(b: BattleView, judge: string): Cat | null {
  const shownFirst = (l: string | null | undefined): Cat | null => (l === "A>>B" || l === "A>B" ? "win" : l === "A=B" ? "tie" : l === "B>A" || l === "B>>A" ? "loss" : null);
  const flip = (c: Cat | null): Cat | null => (c === "win" ? "loss" : c === "loss" ? "win" : c);
  const ab = shownFirst(b.judgments.find((j) => j.judge === judge && j.order === "AB")?.verdict);
  const ba = flip(shownFirst(b.judgments.find((j) => j.judge === judge && j.order === "BA")?.verdict));
  if (ab !== null && ba !== null) return ab === ba ? ab : "tie";
  return ab ?? ba;
}
/** MT-bench agreement with and without ties, and Cohen's kappa (po - pe) / (1 - pe). */
function reference(pairs: [Cat, Cat][]): Agreement {
  const n = pairs.length;
  const agree = pairs.filter(([x, y]) => x === y).length;
  const noTie = pairs.filter(([x, y]) => x !== "tie" && y !== "tie");
  const share = (k: Cat, side: 0 | 1) => pairs.filter((p) => p[side] === k).length / n;
  const pe = (["win", "tie", "loss"] as const).reduce((s, k) => s + share(k, 0) * share(k, 1), 0);
  return {
    pairs: n,
    withTies: n === 0 ? null : agree / n,
    pairsWithoutTies: noTie.length,
    withoutTies: noTie.length === 0 ? null : noTie.filter(([x, y]) => x === y).length / noTie.length,
    kappa: n === 0 || 1 - pe < 1e-12 ? null : (agree / n - pe) / (1 - pe),
  };
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 23, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("dashboard workbench views", () => {
  describe.skipIf(!hasChromium)("in Chromium", () => {
    describeEachDb("views on $name", (target) => {
      let t: TestApp;
      let server: ServerType;
      let url = "";
      let context: BrowserContext;
      let worker: ReturnType<typeof startBattleWorker>;
      let roundId = "";
      let hostileBattle: BattleView;
      const key = { admin: "", read: "", review: "" };
      const dirs: string[] = [];

      const as = (k: string) => ({ key: k });
      const getJson = async <T>(path: string, k = key.admin) => {
        const res = await t.req("GET", path, undefined, as(k));
        expect(res.status, path).toBe(200);
        return json<T>(res);
      };
      const allBattles = async (rid: string) => (await getJson<{ items: BattleView[] }>(`/v1/battles?roundId=${rid}&limit=1000`)).items;
      const startRound = async (body: Record<string, unknown>) => {
        const res = await t.req("POST", "/v1/rounds", { candidates: CANDIDATES, pairing: "all-pairs", judges: JUDGES, swapRule: "strict", ...body }, key.admin ? as(key.admin) : {});
        expect(res.status).toBe(202);
        return (await json<{ id: string }>(res)).id;
      };
      /** A new tab with `k` entered in the key form, at `hash`. */
      const openWith = async (k: string, hash: string) => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("dialog", (d) => void d.dismiss().then(() => errors.push(`dialog: ${d.message()}`)));
        await page.goto(`${url}/${hash}`);
        await page.fill("#api-key", k);
        await page.click("#key-form button[type=submit]");
        return { page, errors };
      };
      const shot = async (page: Page, name: string) => {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${target.name}.png`), fullPage: true });
      };
      const xss = (page: Page) => page.evaluate(() => (globalThis as unknown as Globals).__xss);

      beforeAll(async () => {
        t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
        await registerSimModels(t, [...CANDIDATES, ...JUDGES]);
        await importItems(t, mtBenchItems(8));
        roundId = await startRound({ name: "views", instructions: { limit: 8, seed: 3 } });
        worker = startBattleWorker(t.deps, "test");
        await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)));
        // The attacker's answer: model A's stored answer of the round's first battle.
        const [first] = await (async () => (await json<{ items: BattleView[] }>(await t.req("GET", `/v1/battles?roundId=${roundId}&limit=1`))).items)();
        hostileBattle = first!;
        await t.deps.db.update(responses).set({ text: HOSTILE }).where(and(eq(responses.roundId, roundId), eq(responses.instructionId, hostileBattle.instructionId!), eq(responses.model, hostileBattle.modelA)));
        key.admin = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "admin", scopes: ["admin"] }))).key;
        key.read = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "read", scopes: ["read"] }, as(key.admin)))).key;
        key.review = (await json<{ key: string }>(await t.req("POST", "/v1/keys", { name: "reviewer", scopes: ["review"] }, as(key.admin)))).key;
        server = await new Promise<ServerType>((res) => {
          const s = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, () => res(s));
        });
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const dir = mkdtempSync(join(tmpdir(), "ma-views-chrome-"));
        dirs.push(dir);
        context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
      }, 300_000);

      afterAll(async () => {
        await context?.close();
        await worker?.stop();
        if (server) await new Promise<void>((res) => server.close(() => res()));
        await t?.close();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      });

      it("inspector: filters and pages like the API, shows one battle with hostile Markdown inert", async () => {
        const { page, errors } = await openWith(key.read, `#/battles?roundId=${roundId}`);
        const all = await allBattles(roundId);
        expect(all).toHaveLength(24);
        const ids = () => page.$$eval("#battles tbody tr", (rows) => rows.map((r) => Number(r.getAttribute("data-battle"))));
        await page.waitForSelector("#battles tbody tr");
        expect(await ids()).toEqual(all.slice(0, 25).map((b) => b.id));
        // Filter by outcome through the form; the rows are exactly the API's.
        await page.selectOption('#battle-filter select[name="outcome"]', "a");
        await page.click('#battle-filter button[type="submit"]');
        const wantA = all.filter((b) => b.outcome !== null && b.outcome > 0.5).map((b) => b.id);
        await page.waitForFunction((n) => (globalThis as unknown as Globals).document.querySelectorAll("#battles tbody tr").length === n || (n === 0 && !!(globalThis as unknown as Globals).document.querySelector("#battles-section .empty")), wantA.length);
        expect(wantA.length === 0 ? [] : await ids()).toEqual(wantA);
        // Paging: a model filter with more than one page of 25 does not exist here; page by cursor instead.
        await page.goto(`${url}/#/battles?roundId=${roundId}&cursor=${all[9]!.id}`);
        await page.waitForFunction((first) => (globalThis as unknown as Globals).document.querySelector("#battles tbody tr")?.getAttribute("data-battle") === String(first), all[10]!.id);
        expect(await ids()).toEqual(all.slice(10).map((b) => b.id));

        await page.goto(`${url}/#/battle/${hostileBattle.id}`);
        await page.waitForSelector("#battle-section .answer.a .answer-body");
        expect(await page.isHidden("#home")).toBe(true);
        const a = await page.$eval("#battle-section .answer.a .answer-body", (n) => ({
          text: n.textContent ?? "",
          scripts: n.querySelectorAll("script").length,
          imgs: n.querySelectorAll("img").length,
          links: [...n.querySelectorAll("a")].map((x) => ({ href: x.getAttribute("href"), rel: x.getAttribute("rel"), text: x.textContent })),
          bold: n.querySelectorAll("strong").length,
          code: n.querySelector("code")?.textContent,
          withHandlers: [...n.querySelectorAll("*")].filter((x) => [...x.attributes].some((at) => at.name.startsWith("on"))).length,
        }));
        expect(a.scripts).toBe(0);
        expect(a.imgs).toBe(0);
        expect(a.withHandlers).toBe(0);
        expect(a.text).toContain("<script>window.__xss = 1</script>");
        expect(a.text).toContain('<img src=x onerror="window.__xss = 2">');
        expect(a.links).toEqual([{ href: "https://example.org/page", rel: "noopener noreferrer nofollow", text: "fair link" }]);
        expect(a.bold).toBe(1);
        expect(a.code).toBe("<b>code</b>");
        expect(await page.$$eval("script", (s) => s.map((x) => x.getAttribute("src")))).toEqual(["/dashboard/markdown.js", "/dashboard/app.js"]);
        // Both answers side by side, each judgment in both orders with its raw text, the outcome.
        const b = await getJson<BattleView & { answerB: string }>(`/v1/battles/${hostileBattle.id}`);
        expect(await page.textContent("#battle-section .answer.b h3")).toBe(`B: ${b.modelB}`);
        const rows = await page.$$eval("#judgments tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-judge"), r.getAttribute("data-order"), r.querySelector("pre.raw")?.textContent ?? ""]));
        expect(rows).toEqual(b.judgments.map((j) => [j.judge, j.order, j.rawText ?? ""]));
        expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(["AB", "BA"]));
        expect(await page.textContent("#battle-outcome")).toContain("Outcome:");
        await shot(page, "inspector-battle");
        expect(await xss(page)).toBeUndefined();
        expect(errors).toEqual([]);
        await page.close();
      }, 120_000);

      it("review: ten battles by keyboard, models hidden; the API's judge-human agreement matches the keys", async () => {
        const { page, errors } = await openWith(key.review, `#/review/${roundId}`);
        const writer = new Map((await t.deps.db.select({ model: responses.model, text: responses.text }).from(responses).where(eq(responses.roundId, roundId))).map((r) => [r.text, r.model]));
        const battles = new Map((await allBattles(roundId)).map((b) => [String(b.id), b]));
        // The reviewer's blind queue as the API gives it (same order and sides as the page shows).
        const queue = await getJson<{ items: { id: string; answers: { A: string; B: string } }[] }>(`/v1/rounds/${roundId}/review?limit=100`, key.review);
        const shownAText = new Map(queue.items.map((i) => [i.id, i.answers.A]));
        const presses = ["1", "2", "3", "4", "1", "1", "2", "3", "2", "1"];
        const done: { id: string; choice: Choice; shownA: string }[] = [];
        for (let k = 0; k < presses.length; k++) {
          const item = await page.waitForSelector("#review-item [data-item]");
          const id = (await item.getAttribute("data-item")) ?? "";
          const screen = (await page.textContent("#review-section")) ?? "";
          for (const m of CANDIDATES) expect(screen).not.toContain(m);
          expect(queue.items[k]?.id).toBe(id);
          const modelOfA = writer.get(shownAText.get(id) ?? "");
          if (k === 4) {
            await page.keyboard.press("n");
            await page.keyboard.type("checked by hand");
            await page.keyboard.press("Escape");
          }
          await page.keyboard.press(presses[k]!);
          await page.waitForFunction((n) => (globalThis as unknown as Globals).document.querySelector("#review-done")?.textContent === `${n} verdict${n === 1 ? "" : "s"} sent`, k + 1);
          const choice = ({ "1": "A", "2": "B", "3": "tie", "4": "both-bad" } as const)[presses[k] as "1"];
          done.push({ id, choice, shownA: modelOfA ?? "" });
        }
        expect(new Set(done.map((d) => d.id)).size).toBe(10);
        // The review view stands alone: the overview (with its model names) is not on screen.
        expect(await page.isHidden("#home")).toBe(true);
        expect(await page.isVisible("#review-section")).toBe(true);
        await shot(page, "review");
        expect(await xss(page)).toBeUndefined();
        expect(errors).toEqual([]);
        await page.close();

        // The verdicts as real-model outcomes: what shown "A" was is found by the answer's writer.
        const humanVote = (d: (typeof done)[number]): Cat => {
          const b = battles.get(d.id)!;
          expect([b.modelA, b.modelB]).toContain(d.shownA);
          if (d.choice === "tie" || d.choice === "both-bad") return "tie";
          const shownWins = d.choice === "A" ? d.shownA : d.shownA === b.modelA ? b.modelB : b.modelA;
          return shownWins === b.modelA ? "win" : "loss";
        };
        const stats = await getJson<{ judges: { judge: string; humanAgreement: Agreement }[]; humans: { verdicts: number; battles: number; reviewers: number } }>(`/v1/rounds/${roundId}/judges`, key.read);
        expect(stats.humans).toMatchObject({ verdicts: 10, battles: 10, reviewers: 1 });
        for (const judge of JUDGES) {
          const pairs: [Cat, Cat][] = [];
          for (const d of done) {
            const jv = strictVote(battles.get(d.id)!, judge);
            if (jv !== null) pairs.push([jv, humanVote(d)]);
          }
          const want = reference(pairs);
          const got = stats.judges.find((j) => j.judge === judge)?.humanAgreement;
          expect(got).toMatchObject({ pairs: want.pairs, pairsWithoutTies: want.pairsWithoutTies });
          expect(got?.withTies ?? null).toBeCloseTo(want.withTies ?? Number.NaN, 12);
          if (want.withoutTies === null) expect(got?.withoutTies).toBeNull();
          else expect(got?.withoutTies).toBeCloseTo(want.withoutTies, 12);
          if (want.kappa === null) expect(got?.kappa).toBeNull();
          else expect(got?.kappa).toBeCloseTo(want.kappa, 12);
        }
        // The note typed after "n" was stored with the fifth verdict.
        const exported = (await (await t.req("GET", `/v1/rounds/${roundId}/review/export`, undefined, as(key.admin))).text()).trim().split("\n").map((l) => JSON.parse(l) as { battleId: number; note: string | null });
        expect(exported.find((e) => String(e.battleId) === done[4]!.id)?.note).toBe("checked by hand");
        expect(exported.filter((e) => e.note !== null)).toHaveLength(1);
      }, 120_000);

      it("round view: live over server-sent events through an HttpOnly session cookie; judges with human agreement", async () => {
        // No worker while the page opens: the round is surely pending, then runs and ends while watched.
        await worker.stop();
        const live = await startRound({ name: "live", instructions: { limit: 4, seed: 9 } });
        const { page, errors } = await openWith(key.read, `#/round/${live}`);
        await page.waitForSelector('#round-live .round-progress[data-status="pending"]');
        await page.waitForFunction(() => (globalThis as unknown as Globals).document.querySelector("#round-stream")?.textContent === "live (server-sent events)");
        sim.setLatency({ kind: "fixed", ms: 100 });
        worker = startBattleWorker(t.deps, "test");
        await page.waitForSelector('#round-live .round-progress[data-status="done"]', { timeout: 90_000 });
        sim.setLatency({ kind: "fixed", ms: 1 });
        expect(await page.textContent("#round-counts")).toBe("12 / 12 battles");
        await page.waitForFunction(() => (globalThis as unknown as Globals).document.querySelector("#round-stream")?.textContent === "finished");
        const cookies = await context.cookies(`${url}/v1/rounds/${live}/events`);
        const session = cookies.find((c) => c.name === "ma_session");
        expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/v1" });
        expect(session?.value).not.toContain(key.read);
        expect(session!.expires * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
        expect(await page.evaluate(() => (globalThis as unknown as Globals).document.cookie)).toBe("");
        expect(await page.$$eval("#judge-stats tbody tr", (rs) => rs.map((r) => r.getAttribute("data-judge")))).toEqual(JUDGES);
        await shot(page, "round-live");

        // The reviewed round shows the agreement the API computed.
        await page.goto(`${url}/#/round/${roundId}`);
        await page.waitForSelector("#judge-stats tbody tr");
        const stats = await getJson<{ judges: { judge: string; humanAgreement: Agreement }[]; agreement: { pairs: { judgeA: string; judgeB: string; kappa: number | null }[]; fleiss: { kappa: number | null } } }>(`/v1/rounds/${roundId}/judges`, key.read);
        // Judge-judge Cohen's kappa per pair and Fleiss' kappa, as the API states them (3 decimals).
        const kappas = await page.$$eval("#judge-agreement tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-pair"), r.querySelector("td.kappa")?.textContent]));
        expect(kappas).toEqual([
          ...stats.agreement.pairs.map((p) => [`${p.judgeA}|${p.judgeB}`, p.kappa === null ? "—" : p.kappa.toFixed(3)]),
          ["fleiss", stats.agreement.fleiss.kappa === null ? "—" : stats.agreement.fleiss.kappa.toFixed(3)],
        ]);
        for (const j of stats.judges) {
          const cell = await page.textContent(`#judge-stats tr[data-judge="${j.judge}"] td.human-with`);
          expect(cell).toBe(`${((j.humanAgreement.withTies ?? 0) * 100).toFixed(1)}% (${j.humanAgreement.pairs})`);
        }
        expect(await page.textContent("#human-summary")).toContain("Human verdicts: 10 on 10 battles by 1 reviewers");
        await shot(page, "round");
        expect(errors).toEqual([]);
        await page.close();
      }, 150_000);

      it("loop view by name: versions, held-out ratings as a line chart, rows per category, feedback weights", async () => {
        const post = async (path: string, body: unknown, status: number) => {
          const res = await t.req("POST", path, body, as(key.admin));
          expect(res.status, `${path} ${await res.clone().text()}`).toBe(status);
          return json<{ id: string; roundId: string; evalRoundId: string }>(res);
        };
        await post("/v1/models", { name: "loop-v1", provider: "sim", model: "sim-weak" }, 201);
        await post("/v1/models", { name: "loop-v2", provider: "sim", model: "sim-medium", parent: "loop-v1" }, 201);
        const loop = await post("/v1/loops", { name: "workbench", shards: 2, seed: 4, evalHard: 1, evalDiverse: 1 }, 201);
        for (const target of ["loop-v1", "loop-v2"]) {
          const it = await post(`/v1/loops/${loop.id}/iterations`, { target, opponents: ["sim-strong"], judges: ["sim-judge-fair"] }, 202);
          for (const id of [it.roundId, it.evalRoundId]) await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${id}`, undefined, as(key.admin))));
        }
        const api = await getJson<{ iterations: { id: string; number: number; target: string; evalRating: { rating: number; ciLow: number; ciHigh: number } | null }[] }>("/v1/loops/workbench", key.read);
        expect(api.iterations.map((i) => i.target)).toEqual(["loop-v1", "loop-v2"]);

        const { page, errors } = await openWith(key.read, "#/loop/workbench");
        await page.waitForSelector("#loop-iterations tbody tr");
        const rows = await page.$$eval("#loop-iterations tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-iteration"), r.querySelector("td.rating")?.textContent]));
        expect(rows).toEqual(api.iterations.map((i) => [i.id, i.evalRating ? i.evalRating.rating.toFixed(0) : "—"]));
        const rated = api.iterations.filter((i) => i.evalRating !== null);
        expect(rated.length).toBe(2);
        expect(await page.$$eval("svg.version-chart g.version", (gs) => gs.map((g) => g.getAttribute("data-target")))).toEqual(rated.map((i) => i.target));
        expect(await page.$$eval("svg.version-chart polyline", (ls) => ls.length)).toBe(1);
        expect(await page.$$eval("svg.version-chart text.tick", (ts) => ts.length)).toBeGreaterThanOrEqual(4);

        // Rows per category: counted here from the exports' provenance, the page must say the same.
        await page.waitForSelector("#loop-yield-table, #loop-yield .empty");
        const want: string[][] = [];
        for (const i of api.iterations) {
          const count = async (kind: string, format: string) => {
            const text = await (await t.req("GET", `/v1/exports/${kind}?format=${format}&provenance=true&iterationId=${i.id}`, undefined, as(key.read))).text();
            const m = new Map<string, number>();
            for (const l of text.split("\n").filter((x) => x.trim())) {
              const c = (JSON.parse(l) as { metadata: { category: string } }).metadata.category;
              m.set(c, (m.get(c) ?? 0) + 1);
            }
            return m;
          };
          const sft = await count("sft", "messages");
          const dpo = await count("dpo", "trl");
          for (const c of [...new Set([...sft.keys(), ...dpo.keys()])].sort()) want.push([i.id, c, String(sft.get(c) ?? 0), String(dpo.get(c) ?? 0)]);
        }
        expect(want.length).toBeGreaterThan(0);
        const got = await page.$$eval("#loop-yield-table tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-iteration") ?? "", r.getAttribute("data-category") ?? "", r.querySelector("td.sft")?.textContent ?? "", r.querySelector("td.dpo")?.textContent ?? ""]));
        expect(got).toEqual(want);

        // Feedback weights per iteration, as /v1/feedback states them.
        await page.waitForSelector("#loop-feedback table.feedback");
        for (const i of api.iterations) {
          const f = await getJson<{ categories: { category: string; weight: number }[] }>(`/v1/feedback?iterationId=${i.id}`, key.read);
          const cells = await page.$$eval(`#loop-feedback [data-iteration="${i.id}"] tbody tr`, (rs) => rs.map((r) => [r.getAttribute("data-category"), r.querySelector("td.weight")?.textContent]));
          expect(cells).toEqual(f.categories.map((c) => [c.category, c.weight.toFixed(3)]));
        }
        await shot(page, "loop");
        expect(errors).toEqual([]);
        await page.close();
      }, 180_000);

      it("overview: SVG interval chart with an axis, observed and predicted heatmaps, style toggle", async () => {
        const { page, errors } = await openWith(key.read, "");
        await page.waitForSelector("#lb-chart svg.interval-chart g.row");
        expect(await page.isHidden("#view")).toBe(true);
        const board = await getJson<{ items: { model: string; provisional: boolean }[] }>("/v1/leaderboard?bootstrap=100", key.read);
        const rows = await page.$$eval("#lb-chart svg.interval-chart g.row", (gs) => gs.map((g) => [g.getAttribute("data-model"), g.getAttribute("class")]));
        expect(rows).toEqual(board.items.map((i) => [i.model, i.provisional ? "row provisional" : "row"]));
        expect(await page.$$eval("#lb-chart svg text.tick", (ts) => ts.length)).toBeGreaterThanOrEqual(3);
        await page.waitForSelector("#lb-heatmaps svg.heatmap");
        const maps = await page.$$eval("#lb-heatmaps svg.heatmap", (ss) => ss.map((s) => s.querySelectorAll("rect.cell").length));
        const n = (await getJson<{ models: string[] }>("/v1/leaderboard/winrates", key.read)).models.length;
        expect(n).toBeGreaterThanOrEqual(3);
        expect(maps).toEqual([n * n, n * n]);
        await page.check("#lb-style");
        await page.waitForFunction(() => (globalThis as unknown as Globals).document.querySelector("#lb-note")?.textContent?.includes("style-controlled"));
        await shot(page, "overview");
        // Bad addresses end in a banner naming the problem, never a script error or stale data.
        for (const [hash, says] of [["#/round/nope", "nope"], ["#/battle/abc", "battle id"], ["#/battle/99999999", "99999999"], ["#/round/%E0%A4%A", "%E0%A4%A"]] as const) {
          await page.goto(`${url}/${hash}`);
          await page.waitForFunction((s) => (globalThis as unknown as Globals).document.querySelector("#banner")?.textContent?.includes(s) ?? false, says);
          expect(await page.isHidden("#home"), hash).toBe(true);
          expect(await page.textContent("#view"), hash).toBe("loading…");
        }
        expect(await xss(page)).toBeUndefined();
        expect(errors).toEqual([]);
        await page.close();
      }, 90_000);
    });
  });
});
