/**
 * Which environment variables a model may name as its API key (`apiKeyEnv`). Pure: the allow-list
 * comes from MATRIX_ARENA_PROVIDER_KEY_VARS (names and `*` globs), and the service's own variables
 * are refused whatever the list says, so no model can carry the admin key or the database password
 * to a provider. Config and the model registry both ask this module; neither reads the other's env.
 */

export const DEFAULT_PROVIDER_KEY_VARS = "OPENAI_API_KEY,HF_TOKEN,*_API_KEY";

/** Names (or prefixes) the service itself reads: never a provider secret. */
const RESERVED_PREFIXES = ["MATRIX_ARENA_", "PG"] as const;
const RESERVED_NAMES = ["DATABASE_URL", "TEST_DATABASE_URL"] as const;

const PATTERN_RE = /^[A-Za-z0-9_*]{1,128}$/;

/** Splits the comma-separated list; returns the bad entries instead when any is malformed. */
export function parseKeyVarPatterns(text: string): { ok: true; patterns: string[] } | { ok: false; bad: string[] } {
  const entries = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = entries.filter((e) => !PATTERN_RE.test(e));
  return bad.length > 0 ? { ok: false, bad } : { ok: true, patterns: entries };
}

/** `*` matches any run of characters (possibly none); everything else matches itself, case-sensitive. */
export function globMatches(pattern: string, name: string): boolean {
  const parts = pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`).test(name);
}

export interface KeyVarPolicy {
  /** Null when `name` may be bound to a model; otherwise why not (no secret values, only the name). */
  refusal(name: string): string | null;
}

/**
 * A policy refusing the service's own variables (`ownVars`: every name the config schema reads, plus
 * the fixed reserved names and prefixes) and anything not matched by one of `patterns`.
 */
export function keyVarPolicy(patterns: readonly string[], ownVars: readonly string[]): KeyVarPolicy {
  const own = new Set<string>([...RESERVED_NAMES, ...ownVars]);
  return {
    refusal(name) {
      if (own.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
        return `${name} is one of the service's own configuration variables and is never sent to a provider`;
      }
      if (!patterns.some((p) => globMatches(p, name))) {
        return `${name} is not an allowed provider key variable (MATRIX_ARENA_PROVIDER_KEY_VARS: ${patterns.join(",") || "empty"})`;
      }
      return null;
    },
  };
}
