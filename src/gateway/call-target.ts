/**
 * Where a call goes: which adapter, which base URL, which secret. Pure apart from the injected
 * secret resolver. A model that names an API-key variable that is not set is a `config` failure
 * naming the variable (never a value).
 */
import type { AttemptFailure } from "./failures.js";
import type { ModelSpec, SecretResolver } from "./types.js";

export type AdapterKind = "openai" | "huggingface";

export interface CallTarget {
  ok: true;
  adapter: AdapterKind;
  /** Endpoint for the adapter (null = the provider's public default). */
  baseUrl: string | null;
  apiKey: string | undefined;
  /** Key of the model's shared limiter: model name + configured endpoint. */
  limiterKey: string;
}

/**
 * Resolve the target of a chat, score or embed call. `sim` models speak OpenAI at `simBaseUrl` (or
 * their own baseUrl, embeddings included) and score through the simulator's Hugging Face
 * text-classification route.
 */
export function resolveTarget(
  model: ModelSpec,
  task: "chat" | "score" | "embed",
  secrets: SecretResolver,
  simBaseUrl: string | undefined,
): CallTarget | AttemptFailure {
  const baseUrl = model.baseUrl ?? (model.provider === "sim" ? (simBaseUrl ?? null) : null);
  if (model.provider === "sim" && baseUrl === null) {
    return configFailure(`model ${model.name} uses the simulator but no simulator URL is configured`);
  }
  let apiKey: string | undefined;
  if (model.apiKeyEnv) {
    apiKey = secrets(model.apiKeyEnv);
    if (!apiKey) {
      const variable = model.apiKeyEnv;
      return configFailure(`API key for model ${model.name} missing: environment variable ${variable} is not set, or not allowed by MATRIX_ARENA_PROVIDER_KEY_VARS`);
    }
  }
  const limiterKey = `${model.name}\u0000${baseUrl ?? ""}`;
  if (task === "score" && model.provider === "sim" && baseUrl !== null) {
    return { ok: true, adapter: "huggingface", baseUrl: simHfEndpoint(baseUrl, model.model), apiKey, limiterKey };
  }
  const adapter = model.provider === "huggingface" ? "huggingface" : "openai";
  return { ok: true, adapter, baseUrl, apiKey, limiterKey };
}

/** `http://host:port/v1` -> `http://host:port/hf/models/<model>` (the simulator's HF-style route). */
export function simHfEndpoint(simBaseUrl: string, model: string): string {
  return `${simBaseUrl.replace(/\/+$/, "").replace(/\/v1$/, "")}/hf/models/${encodeURIComponent(model)}`;
}

export function configFailure(message: string): AttemptFailure {
  return { ok: false, kind: "config", message, retryable: false };
}
