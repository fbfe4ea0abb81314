/** /v1/generator/seeds: seed documents for AgentInstruct (JSON { items } or JSONL), listed by set. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { SetName } from "../../generator/requests.js";
import { insertSeeds, listSeeds, SeedImportSchema } from "../../generator/stores/seeds.js";
import { parseNdjson } from "../../services/instructions.js";
import { jsonContent, newRouter, STD_ERRORS } from "../openapi.js";
import { PageQuery, pageOf } from "../schemas.js";

const security = [{ bearer: [] }];

export function generatorSeedRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/generator/seeds",
      tags: ["generator"],
      summary: "Import seed documents ({ text, title?, source? }); exact duplicates within a set are skipped",
      security,
      request: {
        query: z.object({ set: SetName.default("default") }),
        body: {
          required: false,
          content: {
            "application/json": { schema: z.object({ items: z.array(z.unknown()).max(100_000) }) },
            "application/x-ndjson": { schema: z.string().openapi({ description: "one seed document per line" }) },
          },
        },
      },
      responses: { 200: jsonContent(z.object({ inserted: z.number(), duplicates: z.number(), rejected: z.array(z.object({ index: z.number(), reason: z.string() })) }), "Import summary"), ...STD_ERRORS },
    }),
    async (c) => {
      const { set } = c.req.valid("query");
      const type = (c.req.header("content-type") ?? "").toLowerCase();
      let raw: unknown[];
      let rejected: { index: number; reason: string }[] = [];
      let lineOf: number[] | null = null;
      if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
        const parsed = parseNdjson(await c.req.text());
        raw = parsed.items;
        rejected = parsed.bad;
        lineOf = parsed.lineOf;
      } else {
        const body = c.req.valid("json") as { items?: unknown[] };
        if (!Array.isArray(body.items)) throw badRequest("items: required (an array of seed documents)");
        raw = body.items;
      }
      const good: z.infer<typeof SeedImportSchema>[] = [];
      raw.forEach((item, index) => {
        const parsed = SeedImportSchema.safeParse(item);
        if (parsed.success) good.push(parsed.data);
        else rejected.push({ index: lineOf?.[index] ?? index, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`).join("; ") });
      });
      const res = await insertSeeds(deps.db, set, good);
      return c.json({ ...res, rejected: rejected.sort((a, b) => a.index - b.index) }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/generator/seeds",
      tags: ["generator"],
      summary: "List seed documents",
      security,
      request: { query: z.object({ set: SetName.optional(), ...PageQuery.shape }) },
      responses: { 200: jsonContent(pageOf(z.object({}).passthrough()), "Seeds"), ...STD_ERRORS },
    }),
    async (c) => {
      const page = await listSeeds(deps.db, c.req.valid("query"));
      return c.json({ items: page.items.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })), nextCursor: page.nextCursor }, 200);
    },
  );
  return r;
}
