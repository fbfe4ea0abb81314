/** GET /v1/battles: battles with their judgments, filtered by round, model, category or outcome, cursor-paged; GET /v1/battles/{id}: one with its instruction and answers. */
import { createRoute, z } from "@hono/zod-openapi";
import { battleDetail, listBattles, OUTCOME_FILTERS } from "../../../battles/battle-list.js";
import type { Deps } from "../../deps.js";
import { notFound } from "../../errors.js";
import { jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";
import { PageQuery, pageOf } from "../schemas.js";

const Judgment = z.object({
  judge: z.string(),
  order: z.string(),
  promptVersion: z.string().openapi({ description: "template version; `<version>+reference` when the judge was shown a reference answer" }),
  referenceHash: z.string().nullable().openapi({ description: "sha256 (hex) of the reference answer shown to the judge, null when none" }),
  verdict: z.string().nullable(),
  score: z.number().nullable(),
  valid: z.boolean(),
  attempts: z.number(),
  rawText: z.string().nullable().openapi({ description: "the judge's final answer, its reasoning trace apart; the verdict is parsed from this only" }),
  trace: z.string().nullable().openapi({ description: "the judge's reasoning trace, null when it gave none" }),
  promptTokens: z.number(),
  completionTokens: z.number().openapi({ description: "every generated token, reasoning included" }),
  reasoningTokens: z.number().openapi({ description: "the part of completionTokens spent on the reasoning trace" }),
});
const Battle = z
  .object({
    id: z.number(),
    roundId: z.string().nullable(),
    instructionId: z.number().nullable(),
    modelA: z.string(),
    modelB: z.string(),
    status: z.string(),
    outcome: z.number().nullable().openapi({ description: "model A's share in [0, 1]" }),
    margin: z.number().nullable(),
    category: z.string().nullable(),
    source: z.string(),
    error: z.string().nullable(),
    labelSource: z.enum(["judge", "human"]).openapi({ description: "where `outcome` comes from: the judges, or people's review verdicts (a humanOverride round)" }),
    humanOutcome: z.number().nullable().openapi({ description: "model A's share by the majority of the human review verdicts; null when none" }),
    judgeOutcome: z.number().nullable().openapi({ description: "the judges' outcome (equal to `outcome` unless people overrode it)" }),
    humanVerdicts: z.array(z.object({ verdict: z.enum(["A", "B", "tie", "both-bad"]), note: z.string().nullable(), reviewerKind: z.enum(["key", "import"]), updatedAt: z.string() })),
    judgments: z.array(Judgment),
  })
  .openapi("Battle");
const BattleDetail = Battle.extend({
  instruction: z
    .object({
      messages: z.array(z.object({ role: z.string(), content: z.string() })),
      turns: z.array(z.string()).nullable().openapi({ description: "A multi-turn instruction's user turns; null for a single-turn one" }),
      category: z.string(),
    })
    .nullable(),
  answerA: z.string().nullable(),
  answerB: z.string().nullable(),
  turnsA: z.array(z.string()).nullable().openapi({ description: "A multi-turn battle: model A's final answer to each user turn (the last is answerA); null otherwise" }),
  turnsB: z.array(z.string()).nullable(),
}).openapi("BattleDetail");

export function battleRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/battles",
      tags: ["battles"],
      summary: "List battles with their judgments",
      security: [{ bearer: [] }],
      request: {
        query: z.object({
          roundId: z.string().optional(),
          model: z.string().optional(),
          category: z.string().max(200).optional(),
          outcome: z.enum(OUTCOME_FILTERS).optional().openapi({ description: "a: model A won (outcome > 0.5), b: model B won, tie: exactly 0.5, none: not judged" }),
          ...PageQuery.shape,
        }),
      },
      responses: { 200: jsonContent(pageOf(Battle), "Battles"), ...STD_ERRORS },
    }),
    async (c) => c.json(await listBattles(deps.db, c.req.valid("query")), 200),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/battles/{id}",
      tags: ["battles"],
      summary: "One battle with its judgments, human verdicts, instruction and both answers (null for an imported battle)",
      security: [{ bearer: [] }],
      request: { params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,15}$/, "a battle id (a positive whole number)").openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 200: jsonContent(BattleDetail, "Battle"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const battle = await battleDetail(deps.db, Number(id));
      if (!battle) throw notFound("battle", id);
      return c.json(battle, 200);
    },
  );
  return r;
}
