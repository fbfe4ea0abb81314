// Reward model: splitting rendered conversations into (question, answer), and the score's closed form
// at zero noise.
import { describe, expect, it } from "vitest";
import { scoreConversation, splitConversation } from "../../src/sim/reward.js";
import { mulberry32 } from "../../lib/random.js";

describe("splitConversation", () => {
  const cases = [
    { name: "User/Assistant", text: "User: What is 2 + 2?\nAssistant: It is 4.", q: "What is 2 + 2?", a: "It is 4." },
    { name: "last assistant turn wins", text: "User: a?\nAssistant: b.\nUser: c?\nAssistant: d.", q: "c?", a: "d." },
    { name: "Human/Assistant", text: "Human: hello\n\nAssistant: hi there", q: "hello", a: "hi there" },
    { name: "chat template", text: "<|user|>\nQ here<|end|>\n<|assistant|>\nA here<|end|>", q: "Q here", a: "A here" },
    { name: "ChatML", text: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>", q: "Q", a: "A" },
    { name: "Alpaca", text: "### Instruction:\nDo X\n\n### Response:\nDone X", q: "Do X", a: "Done X" },
    { name: "JSON messages", text: JSON.stringify([{ role: "user", content: "Q1" }, { role: "assistant", content: "A1" }]), q: "Q1", a: "A1" },
    { name: "MT-bench single", text: "[Question]\nQ2\n\n[The Start of Assistant's Answer]\nA2\n[The End of Assistant's Answer]", q: "Q2", a: "A2" },
    { name: "plain text", text: "just an answer", q: "", a: "just an answer" },
  ];
  for (const tc of cases) it(tc.name, () => expect(splitConversation(tc.text)).toEqual({ question: tc.q, answer: tc.a }));
});

describe("scoreConversation at zero noise", () => {
  // Key points of the question: photosynthesis, chlorophyll, sunlight, glucose, oxygen (5).
  const q = "User: Explain photosynthesis, chlorophyll, sunlight, glucose and oxygen.\nAssistant: ";
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  const cases = [
    { answer: "Photosynthesis uses chlorophyll and sunlight to make glucose and oxygen.", coverage: 1, words: 11 },
    { answer: "Chlorophyll is green.", coverage: 0.2, words: 3 },
  ];
  for (const tc of cases) {
    it(tc.answer, () => {
      const model = { name: "r", noise: 0, verbosityBias: 0.1 };
      const length = Math.max(-1, Math.min(1, Math.log2(tc.words / 120)));
      const want = sigmoid(4 * (tc.coverage - 0.5) + 0.1 * length);
      expect(scoreConversation(q + tc.answer, model, mulberry32(1))).toBeCloseTo(want, 12);
    });
  }
});
