/**
 * Multi-turn instructions, pure parts: the requests each turn is asked with, the conversation judges
 * see, the MT-bench style multi-turn templates and the simulator reading them back, the simulator's
 * follow-up sentence and turn decay.
 */
import { describe, expect, it } from "vitest";
import { conversationOf, turnRequest } from "../../battles/conversation.js";
import { FOCUS, multiTurnPairwiseTemplate, multiTurnPairwiseLastTemplate, multiTurnSingleTemplate, PROMPT_VERSIONS, userPairwiseTemplate, templateProblems } from "../../judges/index.js";
import { followUpSentence, turnNumber } from "../../src/sim/chat-engine.js";
import { InstructionAnalyzer } from "../../src/sim/instruction.js";
import { assessConversation, conversationTurns, parseJudgePrompt } from "../../src/sim/judge.js";
import { assessAnswer } from "../../src/sim/quality.js";
import { FOLLOW_UP_TEMPLATE, templateVocabulary } from "../../src/sim/templates.js";

const sys = { role: "system" as const, content: "Be brief." };
const u = (content: string) => ({ role: "user" as const, content });
const a = (content: string) => ({ role: "assistant" as const, content });

describe("turnRequest / conversationOf", () => {
  const turns = ["t1", "t2", "t3"];
  it.each([
    { k: 0, answers: [], want: [sys, u("t1")] },
    { k: 1, answers: ["a1"], want: [sys, u("t1"), a("a1"), u("t2")] },
    { k: 2, answers: ["a1", "a2"], want: [sys, u("t1"), a("a1"), u("t2"), a("a2"), u("t3")] },
  ])("turn $k carries the earlier answers", ({ k, answers, want }) => {
    expect(turnRequest([sys, u("t1")], turns, answers, k)).toEqual(want);
  });
  it("refuses a turn out of range or without its earlier answers", () => {
    expect(() => turnRequest([u("t1")], turns, [], 3)).toThrow(RangeError);
    expect(() => turnRequest([u("t1")], turns, ["a1"], 2)).toThrow(RangeError);
  });
  it.each([
    { answers: ["a1"], want: [u("t1"), a("a1")] },
    { answers: ["a1", "a2", "a3"], want: [u("t1"), a("a1"), u("t2"), a("a2"), u("t3"), a("a3")] },
  ])("the conversation of $answers.length answer(s)", ({ answers, want }) => {
    expect(conversationOf([u("t1")], turns, answers)).toEqual(want);
  });
});

describe("multi-turn judge templates", () => {
  const convA = [u("How do volcanoes erupt?"), a("Magma rises through vents."), u("And geysers?"), a("Groundwater heats and bursts out.")];
  const convB = [u("How do volcanoes erupt?"), a("No idea."), u("And geysers?"), a("Water.")];
  it("are registered built-ins", () => {
    for (const v of ["mt-bench-pair-multi-turn@1", "mt-bench-pair-multi-turn-last@1", "mt-bench-single-multi-turn@1", "mt-bench-single-multi-turn-last@1"]) expect(PROMPT_VERSIONS).toContain(v);
  });
  it("show each candidate's whole conversation, swapped with the answers", () => {
    const p = multiTurnPairwiseTemplate.render({ question: convA.slice(0, 1), answerA: "x", answerB: "y", conversationA: convA, conversationB: convB });
    expect(p.version).toBe("mt-bench-pair-multi-turn@1");
    const user = p.messages[1]?.content ?? "";
    expect(user).toContain("<|The Start of Assistant A's Conversation with User|>\n\n### User:\nHow do volcanoes erupt?\n\n### Assistant A:\nMagma rises through vents.\n\n### User:\nAnd geysers?\n\n### Assistant A:\nGroundwater heats and bursts out.\n\n<|The End of Assistant A's Conversation with User|>");
    expect(user).toContain("### Assistant B:\nWater.");
    expect(p.messages[0]?.content).toContain(FOCUS.conversation);
    expect(multiTurnPairwiseLastTemplate.render({ question: "q", answerA: "x", answerB: "y", reference: "ref" }).version).toBe("mt-bench-pair-multi-turn-last@1+reference");
  });
  it("are read back by the simulator's judges, turn by turn or the last turn only", () => {
    const conv = multiTurnPairwiseTemplate.render({ question: "", answerA: "", answerB: "", conversationA: convA, conversationB: convB });
    const parsed = parseJudgePrompt(conv.messages[1]?.content ?? "", conv.messages[0]?.content ?? "");
    expect(parsed).toMatchObject({ kind: "pairwise", question: "And geysers?", a: "Groundwater heats and bursts out.", b: "Water." });
    expect(parsed?.kind === "pairwise" ? parsed.turnsA : null).toEqual([
      { question: "How do volcanoes erupt?", answer: "Magma rises through vents." },
      { question: "And geysers?", answer: "Groundwater heats and bursts out." },
    ]);
    const last = multiTurnPairwiseLastTemplate.render({ question: "", answerA: "", answerB: "", conversationA: convA, conversationB: convB });
    const lp = parseJudgePrompt(last.messages[1]?.content ?? "", last.messages[0]?.content ?? "");
    expect(lp?.kind === "pairwise" ? lp.turnsA : "none").toBeUndefined();
    const single = multiTurnSingleTemplate.render({ question: "", answer: "", conversation: convA });
    const sp = parseJudgePrompt(single.messages[1]?.content ?? "", single.messages[0]?.content ?? "");
    expect(sp?.kind === "single" ? sp.turns?.length : 0).toBe(2);
  });
  it("a conversation's quality is the mean of its turns' coverage", () => {
    const turns = [
      { question: "Explain volcanoes and magma chambers.", answer: "volcanoes magma chambers" },
      { question: "Explain geysers and groundwater.", answer: "nothing relevant" },
    ];
    const q = assessConversation(turns);
    const one = assessAnswer(turns[0]!.question, turns[0]!.answer);
    const two = assessAnswer(turns[1]!.question, turns[1]!.answer);
    expect(q.coverage).toBeCloseTo((one.coverage + two.coverage) / 2, 12);
    expect(q.covered).toBe(one.covered + two.covered);
    expect(conversationTurns("no markers", "Assistant A")).toBeNull();
  });
  it("user templates may show each candidate's conversation", () => {
    const spec = { name: "conv", version: 1, mode: "pairwise" as const, systemPrompt: "Judge.", userTemplate: "<question>{{question}}</question>\nA: {{conversation_a}}\nB: {{conversation_b}}", output: { kind: "labels" as const } };
    expect(templateProblems(spec)).toEqual([]);
    const p = userPairwiseTemplate(spec).render({ question: "q1", answerA: "x", answerB: "y", conversationA: convA, conversationB: convB });
    expect(p.messages[1]?.content).toContain("[Turn 2 - Assistant]\nGroundwater heats and bursts out.");
    expect(p.messages[1]?.content).toContain("[Turn 1 - Assistant]\nNo idea.");
    expect(templateProblems({ ...spec, userTemplate: "{{question}} {{conversation_a}}" })[0]?.message).toContain("{{answer_b}} or {{conversation_b}}");
  });
});

describe("the simulator's later turns", () => {
  const analyzer = new InstructionAnalyzer([{ name: "any", keywords: ["zzzz"] }], "any");
  it.each([
    { messages: [u("x")], turn: 1 },
    { messages: [sys, u("x"), a("y"), u("z")], turn: 2 },
    { messages: [u("x"), a("y"), u("z"), a("w"), u("v")], turn: 3 },
  ])("turn number $turn", ({ messages, turn }) => {
    expect(turnNumber({ messages })).toBe(turn);
  });
  it("refers back to a key point of the first turn that the current one lacks", () => {
    const first = "Describe the migration of monarch butterflies across continents.";
    const points = analyzer.analyze("Summarise that in one sentence.").words;
    const s = followUpSentence({ messages: [u(first), a("..."), u("Summarise that in one sentence.")] }, points, analyzer);
    const k = analyzer.analyze(first).words.find((w) => !points.includes(w));
    expect(s).toBe(FOLLOW_UP_TEMPLATE.replace("{k}", k ?? "?"));
    expect(followUpSentence({ messages: [u(first)] }, points, analyzer)).toBeNull();
  });
  it("writes the follow-up in template words only, so it adds no key point", () => {
    const vocab = new Set(templateVocabulary());
    for (const w of FOLLOW_UP_TEMPLATE.replace("{k}", "").toLowerCase().match(/[a-z]+/g) ?? []) expect(vocab.has(w), w).toBe(true);
  });
});

describe("the simulator's forgetful model", () => {
  it("covers far fewer key points on a second turn, while a model without turnDecay covers as many", async () => {
    const { loadDefaultPreset } = await import("../../src/sim/preset-schema.js");
    const { ModelRegistry } = await import("../../src/sim/registry.js");
    const { respondChat } = await import("../../src/sim/chat-engine.js");
    const preset = await loadDefaultPreset();
    const registry = new ModelRegistry(preset);
    const ctx = { seed: 5, analyzer: new InstructionAnalyzer(preset.categories, preset.fallbackCategory), answerNoise: preset.answerNoise };
    const questions = Array.from({ length: 60 }, (_, i) => `Describe the history, economy, climate and cuisine of region number ${i} with examples of festivals and rivers.`);
    const coverage = (model: string, second: boolean) => {
      const m = registry.chatModel(model)!;
      let sum = 0;
      for (const q of questions) {
        const messages = second ? [u("Tell me about mountains and glaciers."), a("Mountains rise."), u(q)] : [u(q)];
        const text = respondChat(m, { model, messages }, ctx, { invalidVerdict: false, invalidJson: false }).choices[0]?.text ?? "";
        sum += assessAnswer(q, text).coverage;
      }
      return sum / questions.length;
    };
    expect(registry.truth(5).models["sim-forgetful"]?.turnDecay).toBe(3.3);
    expect(registry.truth(5).models["sim-medium"]?.turnDecay).toBe(0);
    const f1 = coverage("sim-forgetful", false);
    const f2 = coverage("sim-forgetful", true);
    expect(f1).toBeGreaterThan(0.8);
    expect(f2).toBeLessThan(0.4);
    // turnDecay 0: only the draws differ between the two requests, not the skill.
    expect(Math.abs(coverage("sim-medium", true) - coverage("sim-medium", false))).toBeLessThan(0.08);
  });
});
