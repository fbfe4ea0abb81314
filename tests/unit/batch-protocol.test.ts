// Batch file formats (src/gateway/batch-protocol.ts) and the simulator's batch clock (src/sim/batch.ts),
// table-driven against hand-written lines in OpenAI's documented shapes.
import { describe, expect, it } from "vitest";
import { batchInputLine, parseResultFile, parseResultLine } from "../../src/gateway/batch-protocol.js";
import { batchPhase, readBatchLines } from "../../src/sim/batch.js";
import { callCostUsd, estimateCallSpend, priceFactor } from "../../src/gateway/cost.js";
import type { ModelSpec } from "../../src/gateway/types.js";

const completion = (content: string, usage: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", content, ...extra }, finish_reason: "stop" }],
  usage,
});

describe("parseResultLine", () => {
  const cases: { name: string; line: unknown; want: unknown }[] = [
    {
      name: "a 200 answer",
      line: { id: "batch_req_1", custom_id: "k1", response: { status_code: 200, request_id: "r", body: completion("hi", { prompt_tokens: 5, completion_tokens: 7 }) }, error: null },
      want: { customId: "k1", ok: true, result: { text: "hi", reasoning: null, finishReason: "stop", usage: { promptTokens: 5, completionTokens: 7 } } },
    },
    {
      name: "an answer with a reasoning field and reasoning tokens",
      line: { custom_id: "k2", response: { status_code: 200, body: completion("ok", { prompt_tokens: 1, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 4 } }, { reasoning_content: "think" }) } },
      want: { customId: "k2", ok: true, result: { text: "ok", reasoning: "think", finishReason: "stop", usage: { promptTokens: 1, completionTokens: 9, reasoningTokens: 4 } } },
    },
    { name: "a 500 is retried", line: { custom_id: "k3", response: { status_code: 500, body: { error: { message: "boom" } } } }, want: { customId: "k3", ok: false, retryable: true, message: "batch request failed with HTTP 500: boom" } },
    { name: "a 429 is retried", line: { custom_id: "k4", response: { status_code: 429, body: {} } }, want: { customId: "k4", ok: false, retryable: true, message: "batch request failed with HTTP 429: no message" } },
    { name: "a 400 fails for good", line: { custom_id: "k5", response: { status_code: 400, body: { error: { message: "bad" } } } }, want: { customId: "k5", ok: false, retryable: false, message: "batch request failed with HTTP 400: bad" } },
    { name: "an expired request is retried", line: { custom_id: "k6", response: null, error: { code: "batch_expired", message: "late" } }, want: { customId: "k6", ok: false, retryable: true, message: "batch request failed (batch_expired): late" } },
    { name: "an unknown error code fails for good", line: { custom_id: "k7", response: null, error: { code: "invalid_prompt", message: "no" } }, want: { customId: "k7", ok: false, retryable: false, message: "batch request failed (invalid_prompt): no" } },
    { name: "a 200 without choices is retried", line: { custom_id: "k8", response: { status_code: 200, body: { choices: [] } } }, want: { customId: "k8", ok: false, retryable: true, message: "batch answer has no choices" } },
    { name: "no custom_id: skipped", line: { response: { status_code: 200 } }, want: null },
  ];
  for (const tc of cases) it(tc.name, () => expect(parseResultLine(JSON.stringify(tc.line))).toEqual(tc.want));
  it("skips lines that are not JSON, and reads a whole file", () => {
    expect(parseResultLine("{not json")).toBeNull();
    const file = [JSON.stringify(cases[0]?.line), "", "garbage", JSON.stringify(cases[2]?.line)].join("\n");
    expect(parseResultFile(file).map((o) => o.customId)).toEqual(["k1", "k3"]);
  });
  it("writes input lines the simulator reads back", () => {
    const text = [batchInputLine("a", { model: "m", messages: [] }), batchInputLine("b", { model: "m", messages: [] })].join("\n");
    expect(readBatchLines(text, "/v1/chat/completions")).toEqual({ lines: [{ customId: "a", body: { model: "m", messages: [] } }, { customId: "b", body: { model: "m", messages: [] } }], errors: [] });
  });
});

describe("the simulator's batch clock", () => {
  const base = { createdAt: 1000, validationErrors: [], cancelledAt: null };
  const cases: { name: string; spec: { completionMs: number; failRate: number; expireAfterMs?: number }; at: number; want: { status: string; share: number } }[] = [
    { name: "validating in the first tenth", spec: { completionMs: 1000, failRate: 0 }, at: 1050, want: { status: "validating", share: 0 } },
    { name: "in progress", spec: { completionMs: 1000, failRate: 0 }, at: 1500, want: { status: "in_progress", share: 0 } },
    { name: "finalizing in the last tenth", spec: { completionMs: 1000, failRate: 0 }, at: 1950, want: { status: "finalizing", share: 0 } },
    { name: "completed", spec: { completionMs: 1000, failRate: 0 }, at: 2000, want: { status: "completed", share: 1 } },
    { name: "instant", spec: { completionMs: 0, failRate: 0 }, at: 1000, want: { status: "completed", share: 1 } },
    { name: "expired with the share done by the window", spec: { completionMs: 1000, failRate: 0, expireAfterMs: 250 }, at: 1300, want: { status: "expired", share: 0.25 } },
    { name: "not expired before the window", spec: { completionMs: 1000, failRate: 0, expireAfterMs: 250 }, at: 1200, want: { status: "in_progress", share: 0 } },
  ];
  for (const tc of cases) it(tc.name, () => expect(batchPhase({ ...base, spec: tc.spec }, tc.at)).toEqual(tc.want));
  it("a cancel is cancelling at once and cancelled afterwards, keeping what was done", () => {
    const b = { ...base, spec: { completionMs: 1000, failRate: 0 }, cancelledAt: 1400 };
    expect(batchPhase(b, 1400)).toEqual({ status: "cancelling", share: 0.4 });
    expect(batchPhase(b, 1401)).toEqual({ status: "cancelled", share: 0.4 });
  });
});

describe("batch prices", () => {
  const model = { inputPricePerMTok: 2, outputPricePerMTok: 8 };
  const cases: { name: string; spec: Pick<ModelSpec, "inputPricePerMTok" | "outputPricePerMTok" | "batch" | "batchPriceFactor">; factor: number }[] = [
    { name: "an ordinary model pays full price", spec: { ...model }, factor: 1 },
    { name: "a batch model pays half by default", spec: { ...model, batch: true }, factor: 0.5 },
    { name: "a batch model's own factor", spec: { ...model, batch: true, batchPriceFactor: 0.25 }, factor: 0.25 },
    { name: "a factor without batch is ignored", spec: { ...model, batch: false, batchPriceFactor: 0.25 }, factor: 1 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(priceFactor(tc.spec)).toBe(tc.factor);
      // 1,000 prompt + 500 completion tokens: $0.002 + $0.004 at full price.
      expect(callCostUsd(tc.spec, { promptTokens: 1000, completionTokens: 500 }, false, priceFactor(tc.spec))).toBeCloseTo(0.006 * tc.factor, 12);
      const est = estimateCallSpend(tc.spec, [{ role: "user", content: "x".repeat(92) }], { maxTokens: 100 });
      expect(est).toEqual({ tokens: 200, costUsd: expect.closeTo(((100 * 2 + 100 * 8) / 1e6) * tc.factor, 12) });
    });
  }
});
