/**
 * /v1/rounds/{id}/review: the blind human review queue (GET, `review` scope), one verdict (POST,
 * `review` scope), and human labels in and out as NDJSON (`review/import`, `review/export`, admin:
 * they name reviewers). See src/services/review.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { exportLabels, importLabels, REVIEW_CHOICES, reviewerOf, reviewQueue, ReviewSubmitSchema, submitReview } from "../../services/review.js";
import { describeZodError, errorResponse } from "../errors.js";
import { checkDeclaredLength, isNdjson, limitedChunks, ndjsonStream, utf8Lines } from "../ndjson-lines.js";
import { CONFLICT, jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS, unstorableResponse } from "../openapi.js";
import { IdParam } from "../schemas.js";

const security = [{ bearer: [] }];

const ReviewItem = z
  .object({
    id: z.string().openapi({ description: "The item's id: send it back with the choice" }),
    instruction: z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })), category: z.string() }),
    answers: z.object({ A: z.string(), B: z.string() }).openapi({ description: "Two answers in this reviewer's blind order; the models are not named" }),
    conversation: z
      .object({ turns: z.array(z.string()), A: z.array(z.string()), B: z.array(z.string()) })
      .optional()
      .openapi({ description: "A multi-turn battle: the user turns and each side's answer to each, in the same blind order (the last answers are `answers`)" }),
  })
  .openapi("ReviewItem");

const ReviewQueue = z
  .object({
    roundId: z.string(),
    remaining: z.number().openapi({ description: "Judged battles this reviewer has not reviewed yet" }),
    queued: z.object({ "jury-disagreement": z.number(), "swap-inconsistency": z.number(), sample: z.number() }),
    items: z.array(ReviewItem),
  })
  .openapi("ReviewQueue");

const ReviewRecorded = z.object({
  id: z.string(),
  created: z.boolean().openapi({ description: "false when it replaced this reviewer's earlier verdict on the battle" }),
  humanOverride: z.boolean(),
  labelSource: z.enum(["judge", "human"]).openapi({ description: "Where the battle's outcome in ratings and exports now comes from" }),
});

const ImportResult = z
  .object({
    imported: z.number(),
    updated: z.number().openapi({ description: "lines that replaced the same reviewer's earlier verdict" }),
    rejected: z.array(z.object({ line: z.number(), reason: z.string() })).openapi({ description: "at most 1000 listed; rejectedCount has the total" }),
    rejectedCount: z.number(),
  })
  .openapi("ReviewImportResult");

const QueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });

export function reviewRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/rounds/{id}/review",
      tags: ["review"],
      summary: "The next battles for this reviewer: judges disagree > orders disagree > a seeded sample; models hidden (review scope)",
      security,
      request: { params: IdParam, query: QueueQuery },
      responses: { 200: jsonContent(ReviewQueue, "Queue"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const queue = await reviewQueue(deps.db, c.req.valid("param").id, reviewerOf(c.get("principal")), c.req.valid("query").limit);
      return c.json(queue, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/rounds/{id}/review",
      tags: ["review"],
      summary: `One human verdict on a queue item: choice ${REVIEW_CHOICES.join("|")} between the answers as shown (review scope); a second one replaces the first`,
      security,
      request: { params: IdParam, body: jsonBody(ReviewSubmitSchema) },
      responses: { 201: jsonContent(ReviewRecorded, "Recorded"), 200: jsonContent(ReviewRecorded, "Replaced this reviewer's earlier verdict"), ...STD_ERRORS, ...NOT_FOUND, ...CONFLICT },
    }),
    async (c) => {
      const done = await submitReview(deps.db, c.req.valid("param").id, reviewerOf(c.get("principal")), c.req.valid("json"));
      return c.json(done, done.created ? 201 : 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/rounds/{id}/review/import",
      tags: ["review"],
      summary: "Import human labels: one { battleId, reviewer, verdict: A|B|tie|both-bad (real models), note? } a line (admin scope)",
      security,
      request: {
        params: IdParam,
        body: { required: true, content: { "application/x-ndjson": { schema: z.string().openapi({ example: '{"battleId":1,"reviewer":"alice","verdict":"A"}' }) } } },
      },
      responses: { 200: jsonContent(ImportResult, "Import summary"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      if (!isNdjson(c.req.header("content-type"))) throw new AppError("unsupported_media_type", "send the labels as application/x-ndjson, one label a line");
      const limit = deps.config.importLimitBytes;
      checkDeclaredLength(c.req.header("content-length"), limit);
      const body = c.req.raw.body;
      const summary = await importLabels(deps.db, c.req.valid("param").id, body ? utf8Lines(limitedChunks(body, limit)) : []);
      return c.json(summary, 200);
    },
  );
  // Documented through the registry and handled by a plain route: a streamed body does not fit
  // zod-openapi's typed responses.
  r.openAPIRegistry.registerPath({
    method: "get",
    path: "/v1/rounds/{id}/review/export",
    tags: ["review"],
    summary: "The round's human labels as NDJSON, one verdict a line in terms of the real models (admin scope)",
    security,
    request: { params: IdParam },
    responses: { 200: { description: "NDJSON, one label a line", content: { "application/x-ndjson": { schema: z.string() } } }, ...STD_ERRORS, ...NOT_FOUND },
  });
  r.get("/v1/rounds/:id/review/export", async (c) => {
    const parsed = IdParam.safeParse(c.req.param());
    if (!parsed.success) {
      const { message, details } = describeZodError(parsed.error, "param");
      return errorResponse(c, 400, "validation_failed", message, details);
    }
    const refused = unstorableResponse(c, "param", parsed.data);
    if (refused) return refused;
    const lines = await exportLabels(deps.db, parsed.data.id);
    return new Response(ndjsonStream(lines), {
      status: 200,
      headers: { "content-type": "application/x-ndjson; charset=utf-8", "x-request-id": c.get("requestId") },
    });
  });
  return r;
}
