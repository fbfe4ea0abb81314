/** POST /v1/battles/import: a Chatbot Arena style JSONL battle log, streamed. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { importBattles } from "../../services/battle-import.js";
import { checkDeclaredLength, isNdjson, limitedChunks, utf8Lines } from "../ndjson-lines.js";
import { jsonContent, newRouter, STD_ERRORS } from "../openapi.js";

const Result = z
  .object({
    imported: z.number(),
    skipped: z.number().openapi({ description: "battles whose id was imported before" }),
    rejected: z.array(z.object({ line: z.number(), reason: z.string() })).openapi({ description: "at most 1000 listed; rejectedCount has the total" }),
    rejectedCount: z.number(),
  })
  .openapi("BattleImportResult");

export function battleImportRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/battles/import",
      tags: ["battles"],
      summary: "Import a battle log: one JSON battle a line ({ model_a, model_b, winner } or { model_a, model_b, score }; optional id, category, tstamp, judge)",
      security: [{ bearer: [] }],
      request: {
        body: { required: true, content: { "application/x-ndjson": { schema: z.string().openapi({ example: '{"model_a":"a","model_b":"b","winner":"model_a"}' }) } } },
      },
      responses: { 200: jsonContent(Result, "Import summary"), ...STD_ERRORS },
    }),
    async (c) => {
      if (!isNdjson(c.req.header("content-type"))) {
        throw new AppError("unsupported_media_type", "send the battle log as application/x-ndjson, one battle a line");
      }
      const limit = deps.config.importLimitBytes;
      checkDeclaredLength(c.req.header("content-length"), limit);
      const body = c.req.raw.body;
      const summary = await importBattles(deps.db, body ? utf8Lines(limitedChunks(body, limit)) : "");
      return c.json(summary, 200);
    },
  );
  return r;
}
