/**
 * The simulator's reasoning models through the real SDKs, and the gateway reading them: the
 * non-streamed message carries the trace in `reasoning_content` (sim-reasoner) or `reasoning`
 * (sim-judge-reasoner) with `completion_tokens_details.reasoning_tokens`; a stream sends it as
 * `delta.reasoning_content` chunks before the content; both the openai and the @huggingface/inference
 * adapters return the final answer with the trace apart and the provider's reasoning token count;
 * an inline `<think>` model is split by the gateway and its reasoning tokens estimated.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/gateway/cache-key.js";
import { createGateway } from "../../src/gateway/gateway.js";
import { LimiterRegistry, REAL_CLOCK } from "../../src/gateway/limiter.js";
import type { ChatSuccess, ModelSpec, UsageRecord } from "../../src/gateway/types.js";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
let client: OpenAI;
const messages = [{ role: "user" as const, content: "Explain why the moon has phases." }];
beforeAll(async () => {
  sim = await startSimulator({ seed: 21 });
  client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 0 });
});
afterAll(async () => {
  await sim?.close();
});

type Raw = { message: { content: string | null; reasoning_content?: string; reasoning?: string }; usage: { completion_tokens: number; completion_tokens_details?: { reasoning_tokens: number } } };
async function raw(model: string, maxTokens?: number): Promise<Raw> {
  const r = await client.chat.completions.create({ model, messages, ...(maxTokens ? { max_tokens: maxTokens } : {}) });
  return { message: r.choices[0]?.message as Raw["message"], usage: r.usage as Raw["usage"] };
}

describe("simulator protocol", () => {
  it("sends a separate trace in reasoning_content and counts it in completion_tokens_details", async () => {
    const r = await raw("sim-reasoner");
    expect(r.message.reasoning_content?.length ?? 0).toBeGreaterThan(20);
    expect(r.message.content).not.toContain(r.message.reasoning_content ?? "\u0000");
    const details = r.usage.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(details).toBeGreaterThan(0);
    expect(details).toBeLessThan(r.usage.completion_tokens);
  });

  it("uses OpenRouter's `reasoning` field for sim-judge-reasoner", async () => {
    const r = await raw("sim-judge-reasoner");
    expect(r.message.reasoning?.length ?? 0).toBeGreaterThan(20);
    expect(r.message.reasoning_content).toBeUndefined();
  });

  it("streams the trace as delta.reasoning_content before the content, the same text as unstreamed", async () => {
    const whole = await raw("sim-reasoner");
    const stream = await client.chat.completions.create({ model: "sim-reasoner", messages, stream: true });
    let trace = "";
    let content = "";
    let contentBeforeTrace = false;
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
      if (d?.reasoning_content) {
        if (content !== "") contentBeforeTrace = true;
        trace += d.reasoning_content;
      }
      if (d?.content) content += d.content;
    }
    expect(trace).toBe(whole.message.reasoning_content);
    expect(content).toBe(whole.message.content);
    expect(contentBeforeTrace).toBe(false);
  });

  it("cuts a trace at max_tokens: content null, finish_reason length", async () => {
    const r = await client.chat.completions.create({ model: "sim-reasoner", messages, max_tokens: 6 });
    expect(r.choices[0]?.finish_reason).toBe("length");
    expect(r.choices[0]?.message.content).toBeNull();
    expect(r.usage?.completion_tokens).toBeLessThanOrEqual(6);
    const inline = await client.chat.completions.create({ model: "sim-thinker-inline", messages, max_tokens: 6 });
    expect(inline.choices[0]?.message.content).toMatch(/^<think>\n/);
    expect(inline.choices[0]?.message.content).not.toContain("</think>");
  });
});

describe("gateway adapters", () => {
  const usage: UsageRecord[] = [];
  const gw = () =>
    createGateway({
      cache: new MemoryCache(),
      usage: { record: (r) => usage.push(r) },
      secrets: () => undefined,
      simBaseUrl: sim.baseUrl,
      limiters: new LimiterRegistry(REAL_CLOCK),
    });
  const specs = (): Record<string, ModelSpec> => ({
    openai: { name: "r-openai", provider: "sim", model: "sim-reasoner" },
    huggingface: { name: "r-hf", provider: "huggingface", model: "sim-reasoner", baseUrl: `${sim.url}/hf/models/sim-reasoner` },
  });
  for (const adapter of ["openai", "huggingface"] as const) {
    it(`${adapter}: final answer and trace apart, with the provider's reasoning tokens`, async () => {
      const expected = await raw("sim-reasoner");
      const r = (await gw().chat(specs()[adapter] as ModelSpec, { messages })) as ChatSuccess;
      expect(r.ok).toBe(true);
      expect(r.text).toBe(expected.message.content);
      expect(r.trace).toBe(expected.message.reasoning_content);
      expect(r.traceStatus).toBe("closed");
      expect(r.usage.reasoningTokens).toBe(expected.usage.completion_tokens_details?.reasoning_tokens);
      expect(r.usage.completionTokens).toBe(expected.usage.completion_tokens);
    });
  }

  it("splits an inline <think> trace and estimates its tokens from its share of the completion", async () => {
    const expected = await raw("sim-thinker-inline");
    const content = expected.message.content ?? "";
    const r = (await gw().chat({ name: "inline", provider: "sim", model: "sim-thinker-inline" }, { messages })) as ChatSuccess;
    const close = content.indexOf("</think>");
    expect(r.trace).toBe(content.slice("<think>".length, close).trim());
    expect(r.text).toBe(content.slice(close + "</think>".length).trim());
    const share = (expected.usage.completion_tokens * (r.trace ?? "").length) / ((r.trace ?? "").length + r.text.length);
    expect(r.usage.reasoningTokens).toBe(Math.min(expected.usage.completion_tokens, Math.round(share)));
    expect(usage.at(-1)?.reasoningTokens).toBe(r.usage.reasoningTokens);
  });

  it("an unclosed trace leaves an empty answer", async () => {
    const r = (await gw().chat({ name: "short", provider: "sim", model: "sim-thinker-inline", params: { maxTokens: 6 } }, { messages })) as ChatSuccess;
    expect([r.text, r.traceStatus]).toEqual(["", "unclosed"]);
    expect(r.trace).toMatch(/\S/);
  });
});
