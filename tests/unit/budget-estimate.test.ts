/** The pure pieces of budgets: the worst-case estimate of a chat call and of embeddings, the fit test, the stop message. */
import { describe, expect, it } from "vitest";
import { budgetStopMessage, roundUsd } from "../../battles/budget.js";
import { fitsAlone } from "../../db/budget-ledger.js";
import { DEFAULT_COMPLETION_RESERVE, EMBED_OVERHEAD_TOKENS, estimateCallSpend, estimateEmbedSpend, REASONING_COMPLETION_RESERVE } from "../../src/gateway/cost.js";
import type { ModelSpec } from "../../src/gateway/types.js";

const priced = { inputPricePerMTok: 10, outputPricePerMTok: 30 };
const msg = (content: string) => ({ role: "user" as const, content });

describe("estimateCallSpend", () => {
  const cases = [
    { name: "a byte a token plus 8 a message, max_tokens completion", model: priced, messages: [msg("x".repeat(300))], params: { maxTokens: 200 }, tokens: 300 + 8 + 200, costUsd: (308 * 10 + 200 * 30) / 1e6 },
    { name: "multi-byte characters count their UTF-8 bytes", model: priced, messages: [msg("é漢")], params: { maxTokens: 1 }, tokens: 5 + 8 + 1, costUsd: (13 * 10 + 30) / 1e6 },
    { name: "no max_tokens: the default completion reserve", model: priced, messages: [msg("")], params: {}, tokens: 8 + DEFAULT_COMPLETION_RESERVE, costUsd: (8 * 10 + DEFAULT_COMPLETION_RESERVE * 30) / 1e6 },
    { name: "several messages each add overhead", model: priced, messages: [msg("aaa"), msg("bbb")], params: { maxTokens: 10 }, tokens: 6 + 16 + 10, costUsd: (22 * 10 + 300) / 1e6 },
    { name: "an unpriced model is free but still counts tokens", model: {}, messages: [msg("x".repeat(30))], params: { maxTokens: 5 }, tokens: 30 + 8 + 5, costUsd: 0 },
    // 8 + 1024 + 4096 = 5128 tokens; (8 * 10 + 5120 * 30) / 1e6
    { name: "a reasoning model with no max_tokens reserves for its trace too", model: { ...priced, reasoning: {} }, messages: [msg("")], params: {}, tokens: 8 + DEFAULT_COMPLETION_RESERVE + REASONING_COMPLETION_RESERVE, costUsd: (8 * 10 + 5120 * 30) / 1e6 },
    { name: "a reasoning model's max_tokens caps trace and answer together", model: { ...priced, reasoning: {} }, messages: [msg("")], params: { maxTokens: 100 }, tokens: 8 + 100, costUsd: (80 + 3000) / 1e6 },
  ] as { name: string; model: Partial<ModelSpec>; messages: { role: "user"; content: string }[]; params: { maxTokens?: number }; tokens: number; costUsd: number }[];
  for (const tc of cases) {
    it(tc.name, () => {
      const est = estimateCallSpend(tc.model, tc.messages, tc.params);
      expect(est.tokens).toBe(tc.tokens);
      expect(est.costUsd).toBeCloseTo(tc.costUsd, 12);
    });
  }
});

describe("estimateEmbedSpend", () => {
  const cases = [
    { name: "a byte a token plus the overhead a text, all at the input price", texts: ["x".repeat(100), "yy"], tokens: 102 + 2 * EMBED_OVERHEAD_TOKENS, costUsd: ((102 + 2 * EMBED_OVERHEAD_TOKENS) * 10) / 1e6 },
    { name: "multi-byte characters count their UTF-8 bytes", texts: ["é漢"], tokens: 5 + EMBED_OVERHEAD_TOKENS, costUsd: ((5 + EMBED_OVERHEAD_TOKENS) * 10) / 1e6 },
    { name: "no texts cost nothing", texts: [], tokens: 0, costUsd: 0 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const est = estimateEmbedSpend(priced, tc.texts);
      expect(est.tokens).toBe(tc.tokens);
      expect(est.costUsd).toBeCloseTo(tc.costUsd, 12);
    });
  }
});

describe("fitsAlone", () => {
  const row = { maxCostUsd: 1, maxTokens: 100, spentCostUsd: 0.5, spentTokens: 50 };
  const cases = [
    { name: "fits both caps", row, est: { costUsd: 0.5, tokens: 50 }, fits: true },
    { name: "cost over", row, est: { costUsd: 0.51, tokens: 1 }, fits: false },
    { name: "tokens over", row, est: { costUsd: 0, tokens: 51 }, fits: false },
    { name: "no caps", row: { ...row, maxCostUsd: null, maxTokens: null }, est: { costUsd: 9, tokens: 9e9 }, fits: true },
  ];
  for (const tc of cases) it(tc.name, () => expect(fitsAlone(tc.row, tc.est)).toBe(tc.fits));
});

describe("budgetStopMessage", () => {
  const cases = [
    { caps: { maxCostUsd: 0.5, maxTokens: null }, spent: { costUsd: 0.466570000000001, tokens: 1234 }, pending: 20, has: ["spent $0.46657 of $0.5", "1234 tokens", "20 battle(s) left pending"] },
    { caps: { maxCostUsd: null, maxTokens: 15000 }, spent: { costUsd: 0, tokens: 13054 }, pending: 1, has: ["spent $0 ", "13054 of 15000 tokens"] },
  ];
  for (const tc of cases) {
    it(`names ${tc.has[0]}`, () => {
      const m = budgetStopMessage(tc.caps, tc.spent, tc.pending);
      expect(m.startsWith("budget exhausted: ")).toBe(true);
      for (const h of tc.has) expect(m).toContain(h);
      expect(m).toContain(`$${roundUsd(tc.spent.costUsd)}`);
    });
  }
});
