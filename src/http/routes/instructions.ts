/** /v1/instructions: import (JSON or NDJSON) and list the instruction pool. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { importInstructions, InstructionItemSchema, listInstructions, parseNdjsonLines } from "../../services/instructions.js";
import { utf8LinesOf } from "../ndjson-lines.js";
import { jsonContent, newRouter, STD_ERRORS } from "../openapi.js";
import { PageQuery, pageOf } from "../schemas.js";

const ImportBody = z.object({ items: z.array(z.unknown()).max(200_000) }).openapi("InstructionImport", {
  description: "items follow InstructionItem; each is validated on its own",
});
const ImportResult = z
  .object({
    inserted: z.number(),
    duplicates: z.number(),
    rejected: z.array(z.object({ index: z.number(), reason: z.string() })),
  })
  .openapi("InstructionImportResult");
const Instruction = z
  .object({
    id: z.number(),
    messages: z.array(z.object({ role: z.string(), content: z.string() })),
    text: z.string(),
    turns: z.array(z.string()).nullable().openapi({ description: "a multi-turn instruction's user turns; null for a single-turn one" }),
    category: z.string(),
    complexity: z.number().nullable(),
    source: z.string(),
    externalId: z.string().nullable(),
    reference: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("Instruction");
const security = [{ bearer: [] }];

export function instructionRoutes(deps: Deps) {
  const r = newRouter();
  r.openAPIRegistry.register("InstructionItem", InstructionItemSchema);
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/instructions",
      tags: ["instructions"],
      summary: "Import instructions (JSON { items } or application/x-ndjson, one item a line)",
      security,
      request: {
        body: {
          required: false,
          content: {
            "application/json": { schema: ImportBody },
            "application/x-ndjson": { schema: z.string().openapi({ description: "one InstructionItem per line" }) },
          },
        },
      },
      responses: { 200: jsonContent(ImportResult, "Import summary"), ...STD_ERRORS },
    }),
    async (c) => {
      const type = (c.req.header("content-type") ?? "").toLowerCase();
      if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
        const { items, lineOf, bad } = parseNdjsonLines(utf8LinesOf(new Uint8Array(await c.req.arrayBuffer())));
        const res = await importInstructions(deps.db, items);
        const rejected = [...bad, ...res.rejected.map((x) => ({ index: lineOf[x.index] ?? x.index, reason: x.reason }))].sort((a, b) => a.index - b.index);
        return c.json({ inserted: res.inserted, duplicates: res.duplicates, rejected }, 200);
      }
      const body = c.req.valid("json") as { items?: unknown[] };
      if (!Array.isArray(body.items)) throw badRequest("items: required (an array of instructions)");
      const res = await importInstructions(deps.db, body.items);
      return c.json({ inserted: res.inserted, duplicates: res.duplicates, rejected: res.rejected }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/instructions",
      tags: ["instructions"],
      summary: "List instructions (cursor pagination)",
      security,
      request: {
        query: z.object({
          category: z.string().optional(),
          source: z.string().optional(),
          ...PageQuery.shape,
        }),
      },
      responses: { 200: jsonContent(pageOf(Instruction), "Instructions"), ...STD_ERRORS },
    }),
    async (c) => {
      const page = await listInstructions(deps.db, c.req.valid("query"));
      return c.json({ items: page.items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })), nextCursor: page.nextCursor }, 200);
    },
  );
  return r;
}
