// Prompt templates: exact markers (the simulator parses them), reference placement, multi-turn rendering,
// the JSON-schema variant and the version registry.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAIRWISE_VERSION,
  DEFAULT_SINGLE_VERSION,
  PROMPT_VERSIONS,
  getPairwiseTemplate,
  getPromptTemplate,
  getSingleTemplate,
} from "../../judges/prompts/registry.js";
import { renderPairwisePrompt } from "../../judges/prompts/pairwise.js";
import { PAIRWISE_VERDICT_SCHEMA, renderPairwiseJsonPrompt } from "../../judges/prompts/pairwise-json.js";
import { renderSinglePrompt } from "../../judges/prompts/single.js";
import { renderQuestion } from "../../judges/prompts/question.js";
import { parseJsonVerdict } from "../../judges/parse.js";
import type { RenderedPrompt } from "../../judges/prompts/types.js";

function userText(p: RenderedPrompt): string {
  const user = p.messages.find((m) => m.role === "user");
  return user ? user.content : "";
}

const pairwiseCases = [
  {
    name: "pairwise, no reference",
    prompt: () => renderPairwisePrompt({ question: "What is 2+2?", answerA: "4", answerB: "five" }),
    want:
      "<|User Prompt|>\nWhat is 2+2?\n\n<|The Start of Assistant A's Answer|>\n4\n<|The End of Assistant A's Answer|>\n\n" +
      "<|The Start of Assistant B's Answer|>\nfive\n<|The End of Assistant B's Answer|>",
  },
  {
    name: "pairwise with reference before Assistant A",
    prompt: () => renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b", reference: "R" }),
    want:
      "<|User Prompt|>\nQ\n\n<|The Start of Reference Answer|>\nR\n<|The End of Reference Answer|>\n\n" +
      "<|The Start of Assistant A's Answer|>\na\n<|The End of Assistant A's Answer|>\n\n" +
      "<|The Start of Assistant B's Answer|>\nb\n<|The End of Assistant B's Answer|>",
  },
  {
    name: "blank reference is left out",
    prompt: () => renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b", reference: "  " }),
    want:
      "<|User Prompt|>\nQ\n\n<|The Start of Assistant A's Answer|>\na\n<|The End of Assistant A's Answer|>\n\n" +
      "<|The Start of Assistant B's Answer|>\nb\n<|The End of Assistant B's Answer|>",
  },
  {
    name: "json variant uses the same user message",
    prompt: () => renderPairwiseJsonPrompt({ question: "Q", answerA: "a", answerB: "b", reference: null }),
    want:
      "<|User Prompt|>\nQ\n\n<|The Start of Assistant A's Answer|>\na\n<|The End of Assistant A's Answer|>\n\n" +
      "<|The Start of Assistant B's Answer|>\nb\n<|The End of Assistant B's Answer|>",
  },
  {
    name: "single grading, no reference",
    prompt: () => renderSinglePrompt({ question: "Q", answer: "ans" }),
    want: "[Question]\nQ\n\n[The Start of Assistant's Answer]\nans\n[The End of Assistant's Answer]",
  },
  {
    name: "single grading with reference before the answer",
    prompt: () => renderSinglePrompt({ question: "Q", answer: "ans", reference: "R" }),
    want:
      "[Question]\nQ\n\n[The Start of Reference Answer]\nR\n[The End of Reference Answer]\n\n" +
      "[The Start of Assistant's Answer]\nans\n[The End of Assistant's Answer]",
  },
];

// Prompts are rendered inside each test (thunks), not at collection time, so coverage sees them.
describe("prompt user messages use the exact markers", () => {
  for (const tc of pairwiseCases) {
    it(tc.name, () => {
      const prompt = tc.prompt();
      expect(userText(prompt)).toBe(tc.want);
      expect(prompt.messages.map((m) => m.role)).toEqual(["system", "user"]);
    });
  }
});

describe("system prompts ask for the parseable output", () => {
  it("pairwise lists all five labels", () => {
    const system = renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b" }).messages[0]?.content ?? "";
    for (const label of ["[[A>>B]]", "[[A>B]]", "[[A=B]]", "[[B>A]]", "[[B>>A]]"]) expect(system).toContain(label);
  });
  it("single asks for Rating: [[N]]", () => {
    const system = renderSinglePrompt({ question: "Q", answer: "a" }).messages[0]?.content ?? "";
    expect(system).toContain("Rating: [[5]]");
  });
});

describe("renderQuestion", () => {
  const cases = [
    { name: "string", q: "Hello?", want: "Hello?" },
    { name: "one user message renders bare", q: [{ role: "user" as const, content: "Hi" }], want: "Hi" },
    {
      name: "multi-turn transcript numbered by user turns",
      q: [
        { role: "system" as const, content: "Be brief." },
        { role: "user" as const, content: "Name a prime." },
        { role: "assistant" as const, content: "7" },
        { role: "user" as const, content: "Another?" },
      ],
      want: "[System]\nBe brief.\n\n[Turn 1 - User]\nName a prime.\n\n[Turn 1 - Assistant]\n7\n\n[Turn 2 - User]\nAnother?",
    },
    {
      name: "assistant greeting before the first user turn is unnumbered",
      q: [
        { role: "assistant" as const, content: "How can I help?" },
        { role: "user" as const, content: "Sum 1..3" },
      ],
      want: "[Assistant]\nHow can I help?\n\n[Turn 1 - User]\nSum 1..3",
    },
    { name: "empty conversation", q: [], want: "" },
  ];
  for (const tc of cases) it(tc.name, () => expect(renderQuestion(tc.q)).toBe(tc.want));

  it("a multi-turn question sits between the pairwise markers", () => {
    const p = renderPairwisePrompt({
      question: [
        { role: "user", content: "u1" },
        { role: "assistant", content: "a1" },
        { role: "user", content: "u2" },
      ],
      answerA: "x",
      answerB: "y",
    });
    expect(userText(p)).toContain("<|User Prompt|>\n[Turn 1 - User]\nu1\n\n[Turn 1 - Assistant]\na1\n\n[Turn 2 - User]\nu2\n\n<|The Start of Assistant A's Answer|>");
  });
});

describe("JSON verdict schema", () => {
  it("asks for reasoning and a five-label enum, and a conforming object parses", () => {
    const p = renderPairwiseJsonPrompt({ question: "Q", answerA: "a", answerB: "b" });
    expect(p.jsonSchema).toBe(PAIRWISE_VERDICT_SCHEMA);
    const props = PAIRWISE_VERDICT_SCHEMA.schema["properties"] as Record<string, { enum?: string[]; type: string }>;
    expect(props["verdict"]?.enum).toEqual(["A>>B", "A>B", "A=B", "B>A", "B>>A"]);
    expect(props["reasoning"]?.type).toBe("string");
    expect(PAIRWISE_VERDICT_SCHEMA.schema["required"]).toEqual(["reasoning", "verdict"]);
    for (const verdict of props["verdict"]?.enum ?? []) {
      expect(parseJsonVerdict(JSON.stringify({ reasoning: "r", verdict }))?.verdict).toBe(verdict);
    }
  });
});

describe("registry", () => {
  it("resolves every version to a template that renders with that version", () => {
    expect(PROMPT_VERSIONS.length).toBe(7);
    for (const version of PROMPT_VERSIONS) {
      const t = getPromptTemplate(version);
      expect(t?.version).toBe(version);
      const rendered =
        t?.kind === "pairwise" ? t.render({ question: "Q", answerA: "a", answerB: "b" }) : t?.render({ question: "Q", answer: "a" });
      expect(rendered?.version).toBe(version);
    }
  });
  it.each([
    ["defaults", DEFAULT_PAIRWISE_VERSION, "pairwise", "label"],
    ["json", "arena-hard-v2-json@1", "pairwise", "json"],
  ])("%s: pairwise lookup", (_name, version, kind, output) => {
    const t = getPairwiseTemplate(version);
    expect(t?.kind).toBe(kind);
    expect(t?.output).toBe(output);
    expect(getSingleTemplate(version)).toBeNull();
  });
  it("single default and unknown versions", () => {
    expect(getSingleTemplate(DEFAULT_SINGLE_VERSION)?.kind).toBe("single");
    expect(getPairwiseTemplate(DEFAULT_SINGLE_VERSION)).toBeNull();
    expect(getPromptTemplate("arena-hard-v0@9")).toBeNull();
    expect(DEFAULT_PAIRWISE_VERSION).toBe("arena-hard-v2@1");
  });
});

describe("reference-guided prompts carry their own version", () => {
  // A judgment graded against a reference answer is not comparable with one graded without: the
  // stored version must say which template text the judge saw.
  const cases = [
    { name: "pairwise, no reference", prompt: () => renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b" }), want: "arena-hard-v2@1" },
    { name: "pairwise with reference", prompt: () => renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b", reference: "R" }), want: "arena-hard-v2@1+reference" },
    { name: "pairwise, blank reference", prompt: () => renderPairwisePrompt({ question: "Q", answerA: "a", answerB: "b", reference: " \n" }), want: "arena-hard-v2@1" },
    { name: "json with reference", prompt: () => renderPairwiseJsonPrompt({ question: "Q", answerA: "a", answerB: "b", reference: "R" }), want: `${getPairwiseTemplate("arena-hard-v2-json@1")?.version ?? "?"}+reference` },
    { name: "single, no reference", prompt: () => renderSinglePrompt({ question: "Q", answer: "a", reference: null }), want: DEFAULT_SINGLE_VERSION },
    { name: "single with reference", prompt: () => renderSinglePrompt({ question: "Q", answer: "a", reference: "R" }), want: `${DEFAULT_SINGLE_VERSION}+reference` },
  ];
  for (const tc of cases) it(tc.name, () => expect(tc.prompt().version).toBe(tc.want));

  it("no reference-guided version collides with a registered base version", () => {
    for (const v of PROMPT_VERSIONS) expect(PROMPT_VERSIONS).not.toContain(`${v}+reference`);
  });
});
