/** /v1/keys: create, list and revoke API keys (admin scope). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps.js";
import { createKey, listKeys, revokeKey, SCOPES } from "../../services/keys.js";
import { actorKeyId } from "../created-by.js";
import { jsonBody, jsonContent, newRouter, NOT_FOUND, STD_ERRORS } from "../openapi.js";

const KeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdBy: z.string().nullable().openapi({ description: "Id of the admin key that created this key (null for the bootstrap key and in local mode)" }),
  })
  .openapi("ApiKey");
const KeyCreate = z.strictObject({
  name: z.string().min(1).max(128),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});
const security = [{ bearer: [] }];

export function keyRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/keys",
      tags: ["keys"],
      summary: "Create an API key (the key is shown only in this response)",
      security,
      request: { body: jsonBody(KeyCreate) },
      responses: { 201: jsonContent(KeyView.extend({ key: z.string() }), "Created"), ...STD_ERRORS },
    }),
    async (c) => {
      const created = await createKey(deps.db, { ...c.req.valid("json"), createdBy: actorKeyId(c) });
      await deps.auth.refresh();
      deps.logger.info({ keyId: created.id, scopes: created.scopes }, "api key created");
      return c.json(created, 201);
    },
  );
  r.openapi(
    createRoute({
      method: "get",
      path: "/v1/keys",
      tags: ["keys"],
      summary: "List API keys (never the keys themselves)",
      security,
      responses: { 200: jsonContent(z.object({ items: z.array(KeyView) }), "Keys"), ...STD_ERRORS },
    }),
    async (c) => c.json({ items: await listKeys(deps.db) }, 200),
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/v1/keys/{id}",
      tags: ["keys"],
      summary: "Revoke an API key",
      security,
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: { 200: jsonContent(KeyView, "Revoked"), ...STD_ERRORS, ...NOT_FOUND },
    }),
    async (c) => {
      const key = await revokeKey(deps.db, c.req.valid("param").id, deps.clock());
      await deps.auth.refresh();
      deps.logger.info({ keyId: key.id }, "api key revoked");
      return c.json(key, 200);
    },
  );
  return r;
}
