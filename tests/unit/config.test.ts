import { describe, expect, it } from "vitest";
import { ConfigError, isLoopbackHost, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has the documented defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8787, host: "127.0.0.1", dataDir: ".data", logLevel: "info", databaseUrl: undefined });
    expect(c.bodyLimitBytes).toBe(10 * 1024 * 1024);
    expect(c.minBattles).toBe(30);
    expect(loadConfig({ MATRIX_ARENA_MIN_BATTLES: "12" }).minBattles).toBe(12);
    expect(c.metricsPort).toBeUndefined();
    expect(loadConfig({ MATRIX_ARENA_METRICS_PORT: "9464" }).metricsPort).toBe(9464);
    expect(loadConfig({ MATRIX_ARENA_METRICS_PORT: "" }).metricsPort).toBeUndefined();
    expect(c.embeddedDb).toBeUndefined();
    expect(loadConfig({ MATRIX_ARENA_DB: "pglite" }).embeddedDb).toBe("pglite");
    expect(loadConfig({ MATRIX_ARENA_DB: "embedded" }).embeddedDb).toBe("embedded");
  });

  const bad: { env: Record<string, string>; variable: string }[] = [
    { env: { PORT: "eighty" }, variable: "PORT" },
    { env: { PORT: "70000" }, variable: "PORT" },
    { env: { DATABASE_URL: "mysql://x" }, variable: "DATABASE_URL" },
    { env: { LOG_LEVEL: "loud" }, variable: "LOG_LEVEL" },
    { env: { MATRIX_ARENA_API_KEY: "short" }, variable: "MATRIX_ARENA_API_KEY" },
    { env: { MATRIX_ARENA_BODY_LIMIT_BYTES: "12" }, variable: "MATRIX_ARENA_BODY_LIMIT_BYTES" },
    { env: { MATRIX_ARENA_WORKER: "maybe" }, variable: "MATRIX_ARENA_WORKER" },
    { env: { MATRIX_ARENA_PROVIDER_KEY_VARS: "OPENAI_API_KEY,$(whoami)" }, variable: "MATRIX_ARENA_PROVIDER_KEY_VARS" },
    { env: { MATRIX_ARENA_MIN_BATTLES: "0" }, variable: "MATRIX_ARENA_MIN_BATTLES" },
    { env: { MATRIX_ARENA_MIN_BATTLES: "2.5" }, variable: "MATRIX_ARENA_MIN_BATTLES" },
    { env: { MATRIX_ARENA_MIN_BATTLES: "thirty" }, variable: "MATRIX_ARENA_MIN_BATTLES" },
    { env: { MATRIX_ARENA_METRICS_PORT: "metrics" }, variable: "MATRIX_ARENA_METRICS_PORT" },
    { env: { MATRIX_ARENA_METRICS_PORT: "65536" }, variable: "MATRIX_ARENA_METRICS_PORT" },
    { env: { MATRIX_ARENA_DB: "sqlite" }, variable: "MATRIX_ARENA_DB" },
    { env: { MATRIX_ARENA_DB: "PGLITE" }, variable: "MATRIX_ARENA_DB" },
  ];
  for (const tc of bad) {
    it(`names ${tc.variable} when ${JSON.stringify(tc.env)}`, () => {
      let err: unknown;
      try {
        loadConfig(tc.env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain(tc.variable);
      expect((err as ConfigError).issues.map((i) => i.variable)).toContain(tc.variable);
    });
  }

  it("treats empty strings as unset and resolves secrets by variable name only", () => {
    const c = loadConfig({ DATABASE_URL: "", MY_API_KEY: "s3cret" });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.secrets("MY_API_KEY")).toBe("s3cret");
    expect(c.secrets("MISSING")).toBeUndefined();
    expect(JSON.stringify(c)).not.toContain("s3cret");
  });
});

describe("isLoopbackHost", () => {
  const cases: [string, boolean][] = [
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["192.168.1.10", false],
    ["::", false],
    ["example.com", false],
  ];
  for (const [host, expected] of cases) {
    it(`${host} -> ${expected}`, () => expect(isLoopbackHost(host)).toBe(expected));
  }
});
