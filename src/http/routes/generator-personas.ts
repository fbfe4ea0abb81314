/** /v1/generator/personas: import (JSON or JSONL), generate from seed attributes (202, a run), list. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { insertPersonas, listPersonas, PersonaImportSchema } from "../../generator/stores/personas.js";
import { PersonaGenerateSchema, SetName } from "../../generator/requests.js";
import { startPersonaRun } from "../../services/generator.js";
import { pipelineContext } from "../../generator/engine/context.js";
import { badRequest } from "../../errors.js";
import { actorKeyId } from "../created-by.js";
import { parseNdjson } from "../../services/instructions.js";
import { jsonBody, jsonContent, newRouter, STD_ERRORS } from "../openapi.js";
import { Accepted, accepted, PageQuery, pageOf } from "../schemas.js";

const security = [{ bearer: [] }];
const SetQuery = z.object({ set: SetName.default("default") });
const ImportResult = z.object({ inserted: z.number(), duplicates: z.number(), rejected: z.array(z.object({ index: z.number(), reason: z.string() })) });

function importRows(raw: unknown[]) {
  const rejected: { index: number; reason: string }[] = [];
  const rows: { name: string; profile: Record<string, unknown>; externalId: string | null }[] = [];
  raw.forEach((item, index) => {
    const parsed = PersonaImportSchema.safeParse(item);
    if (!parsed.success) {
      rejected.push({ index, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`).join("; ") });
      return;
    }
    const { name, externalId, ...profile } = parsed.data;
    rows.push({ name, profile: { name, ...profile }, externalId: externalId === undefined ? null : String(externalId) });
  });
  return { rows, rejected };
}

export function generatorPersonaRoutes(deps: Deps) {
  const r = newRouter();
  const ctx = pipelineContext(deps);
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/personas/import",
      tags: ["generator"],
      summary: "Import personas (JSON { items } or application/x-ndjson): each needs name, goal and plan; (set, externalId) is unique",
      security,
      request: {
        query: SetQuery,
        body: {
          required: false,
          content: {
            "application/json": { schema: z.object({ items: z.array(z.unknown()).max(100_000) }) },
            "application/x-ndjson": { schema: z.string().openapi({ description: "one PersonaImport per line" }) },
          },
        },
      },
      responses: { 200: jsonContent(ImportResult, "Import summary"), ...STD_ERRORS },
    }),
    async (c) => {
      const { set } = c.req.valid("query");
      const type = (c.req.header("content-type") ?? "").toLowerCase();
      let raw: unknown[];
      let bad: { index: number; reason: string }[] = [];
      let lineOf: number[] | null = null;
      if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
        const parsed = parseNdjson(await c.req.text());
        [raw, bad, lineOf] = [parsed.items, parsed.bad, parsed.lineOf];
      } else {
        const body = c.req.valid("json") as { items?: unknown[] };
        if (!Array.isArray(body.items)) throw badRequest("items: required (an array of personas)");
        raw = body.items;
      }
      const { rows, rejected } = importRows(raw);
      const ids = await insertPersonas(deps.db, set, "imported", rows);
      const all = [...bad, ...rejected.map((x) => ({ index: lineOf?.[x.index] ?? x.index, reason: x.reason }))].sort((a, b) => a.index - b.index);
      return c.json({ inserted: ids.length, duplicates: rows.length - ids.length, rejected: all }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/personas/generate",
      tags: ["generator"],
      summary: "Generate personas from seed attributes (occupation, interests, region, life stage); a run of kind 'personas'",
      security,
      request: { body: jsonBody(PersonaGenerateSchema) },
      responses: { 202: jsonContent(Accepted, "Accepted"), ...STD_ERRORS },
    }),
    async (c) => c.json(await accepted(deps.db, (await startPersonaRun(ctx, c.req.valid("json"), actorKeyId(c))).id), 202),
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/personas",
      tags: ["generator"],
      summary: "List personas (cursor pagination)",
      security,
      request: { query: z.object({ set: SetName.optional(), ...PageQuery.shape }) },
      responses: { 200: jsonContent(pageOf(z.object({}).passthrough()), "Personas"), ...STD_ERRORS },
    }),
    async (c) => {
      const page = await listPersonas(deps.db, c.req.valid("query"));
      return c.json({ items: page.items.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })), nextCursor: page.nextCursor }, 200);
    },
  );
  return r;
}
