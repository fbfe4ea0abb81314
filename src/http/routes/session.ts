/**
 * /v1/session: the dashboard's cookie session for event streams. POST (with the Bearer key) sets an
 * HttpOnly, SameSite=Strict cookie on Path=/v1 holding a short-lived signed token (never the key);
 * the auth middleware accepts it on GET of an `/events` stream only, with the key's own scopes.
 * DELETE drops the cookie. In local mode there is nothing to sign: POST says so and sets nothing.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";
import type { Deps } from "../../deps.js";
import { issueSession, SESSION_TTL_SECONDS } from "../../services/keys.js";
import { SESSION_COOKIE } from "../auth.js";
import { jsonContent, newRouter, STD_ERRORS } from "../openapi.js";

const security = [{ bearer: [] }];
const SessionView = z
  .object({
    enforced: z.boolean().openapi({ description: "false in local mode (no keys): no cookie is needed or set" }),
    expiresAt: z.string().nullable().openapi({ description: "when the cookie's token stops working (ISO 8601)" }),
    ttlSeconds: z.number(),
  })
  .openapi("Session");

export function sessionRoutes(deps: Deps) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: "post",
      path: "/v1/session",
      tags: ["keys"],
      summary: `A dashboard session: sets an HttpOnly SameSite=Strict cookie (${SESSION_COOKIE}, Path=/v1) with a token valid ${SESSION_TTL_SECONDS / 60} minutes that opens GET .../events streams only, with this key's scopes (read scope)`,
      security,
      responses: { 200: jsonContent(SessionView, "Session made (or not needed)"), ...STD_ERRORS },
    }),
    async (c) => {
      const principal = c.get("principal");
      if (!principal) return c.json({ enforced: false, expiresAt: null, ttlSeconds: SESSION_TTL_SECONDS }, 200);
      const { token, expiresAt } = await issueSession(deps.db, principal.keyId, deps.clock());
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/v1",
        maxAge: SESSION_TTL_SECONDS,
        secure: new URL(c.req.url).protocol === "https:",
      });
      c.header("cache-control", "no-store");
      return c.json({ enforced: true, expiresAt: expiresAt.toISOString(), ttlSeconds: SESSION_TTL_SECONDS }, 200);
    },
  );
  r.openapi(
    createRoute({
      method: "delete",
      path: "/v1/session",
      tags: ["keys"],
      summary: "Drop the dashboard session cookie (read scope)",
      security,
      responses: { 204: { description: "Cookie cleared" }, ...STD_ERRORS },
    }),
    (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: "/v1", httpOnly: true, sameSite: "Strict" });
      return c.body(null, 204);
    },
  );
  return r;
}
