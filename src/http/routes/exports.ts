/**
 * /v1/exports/{sft,dpo,reward,kto}: training data as JSONL, streamed in constant memory, plus a
 * Markdown dataset card and the LLaMA-Factory dataset_info.json entry for each export.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { FORMATS } from "../../exports/format.js";
import { datasetCard, datasetInfo, ExportQuerySchema, KINDS, planExport, runExport } from "../../exports/service.js";
import { describeZodError, errorResponse } from "../errors.js";
import { CONFLICT, jsonContent, newRouter, NOT_FOUND, STD_ERRORS, unstorableResponse } from "../openapi.js";

const SUMMARY = {
  sft: "SFT targets: where the target lost, the best opponent answer",
  dpo: "DPO pairs: winner chosen, loser rejected (the target's losing answers on-policy)",
  reward: "Reward-model data: every answer to an instruction with its pooled judge score",
  kto: "KTO rows: an answer with a good/bad label",
} as const;

/** A pull-based stream: the next chunk is produced only when the client reads (backpressure). */
function toStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export function exportRoutes(deps: Deps) {
  const r = newRouter();
  for (const kind of KINDS) {
    const query = ExportQuerySchema.extend({
      format: z.enum(FORMATS[kind] as unknown as [string, ...string[]]).optional(),
    });
    const path = `/v1/exports/${kind}`;
    // Documented through the registry and handled by a plain route: a streamed body does not fit
    // zod-openapi's typed responses. The query is validated with the same schema and error envelope.
    r.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["exports"],
      summary: `${SUMMARY[kind]} (JSONL; formats: ${FORMATS[kind].join(", ")})`,
      security: [{ bearer: [] }],
      request: { query },
      responses: { 200: { description: "JSONL, one row a line", content: { "application/x-ndjson": { schema: z.string() } } }, ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    });
    r.get(path, async (c) => {
      const parsed = query.safeParse(c.req.query());
      if (!parsed.success) {
        const { message, details } = describeZodError(parsed.error, "query");
        return errorResponse(c, 400, "validation_failed", message, details);
      }
      const refused = unstorableResponse(c, "query", parsed.data);
      if (refused) return refused;
      const q = parsed.data;
      const plan = await planExport(deps.db, kind, q);
      const run = runExport(deps.db, plan, q.provenance, q.seed);
      return new Response(toStream(run.chunks), {
        status: 200,
        headers: {
          "content-type": "application/x-ndjson; charset=utf-8",
          "content-disposition": `attachment; filename="${plan.fileName}"`,
          "x-request-id": c.get("requestId"),
        },
      });
    });
    r.openapi(
      createRoute({
        method: "get",
        path: `/v1/exports/${kind}/card`,
        tags: ["exports"],
        summary: `Markdown dataset card for the ${kind} export with the same parameters (models, judges, prompt versions, policy, counts per category)`,
        security: [{ bearer: [] }],
        request: { query },
        responses: { 200: { description: "Markdown", content: { "text/markdown": { schema: z.string() } } }, ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const plan = await planExport(deps.db, kind, q);
        return c.body(await datasetCard(deps.db, plan, q, deps.clock()), 200, { "content-type": "text/markdown; charset=utf-8" });
      },
    );
    r.openapi(
      createRoute({
        method: "get",
        path: `/v1/exports/${kind}/dataset-info`,
        tags: ["exports"],
        summary: `How to load the ${kind} export: an Axolotl dataset config for format=axolotl, else a LLaMA-Factory dataset_info.json entry`,
        security: [{ bearer: [] }],
        request: { query },
        responses: { 200: jsonContent(z.record(z.string(), z.unknown()), "Axolotl config ({rl?, datasets}) or dataset_info.json entry ({} when neither trainer has a layout for the format)"), ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
      }),
      async (c) => c.json((datasetInfo(await planExport(deps.db, kind, c.req.valid("query"))) ?? {}) as Record<string, unknown>, 200),
    );
  }
  return r;
}
