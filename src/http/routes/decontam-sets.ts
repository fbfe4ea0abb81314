/**
 * Decontamination sets at /v1/benchmarks: upload benchmark prompt sets (MT-Bench / Arena-Hard /
 * Self-Instruct JSONL, AlpacaEval JSON) for decontamination, list and delete them; /v1/clean: clean
 * posted texts without storing them.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { notFound } from "../../errors.js";
import { BENCHMARK_FORMATS, deleteBenchmark, listBenchmarks, uploadBenchmark, type BenchmarkSetRow } from "../../generator/stores/decontam-sets.js";
import { cleanTexts } from "../../services/generator-publish.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { PublishBody } from "../schemas.js";

const security = [{ bearer: [] }];
const SetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "letters, digits and . _ : - only");
const BenchmarkSet = z.object({ name: z.string(), format: z.string(), prompts: z.number(), createdAt: z.string() }).openapi("BenchmarkSet");
const setJson = (s: BenchmarkSetRow) => ({ ...s, createdAt: s.createdAt.toISOString() });
const Removal = z
  .object({
    id: z.string(),
    reason: z.string(),
    collidedWith: z.union([z.object({ id: z.string() }), z.object({ instructionId: z.number() }), z.object({ benchmark: z.string(), promptId: z.string() })]).optional(),
    similarity: z.number().optional(),
    detail: z.string().optional(),
  })
  .openapi("Removal");
const CleanBody = PublishBody.extend({
  items: z.array(z.object({ id: z.union([z.string().min(1).max(256), z.number()]).optional(), text: z.string().min(1).max(200_000) })).min(1).max(100_000),
}).openapi("CleanRequest");

export function decontamSetRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/benchmarks",
      tags: ["cleaning"],
      summary: "Upload a benchmark prompt set (the file as the body: JSONL for mt-bench, arena-hard, self-instruct; a JSON array for alpaca-eval); replaces a set of the same name",
      security,
      request: {
        query: z.object({ name: SetName, format: z.enum(BENCHMARK_FORMATS).optional().openapi({ description: "detected from the file when absent" }) }),
        body: {
          required: true,
          content: {
            "application/x-ndjson": { schema: z.string() },
            "text/plain": { schema: z.string() },
          },
        },
      },
      responses: { 201: jsonContent(BenchmarkSet, "Stored"), ...STD_ERRORS },
    }),
    async (c) => {
      const { name, format } = c.req.valid("query");
      return c.json(setJson(await uploadBenchmark(deps.db, name, format, await c.req.text())), 201);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/benchmarks",
      tags: ["cleaning"],
      summary: "List uploaded benchmark prompt sets",
      security,
      responses: { 200: jsonContent(z.object({ items: z.array(BenchmarkSet) }), "Sets"), ...STD_ERRORS },
    }),
    async (c) => c.json({ items: (await listBenchmarks(deps.db)).map(setJson) }, 200),
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/v1/benchmarks/{name}",
      tags: ["cleaning"],
      summary: "Delete a benchmark prompt set",
      security,
      request: { params: z.object({ name: SetName.openapi({ param: { name: "name", in: "path" } }) }) },
      responses: { 204: { description: "Deleted" }, ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      if (!(await deleteBenchmark(deps.db, name))) throw notFound("benchmark set", name);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/clean",
      tags: ["cleaning"],
      summary: "Clean texts without storing them: filters, exact and near duplicates (within the request, and against the pool with againstPool), decontamination against uploaded sets",
      security,
      request: { body: jsonBody(CleanBody) },
      responses: { 200: jsonContent(z.object({ kept: z.array(z.string()), removed: z.array(Removal), benchmarks: z.array(z.string()) }), "Outcome"), ...STD_ERRORS },
    }),
    async (c) => {
      const { items, ...opts } = c.req.valid("json");
      const texts = items.map((it, i) => ({ id: it.id === undefined ? String(i) : String(it.id), text: it.text }));
      return c.json(await cleanTexts(deps.db, texts, opts), 200);
    },
  );
  return r;
}
