/**
 * Who may bind a secret to a model, and move a model that has one. Binding (`apiKeyEnv`) and moving
 * a bound model (`baseUrl`, `provider`, or deleting it so the name can be re-registered elsewhere)
 * need the admin scope: otherwise a write key could point an admin's OpenAI model at its own server
 * and receive the key. Keyless models stay open to write keys (a researcher's vLLM box).
 */
import { AppError, badRequest } from "../errors.js";
import type { KeyVarPolicy } from "../secret-policy.js";
import { type Scope, scopeAllows } from "./keys.js";

/** The caller of a registry write: null in local mode (no keys configured, loopback only). */
export type Actor = { keyId: string; scopes: readonly Scope[] } | null;

/** The fields that decide where a model's secret goes. */
export interface SecretRoute {
  provider: string;
  baseUrl: string | null;
  apiKeyEnv: string | null;
}

/**
 * The first field of a registry change that needs the admin scope, or null. `current` is the stored
 * model (null when registering), `next` the model as it would be after the change (null when deleting).
 */
export function adminOnlyField(current: SecretRoute | null, next: SecretRoute | null): keyof SecretRoute | null {
  const before = current?.apiKeyEnv ?? null;
  if (next === null) return before !== null ? "apiKeyEnv" : null;
  if ((next.apiKeyEnv ?? null) !== before) return "apiKeyEnv";
  if (before === null || current === null) return null;
  if ((next.baseUrl ?? null) !== (current.baseUrl ?? null)) return "baseUrl";
  if (next.provider !== current.provider) return "provider";
  return null;
}

const WHY: Record<keyof SecretRoute, string> = {
  apiKeyEnv: "binding, changing or removing a model's API-key variable needs the 'admin' scope",
  baseUrl: "moving a model that has an API key bound (apiKeyEnv) needs the 'admin' scope",
  provider: "changing the provider of a model that has an API key bound (apiKeyEnv) needs the 'admin' scope",
};

/** Throws 400 for a variable the policy refuses (for everyone) and 403 for a non-admin secret change. */
export function guardSecretChange(
  actor: Actor,
  policy: KeyVarPolicy,
  current: SecretRoute | null,
  next: SecretRoute | null,
): void {
  const variable = next?.apiKeyEnv;
  if (variable && variable !== current?.apiKeyEnv) {
    const refusal = policy.refusal(variable);
    if (refusal !== null) throw badRequest(`apiKeyEnv: ${refusal}`, { field: "apiKeyEnv" });
  }
  if (actor === null || scopeAllows(actor.scopes, "admin")) return;
  const field = adminOnlyField(current, next);
  if (field !== null) throw new AppError("forbidden", `${field}: ${WHY[field]}`, { field });
}
