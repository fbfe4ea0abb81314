/**
 * The dashboard's generator view in real headless Chromium, on both drivers: personas, a grouped
 * simulation and a matrix-gen run against the simulator (real HTTP), then a publish that removes two
 * planted items (a copy of a pool instruction and a copy of another item). The page must show the
 * run's stages with their task counts, the items by status, kind and category, the removed items with
 * their reasons, and for the simulation its groups, scenarios and routed messages, all as the API
 * states them. Saves tests/artifacts/generator-*.png. Skips, saying why, without /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGeneratorWorker, type GeneratorWorker } from "../../src/generator/engine/worker.js";
import { insertItems } from "../../src/generator/stores/items.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeWithSharedData, registerSimModels } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");
const MODEL = "sim-strong";
const POOL_TEXT = "Summarise the quarterly budget memo for the volunteer fire brigade in five bullet points.";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dashboard generator e2e] SKIPPED: ${CHROMIUM} not found; install it with: apt-get update && apt-get install -y chromium`);

interface RunView { id: string; status: string; stages: Record<string, Record<string, number>>; items: { byStatus: Record<string, number>; byKind: Record<string, number>; byCategory: Record<string, number> }; state: { agents?: number; groupSizes?: number[] } }
interface Item { id: number; kind: string; text: string; status: string; removalReason: string | null; metadata: Record<string, unknown> }

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 31, latency: { kind: "fixed", ms: 1 } });
});
afterAll(async () => {
  await sim?.close();
});

describeWithSharedData("dashboard generator view", () => {
  describe.skipIf(!hasChromium)("in Chromium", () => {
    describeEachDb("generator view on $name", (target) => {
      let t: TestApp;
      let worker: GeneratorWorker;
      let server: ServerType;
      let context: BrowserContext;
      let url = "";
      let simulationId = "";
      let runId = "";
      const dirs: string[] = [];

      const get = async <T>(path: string) => {
        const res = await t.req("GET", path);
        expect(res.status, path).toBe(200);
        return json<T>(res);
      };
      const waitRun = async (id: string): Promise<RunView> => {
        for (let k = 0; k < 900; k++) {
          const v = await get<RunView>(`/v1/generator/runs/${id}`);
          if (["done", "failed", "cancelled"].includes(v.status)) return v;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`run ${id} not finished`);
      };
      const start = async (path: string, body: unknown) => {
        const res = await t.req("POST", path, body);
        const out = await json<{ id: string }>(res);
        expect(res.status, JSON.stringify(out)).toBe(202);
        const v = await waitRun(out.id);
        expect(v.status).toBe("done");
        return v;
      };
      const rows = (page: Page, sel: string, attr: string) => page.$$eval(`${sel} tbody tr`, (rs, a) => rs.map((r) => [r.getAttribute(a), [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")] as const), attr);

      beforeAll(async () => {
        t = await makeTestApp(await target.open(), { MATRIX_ARENA_SIM_URL: sim.baseUrl });
        await registerSimModels(t, [MODEL, "sim-embed"]);
        worker = startGeneratorWorker(t.deps, { concurrency: 16, pollMs: 20 });
        await start("/v1/generator/personas/generate", { model: MODEL, count: 12, set: "dash", seed: 1 });
        simulationId = (await start("/v1/generator/simulations", { model: MODEL, embeddingModel: "sim-embed", personaSet: "dash", agents: 12, groups: 3, steps: 2, communication: "grouped", seed: 2 })).id;
        runId = (await start("/v1/generator/runs", { type: "matrix-gen", model: MODEL, simulationId, count: 16, seed: 3 })).id;
        // Two planted items the publish must remove: a pool instruction's text, and a copy of a generated item.
        expect((await t.req("POST", "/v1/instructions", { items: [{ text: POOL_TEXT, source: "e2e" }] })).status).toBe(200);
        const first = (await get<{ items: Item[] }>(`/v1/generator/runs/${runId}/items?limit=1`)).items[0]!;
        await insertItems(t.deps.db, runId, "planted", [
          { kind: "sft-simple", category: "writing", complexity: 2, messages: [{ role: "user", content: POOL_TEXT }], metadata: { planted: "pool" } },
          { kind: first.kind, category: "writing", complexity: 2, messages: [{ role: "user", content: `  ${first.text.toUpperCase()} ` }], metadata: { planted: "copy" } },
        ]);
        const pub = await t.req("POST", `/v1/generator/runs/${runId}/publish`, {});
        expect(pub.status, await pub.clone().text()).toBe(200);
        server = await new Promise<ServerType>((res) => {
          const s = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, () => res(s));
        });
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const dir = mkdtempSync(join(tmpdir(), "ma-gen-chrome-"));
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

      it("lists the runs on the overview, each linking to its view", async () => {
        const page = await context.newPage();
        await page.goto(`${url}/`);
        await page.waitForSelector("#generator-runs tbody tr");
        const listed = await get<{ items: { id: string; kind: string }[] }>("/v1/generator/runs?limit=20");
        expect(await page.$$eval("#generator-runs tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-run"), r.children[1]?.textContent]))).toEqual(listed.items.map((r) => [r.id, r.kind]));
        await page.click(`#generator-runs tr[data-run="${runId}"] a`);
        await page.waitForSelector("#gen-stages");
        expect(await page.isHidden("#home")).toBe(true);
        await page.close();
      }, 60_000);

      it("shows a run's stages, items by kind and category, and the removed items with their reasons", async () => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${url}/#/generator/${runId}`);
        await page.waitForSelector("#gen-removed-table tbody tr");
        const v = await get<RunView>(`/v1/generator/runs/${runId}`);
        const stageRows = await rows(page, "#gen-stages", "data-stage");
        expect(new Map(stageRows.map(([s, cells]) => [s, cells[1]]))).toEqual(new Map(Object.entries(v.stages).map(([s, c]) => [s, String(c.total)])));
        expect(stageRows).toHaveLength(Object.keys(v.stages).length);
        for (const [id, counts] of [["gen-by-kind", v.items.byKind], ["gen-by-category", v.items.byCategory], ["gen-by-status", v.items.byStatus]] as const) {
          const got = await page.$$eval(`#${id} tbody tr`, (rs) => rs.map((r) => [r.getAttribute("data-key"), r.querySelector("td")?.textContent]));
          expect(got, id).toEqual(Object.entries(counts).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, n]) => [k, String(n)]));
        }
        const removed = (await get<{ items: Item[] }>(`/v1/generator/runs/${runId}/items?status=removed&limit=1000`)).items;
        expect(removed.map((i) => i.metadata.planted).filter(Boolean).sort()).toEqual(["copy", "pool"]);
        const shown = await page.$$eval("#gen-removed-table tbody tr", (rs) => rs.map((r) => [Number(r.getAttribute("data-item")), r.querySelector("td.reason")?.textContent]));
        expect(shown).toEqual(removed.map((i) => [i.id, i.removalReason]));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `generator-run-${target.name}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }, 60_000);

      it("shows a simulation's groups, scenarios by step and group, and its routed messages", async () => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${url}/#/generator/${simulationId}`);
        await page.waitForSelector("#gen-routes tbody tr");
        const v = await get<RunView>(`/v1/generator/runs/${simulationId}`);
        expect(await page.textContent("#gen-groups")).toContain(`12 agents in 3 groups (${v.state.groupSizes!.join(", ")})`);
        const scen = await get<{ items: { step: number; groupIndex: number; title: string }[] }>(`/v1/generator/simulations/${simulationId}/scenarios?limit=1000`);
        expect(scen.items).toHaveLength(6);
        expect(await page.$$eval("#gen-scenarios tbody tr", (rs) => rs.map((r) => [r.getAttribute("data-step"), r.getAttribute("data-group"), r.children[3]?.textContent]))).toEqual(scen.items.map((s) => [String(s.step), String(s.groupIndex), s.title]));
        const routeStages = Object.keys(v.stages).filter((s) => s.startsWith("route:"));
        expect(routeStages.length).toBeGreaterThan(0);
        for (const s of routeStages) {
          const tasks = await get<{ items: { output: { deliveries?: unknown[] } | null }[] }>(`/v1/generator/runs/${simulationId}/tasks?stage=${encodeURIComponent(s)}&limit=10`);
          const n = tasks.items.reduce((k, x) => k + (x.output?.deliveries?.length ?? 0), 0);
          expect(await page.textContent(`#gen-routes tr[data-stage="${s}"] td.count`)).toBe(String(n));
        }
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `generator-simulation-${target.name}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }, 60_000);
    });
  });
});
