/**
 * The dashboard on a multi-turn round, in real headless Chromium (playwright-core, /usr/bin/chromium),
 * on both drivers: a two-turn MT-bench round against the simulator (real openai SDK over HTTP), then
 * the battle inspector shows each side's whole conversation (the second user turn and both answers,
 * as GET /v1/battles/{id} states them), and the blind review queue shows the conversations in the
 * item's order. Skips, saying why, without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBattleWorker } from "../../src/background.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, importItems, mtBenchTurnItems, type Progress, registerSimModels, waitForRound } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dashboard multi-turn e2e] SKIPPED: ${CHROMIUM} not found`);

interface Detail { id: number; instruction: { turns: string[] }; turnsA: string[]; turnsB: string[] }
interface Globals {
  document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 29, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("dashboard multi-turn views", () => {
  describe.skipIf(!hasChromium)("in Chromium", () => {
    describeEachDb("on $name", (target) => {
      let t: TestApp;
      let server: ServerType;
      let url = "";
      let context: BrowserContext;
      let worker: ReturnType<typeof startBattleWorker>;
      let roundId = "";
      let dir = "";
      beforeAll(async () => {
        t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
        await registerSimModels(t, ["sim-good", "sim-forgetful", "sim-judge-fair"]);
        await importItems(t, mtBenchTurnItems(3));
        const res = await t.req("POST", "/v1/rounds", { candidates: ["sim-good", "sim-forgetful"], pairing: "all-pairs", judges: ["sim-judge-fair"] });
        roundId = (await json<{ id: string }>(res)).id;
        worker = startBattleWorker(t.deps, "test");
        await waitForRound(async () => json<Progress>(await t.req("GET", `/v1/rounds/${roundId}`)));
        server = await new Promise<ServerType>((r) => {
          const s = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, () => r(s));
        });
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        dir = mkdtempSync(join(tmpdir(), "ma-mt-chrome-"));
        context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
      }, 300_000);
      afterAll(async () => {
        await context?.close();
        await worker?.stop();
        if (server) await new Promise<void>((r) => server.close(() => r()));
        await t?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      /** Text of every node matching `sel`, read in the page. */
      const textsIn = (page: import("playwright-core").Page, sel: string) =>
        page.evaluate((s) => Array.from((globalThis as unknown as Globals).document.querySelectorAll(s)).map((n) => n.textContent ?? ""), sel);

      it("the battle inspector shows both conversations turn by turn", async () => {
        const list = await json<{ items: { id: number }[] }>(await t.req("GET", `/v1/battles?roundId=${roundId}&limit=1`));
        const d = await json<Detail>(await t.req("GET", `/v1/battles/${list.items[0]?.id}`));
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${url}/#/battle/${d.id}`);
        await page.waitForSelector("#battle-section .answer.conversation.a .answer-body");
        for (const side of ["a", "b"] as const) {
          const shown = await textsIn(page, `#battle-section .answer.${side} .turn-answer .md`);
          const want = side === "a" ? d.turnsA : d.turnsB;
          expect(shown).toHaveLength(2);
          // Rendered Markdown: each answer's words appear in its turn's box.
          for (let i = 0; i < 2; i++) expect(shown[i]?.replace(/\s+/g, " ")).toContain((want[i] ?? "").split("\n")[0]?.replace(/[*#`]/g, "").trim().slice(0, 30));
          const user = await textsIn(page, `#battle-section .answer.${side} .turn-user .md`);
          expect(user.map((u) => u.replace(/\s+/g, " ").trim())).toEqual([d.instruction.turns[1]?.replace(/\s+/g, " ").trim()]);
        }
        expect(errors).toEqual([]);
        await page.close();
      });

      it("the review queue shows the two conversations blind", async () => {
        const page = await context.newPage();
        await page.goto(`${url}/#/review/${roundId}`);
        await page.waitForSelector("#review-item .answer.conversation.a");
        expect(await textsIn(page, "#review-item .answer.a .turn-answer")).toHaveLength(2);
        expect(await textsIn(page, "#review-item .answer.b .turn-answer")).toHaveLength(2);
        const body = await page.textContent("#review-item");
        expect(body).not.toContain("sim-forgetful");
        expect(body).not.toContain("sim-good");
        await page.close();
      });
    });
  });
});
