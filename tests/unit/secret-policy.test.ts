/** Which variables a model may bind (pure), and which registry changes need the admin scope. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { adminOnlyField, type SecretRoute } from "../../src/services/model-secrets.js";
import { DEFAULT_PROVIDER_KEY_VARS, globMatches, keyVarPolicy, parseKeyVarPatterns } from "../../src/secret-policy.js";

describe("globMatches", () => {
  const cases: [string, string, boolean][] = [
    ["OPENAI_API_KEY", "OPENAI_API_KEY", true],
    ["OPENAI_API_KEY", "OPENAI_API_KEY2", false],
    ["*_API_KEY", "GROQ_API_KEY", true],
    ["*_API_KEY", "_API_KEY", true],
    ["*_API_KEY", "GROQ_API_KEY_OLD", false],
    ["*_API_KEY", "groq_api_key", false],
    ["HF_*", "HF_TOKEN", true],
    ["A*B*C", "AxxBC", true],
    ["A*B*C", "AxxC", false],
    ["*", "ANYTHING", true],
  ];
  for (const [pattern, name, want] of cases) it(`${pattern} ~ ${name} -> ${want}`, () => expect(globMatches(pattern, name)).toBe(want));
});

describe("parseKeyVarPatterns", () => {
  const cases: { text: string; want: unknown }[] = [
    { text: DEFAULT_PROVIDER_KEY_VARS, want: { ok: true, patterns: ["OPENAI_API_KEY", "HF_TOKEN", "*_API_KEY"] } },
    { text: " A_KEY , ,B_* ", want: { ok: true, patterns: ["A_KEY", "B_*"] } },
    { text: "", want: { ok: true, patterns: [] } },
    { text: "GOOD,bad-name,$(x)", want: { ok: false, bad: ["bad-name", "$(x)"] } },
  ];
  for (const tc of cases) it(JSON.stringify(tc.text), () => expect(parseKeyVarPatterns(tc.text)).toEqual(tc.want));
});

describe("keyVarPolicy", () => {
  const policy = keyVarPolicy(["OPENAI_API_KEY", "HF_TOKEN", "*_API_KEY", "PG*"], ["PORT", "HOST", "LOG_LEVEL"]);
  const cases: [string, "ok" | "own" | "not allowed"][] = [
    ["OPENAI_API_KEY", "ok"],
    ["HF_TOKEN", "ok"],
    ["TOGETHER_API_KEY", "ok"],
    ["MATRIX_ARENA_API_KEY", "own"],
    ["MATRIX_ARENA_PROVIDER_KEY_VARS", "own"],
    ["DATABASE_URL", "own"],
    ["TEST_DATABASE_URL", "own"],
    ["PGPASSWORD", "own"],
    ["PORT", "own"],
    ["HOME", "not allowed"],
    ["AWS_SECRET_ACCESS_KEY", "not allowed"],
    ["HF_TOKEN_OLD", "not allowed"],
  ];
  for (const [name, want] of cases) {
    it(`${name} -> ${want}`, () => {
      const refusal = policy.refusal(name);
      if (want === "ok") expect(refusal).toBeNull();
      else expect(refusal).toContain(want === "own" ? "service's own" : "not an allowed");
    });
  }

  it("config's resolver refuses what the policy refuses, even when the variable is set", () => {
    const c = loadConfig({ MATRIX_ARENA_API_KEY: "admin-key-0123456789abcdef", DATABASE_URL: "postgres://u:pw@h/db", OPENAI_API_KEY: "sk-1", HOME: "/root", MATRIX_ARENA_PROVIDER_KEY_VARS: "*" });
    expect(c.secrets("OPENAI_API_KEY")).toBe("sk-1");
    expect(c.secrets("HOME")).toBe("/root");
    expect(c.secrets("MATRIX_ARENA_API_KEY")).toBeUndefined();
    expect(c.secrets("DATABASE_URL")).toBeUndefined();
    expect(loadConfig({ HOME: "/root" }).secrets("HOME")).toBeUndefined();
  });
});

describe("adminOnlyField", () => {
  const keyless: SecretRoute = { provider: "openai", baseUrl: "http://a/v1", apiKeyEnv: null };
  const bound: SecretRoute = { provider: "openai", baseUrl: "http://a/v1", apiKeyEnv: "OPENAI_API_KEY" };
  const cases: { name: string; current: SecretRoute | null; next: SecretRoute | null; want: string | null }[] = [
    { name: "register keyless", current: null, next: keyless, want: null },
    { name: "register bound", current: null, next: bound, want: "apiKeyEnv" },
    { name: "move keyless", current: keyless, next: { ...keyless, baseUrl: "http://b/v1" }, want: null },
    { name: "bind a keyless model", current: keyless, next: { ...keyless, apiKeyEnv: "X_API_KEY" }, want: "apiKeyEnv" },
    { name: "swap the variable", current: bound, next: { ...bound, apiKeyEnv: "X_API_KEY" }, want: "apiKeyEnv" },
    { name: "unbind", current: bound, next: { ...bound, apiKeyEnv: null }, want: "apiKeyEnv" },
    { name: "move a bound model", current: bound, next: { ...bound, baseUrl: "http://evil/v1" }, want: "baseUrl" },
    { name: "bound model to the provider default", current: bound, next: { ...bound, baseUrl: null }, want: "baseUrl" },
    { name: "bound model changes provider", current: bound, next: { ...bound, provider: "huggingface" }, want: "provider" },
    { name: "bound model unchanged route", current: bound, next: { ...bound }, want: null },
    { name: "delete keyless", current: keyless, next: null, want: null },
    { name: "delete bound", current: bound, next: null, want: "apiKeyEnv" },
  ];
  for (const tc of cases) it(`${tc.name} -> ${tc.want}`, () => expect(adminOnlyField(tc.current, tc.next)).toBe(tc.want));
});
