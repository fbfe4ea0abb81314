// Call routing and parameter merging: which adapter and endpoint a model resolves to, how missing
// secrets fail (naming the variable, never a value), and how request params overlay model defaults.
import { describe, expect, it } from "vitest";
import { resolveTarget, simHfEndpoint } from "../../src/gateway/call-target.js";
import { mergeParams } from "../../src/gateway/gateway.js";
import type { ModelSpec } from "../../src/gateway/types.js";

const secrets = (name: string): string | undefined => ({ OPENAI_KEY: "sk-live-abc123", EMPTY_KEY: "" })[name];
const SIM = "http://127.0.0.1:9999/v1";

describe("resolveTarget", () => {
  const cases: { name: string; model: ModelSpec; task: "chat" | "score"; want: Record<string, unknown> }[] = [
    {
      name: "sim chat uses the simulator URL and the OpenAI adapter",
      model: { name: "s", provider: "sim", model: "sim-strong" },
      task: "chat",
      want: { ok: true, adapter: "openai", baseUrl: SIM, apiKey: undefined, limiterKey: `s\u0000${SIM}` },
    },
    {
      name: "sim scoring goes to the simulator's HF route",
      model: { name: "r", provider: "sim", model: "sim-reward" },
      task: "score",
      want: { ok: true, adapter: "huggingface", baseUrl: "http://127.0.0.1:9999/hf/models/sim-reward", limiterKey: `r\u0000${SIM}` },
    },
    {
      name: "openai with a key and no baseUrl uses the public default",
      model: { name: "o", provider: "openai", model: "gpt-4o-mini", apiKeyEnv: "OPENAI_KEY" },
      task: "chat",
      want: { ok: true, adapter: "openai", baseUrl: null, apiKey: "sk-live-abc123" },
    },
    {
      name: "huggingface keeps its endpoint",
      model: { name: "h", provider: "huggingface", model: "m", baseUrl: "https://x.endpoints.huggingface.cloud" },
      task: "chat",
      want: { ok: true, adapter: "huggingface", baseUrl: "https://x.endpoints.huggingface.cloud" },
    },
    {
      name: "a missing key is a config failure naming the variable",
      model: { name: "o", provider: "openai", model: "gpt-4o-mini", apiKeyEnv: "NOT_SET_KEY" },
      task: "chat",
      want: { ok: false, kind: "config", retryable: false },
    },
    {
      name: "an empty key counts as missing",
      model: { name: "o", provider: "openai", model: "gpt-4o-mini", apiKeyEnv: "EMPTY_KEY" },
      task: "chat",
      want: { ok: false, kind: "config" },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(resolveTarget(tc.model, tc.task, secrets, SIM)).toMatchObject(tc.want));
  }

  it("names the variable in the message", () => {
    const r = resolveTarget({ name: "o", provider: "openai", model: "x", apiKeyEnv: "NOT_SET_KEY" }, "chat", secrets, SIM);
    expect(!r.ok && r.message).toContain("NOT_SET_KEY");
  });

  it("a sim model without any simulator URL is a config failure", () => {
    expect(resolveTarget({ name: "s", provider: "sim", model: "m" }, "chat", secrets, undefined)).toMatchObject({ ok: false, kind: "config" });
  });
});

describe("simHfEndpoint", () => {
  const cases = [
    { base: "http://h:1/v1", model: "sim-reward", want: "http://h:1/hf/models/sim-reward" },
    { base: "http://h:1/v1/", model: "org/name", want: "http://h:1/hf/models/org%2Fname" },
    { base: "http://h:1", model: "m", want: "http://h:1/hf/models/m" },
  ];
  for (const tc of cases) it(`${tc.base} + ${tc.model}`, () => expect(simHfEndpoint(tc.base, tc.model)).toBe(tc.want));
});

describe("mergeParams", () => {
  const cases = [
    { name: "request overrides model", base: { temperature: 0.2, maxTokens: 100 }, over: { temperature: 0.9 }, want: { temperature: 0.9, maxTokens: 100 } },
    { name: "explicit undefined keeps the default", base: { temperature: 0.2 }, over: { temperature: undefined }, want: { temperature: 0.2 } },
    { name: "no model params", base: null, over: { seed: 7 }, want: { seed: 7 } },
    { name: "no request params", base: { topP: 0.5 }, over: undefined, want: { topP: 0.5 } },
  ];
  for (const tc of cases) it(tc.name, () => expect(mergeParams(tc.base, tc.over)).toEqual(tc.want));
});
