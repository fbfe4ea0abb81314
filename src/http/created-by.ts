/**
 * `createdBy` (the id of the API key whose request wrote a row) is shown to admins only: who started
 * a round that spent money is an operator's question, and key ids are not every reader's business.
 */
import type { Context } from "hono";
import { scopeAllows } from "../services/keys.js";
import type { AppEnv } from "./env.js";

/** The key id to record for this request's writes (null in local mode). */
export function actorKeyId(c: Context<AppEnv>): string | null {
  return c.get("principal")?.keyId ?? null;
}

/** Adds `createdBy` to a view for admins (and in local mode, where it is always null). */
export function withCreator<T extends object>(c: Context<AppEnv>, view: T, createdBy: string | null): T | (T & { createdBy: string | null }) {
  const p = c.get("principal");
  return p === null || scopeAllows(p.scopes, "admin") ? { ...view, createdBy } : view;
}
