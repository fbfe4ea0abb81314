// Judge templates users write (judges/prompts/user-template.ts, judges/template-verdict.ts): the
// validation table (each case names the field its first problem must name), one-pass placeholder
// filling (a value holding `{{answer_b}}` is copied, not expanded), rendering and versions, and
// reading verdicts per output kind. Expected strings are written out by hand from the rules stated
// in the modules' headers.
import { describe, expect, it } from "vitest";
import {
  fillPlaceholders,
  labelFromVerdictValue,
  pairwiseVerdictOf,
  parseTemplateRef,
  placeholdersIn,
  ratingFromVerdictValue,
  ratingOf,
  templateProblems,
  type UserTemplateSpec,
  userPairwiseTemplate,
  userSingleTemplate,
} from "../../judges/index.js";
import { parseJudgePrompt } from "../../src/sim/judge.js";

const PAIR = "Q: {{question}}\n<answer_a>{{answer_a}}</answer_a>\n<answer_b>{{answer_b}}</answer_b>";
const verdictSchema = (verdict: Record<string, unknown>, required = ["verdict"]) => ({ type: "object", properties: { reasoning: { type: "string" }, verdict }, required });
const base = { name: "code-rubric", mode: "pairwise" as const, systemPrompt: "Judge code.", userTemplate: PAIR, output: { kind: "labels" as const } };

describe("templateProblems: valid templates have none, each invalid one names its field", () => {
  const cases: { name: string; spec: Parameters<typeof templateProblems>[0]; field: string | null; mentions?: string }[] = [
    { name: "pairwise labels", spec: base, field: null },
    { name: "pairwise with conversation and reference", spec: { ...base, userTemplate: "{{conversation}}\n{{reference}}\n{{answer_a}}|{{ answer_b }}" }, field: null },
    { name: "single rating", spec: { ...base, mode: "single", userTemplate: "{{question}} -> {{answer}}", output: { kind: "rating" } }, field: null },
    { name: "pairwise json, enum of side words", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "string", enum: ["A", "B", "tie"] }), verdictField: "verdict" } }, field: null },
    { name: "single json, integer 1-10", spec: { ...base, mode: "single", userTemplate: "{{question}} {{answer}}", output: { kind: "json", schema: verdictSchema({ type: "integer", minimum: 1, maximum: 10 }, ["verdict"]), verdictField: "verdict" } }, field: null },
    { name: "unknown placeholder", spec: { ...base, userTemplate: `${PAIR} {{rubric}}` }, field: "userTemplate", mentions: "{{rubric}}" },
    { name: "answer in a pairwise template", spec: { ...base, userTemplate: `${PAIR} {{answer}}` }, field: "userTemplate", mentions: "{{answer}}" },
    { name: "missing answer_b", spec: { ...base, userTemplate: "{{question}} {{answer_a}}" }, field: "userTemplate", mentions: "{{answer_b}}" },
    { name: "no question", spec: { ...base, userTemplate: "{{answer_a}} {{answer_b}}" }, field: "userTemplate", mentions: "{{question}}" },
    { name: "placeholder in the system prompt", spec: { ...base, systemPrompt: "Judge {{question}}" }, field: "systemPrompt" },
    { name: "bad name", spec: { ...base, name: "Code Rubric" }, field: "name" },
    { name: "name with @", spec: { ...base, name: "rubric@2" }, field: "name" },
    { name: "empty system prompt", spec: { ...base, systemPrompt: "  " }, field: "systemPrompt" },
    { name: "rating output for pairwise", spec: { ...base, output: { kind: "rating" } }, field: "output.kind" },
    { name: "labels output for single", spec: { ...base, mode: "single", userTemplate: "{{question}} {{answer}}" }, field: "output.kind" },
    { name: "schema not an object schema", spec: { ...base, output: { kind: "json", schema: { type: "string" }, verdictField: "verdict" } }, field: "output.schema.type" },
    { name: "schema without properties", spec: { ...base, output: { kind: "json", schema: { type: "object" }, verdictField: "verdict" } }, field: "output.schema.properties" },
    { name: "schema without the verdict field", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "string" }), verdictField: "winner" } }, field: "output.verdictField", mentions: "winner" },
    { name: "verdict field not required", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "string" }, []), verdictField: "verdict" } }, field: "output.schema.required" },
    { name: "pairwise verdict field a number", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "number" }), verdictField: "verdict" } }, field: "output.schema.properties.verdict" },
    { name: "enum value that is no verdict", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "string", enum: ["A", "maybe"] }), verdictField: "verdict" } }, field: "output.schema.properties.verdict.enum", mentions: '"maybe"' },
    { name: "single verdict field a string", spec: { ...base, mode: "single", userTemplate: "{{question}} {{answer}}", output: { kind: "json", schema: verdictSchema({ type: "string" }), verdictField: "verdict" } }, field: "output.schema.properties.verdict" },
    { name: "single rating maximum above 10", spec: { ...base, mode: "single", userTemplate: "{{question}} {{answer}}", output: { kind: "json", schema: verdictSchema({ type: "integer", maximum: 100 }), verdictField: "verdict" } }, field: "output.schema.properties.verdict.maximum" },
    { name: "verdictField inherited from Object.prototype", spec: { ...base, output: { kind: "json", schema: verdictSchema({ type: "string" }, ["constructor"]), verdictField: "constructor" } }, field: "output.verdictField" },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const problems = templateProblems(tc.spec);
      if (tc.field === null) return expect(problems).toEqual([]);
      expect(problems[0]?.field).toBe(tc.field);
      if (tc.mentions) expect(problems.map((p) => p.message).join(" ")).toContain(tc.mentions);
    });
  }
});

describe("placeholders: found with tolerant spacing, filled in one pass", () => {
  const cases: { name: string; template: string; values: Record<string, string>; want: string }[] = [
    { name: "plain", template: "a {{x}} b", values: { x: "1" }, want: "a 1 b" },
    { name: "spaces inside the braces", template: "{{ x }}", values: { x: "1" }, want: "1" },
    { name: "a value holding another placeholder is not expanded", template: "{{answer_a}} | {{answer_b}}", values: { answer_a: "see {{answer_b}}", answer_b: "B" }, want: "see {{answer_b}} | B" },
    { name: "a value holding $& and $1 is copied as it is", template: "<{{x}}>", values: { x: "$& $1 $$" }, want: "<$& $1 $$>" },
    { name: "an unknown name stays as written", template: "{{y}}", values: { x: "1" }, want: "{{y}}" },
    { name: "an unclosed brace is text", template: "{{x", values: { x: "1" }, want: "{{x" },
  ];
  for (const tc of cases) it(tc.name, () => expect(fillPlaceholders(tc.template, tc.values)).toBe(tc.want));
  it("lists each name once, in order", () => expect(placeholdersIn("{{b}} {{ a }} {{b}}")).toEqual(["b", "a"]));
});

describe("parseTemplateRef", () => {
  const cases: { ref: string; want: ReturnType<typeof parseTemplateRef> }[] = [
    { ref: "code-rubric@3", want: { name: "code-rubric", version: 3 } },
    { ref: "code-rubric", want: { name: "code-rubric", version: null } },
    { ref: "code-rubric@0", want: null },
    { ref: "code-rubric@1+reference", want: null },
    { ref: "@2", want: null },
  ];
  for (const tc of cases) it(tc.ref, () => expect(parseTemplateRef(tc.ref)).toEqual(tc.want));
});

describe("rendering a stored template", () => {
  const spec: UserTemplateSpec & { mode: "pairwise" } = { ...base, version: 2, userTemplate: "{{conversation}}\nRef: {{reference}}\nA: {{answer_a}}\nB: {{answer_b}}" };
  it("fills question, conversation, reference and the answers, and records name@version(+reference)", () => {
    const t = userPairwiseTemplate(spec);
    const r = t.render({ question: "What is 2+2?", answerA: "4 {{answer_b}}", answerB: "5", reference: "4" });
    expect(r.version).toBe("code-rubric@2+reference");
    expect(r.messages).toEqual([
      { role: "system", content: "Judge code." },
      { role: "user", content: "[Turn 1 - User]\nWhat is 2+2?\nRef: 4\nA: 4 {{answer_b}}\nB: 5" },
    ]);
    expect(r.jsonSchema).toBeUndefined();
    expect(t.render({ question: "q", answerA: "a", answerB: "b", reference: null }).version).toBe("code-rubric@2");
  });
  it("a template that does not show the reference keeps its base version", () => {
    const t = userPairwiseTemplate({ ...spec, userTemplate: PAIR });
    expect(t.render({ question: "q", answerA: "a", answerB: "b", reference: "r" }).version).toBe("code-rubric@2");
  });
  it("a JSON template asks for its schema", () => {
    const schema = verdictSchema({ type: "integer" });
    const t = userSingleTemplate({ ...spec, mode: "single", name: "house.style", userTemplate: "{{question}}\n{{answer}}", output: { kind: "json", schema, verdictField: "verdict" } });
    const r = t.render({ question: [{ role: "user", content: "hi" }], answer: "hello" });
    expect(r.jsonSchema).toEqual({ name: "house_style", schema });
    expect(r.messages[1]?.content).toBe("hi\nhello");
    expect([t.output, t.verdictField]).toEqual(["json", "verdict"]);
  });
});

describe("verdicts per output kind", () => {
  const labels = { output: "label" as const };
  const json = { output: "json" as const, verdictField: "winner" };
  const cases: { name: string; template: Parameters<typeof pairwiseVerdictOf>[0]; text: string; want: string | null }[] = [
    { name: "labels: last bracketed label", template: labels, text: "[[A>B]] ... My final verdict: [[B>>A]]", want: "B>>A" },
    { name: "labels: none", template: labels, text: "A is better", want: null },
    { name: "json: side word", template: json, text: '{"winner":"model_b"}', want: "B>A" },
    { name: "json: a label", template: json, text: '```json\n{"winner":"A >> B"}\n```', want: "A>>B" },
    { name: "json: tie", template: json, text: '{"winner":"Tie"}', want: "A=B" },
    { name: "json: the field is missing, a label in the text does not count", template: json, text: '{"verdict":"A"} [[A>B]]', want: null },
    { name: "json: not JSON", template: json, text: "winner: A", want: null },
    { name: "built-in json: falls back to the text label", template: { output: "json" }, text: "no json [[B>A]]", want: "B>A" },
  ];
  for (const tc of cases) it(tc.name, () => expect(pairwiseVerdictOf(tc.template, tc.text)).toBe(tc.want));

  const ratings: { name: string; template: Parameters<typeof ratingOf>[0]; text: string; want: number | null }[] = [
    { name: "rating text", template: {}, text: "Rating: [[7]]", want: 7 },
    { name: "json rating", template: { output: "json", verdictField: "score" }, text: '{"score": 8}', want: 8 },
    { name: "json rating as a numeric string", template: { output: "json", verdictField: "score" }, text: '{"score": "6.5"}', want: 6.5 },
    { name: "json rating out of range", template: { output: "json", verdictField: "score" }, text: '{"score": 11}', want: null },
    { name: "json rating not a number", template: { output: "json", verdictField: "score" }, text: '{"score": true}', want: null },
  ];
  for (const tc of ratings) it(tc.name, () => expect(ratingOf(tc.template, tc.text)).toBe(tc.want));

  const values: { value: unknown; label: string | null; rating: number | null }[] = [
    { value: "A", label: "A>B", rating: null },
    { value: "assistant_b", label: "B>A", rating: null },
    { value: "draw", label: "A=B", rating: null },
    { value: "B<<A", label: "A>>B", rating: null },
    { value: 3, label: null, rating: 3 },
    { value: "", label: null, rating: null },
    { value: null, label: null, rating: null },
  ];
  for (const tc of values) it(`value ${JSON.stringify(tc.value)}`, () => expect([labelFromVerdictValue(tc.value), ratingFromVerdictValue(tc.value)]).toEqual([tc.label, tc.rating]));
});

describe("the simulator reads tag-delimited judge prompts", () => {
  it("pairwise, with the conversation form of the question and an empty reference", () => {
    const text = "<conversation>[Turn 1 - User]\nWhy?</conversation>\n<reference></reference>\n<answer_a>because</answer_a>\n<answer_b>no</answer_b>";
    expect(parseJudgePrompt(text)).toEqual({ kind: "pairwise", question: "Why?", a: "because", b: "no", reference: null });
  });
  it("single", () => {
    expect(parseJudgePrompt("<question>Q</question><reference>R</reference><answer>X</answer>")).toEqual({ kind: "single", question: "Q", answer: "X", reference: "R" });
  });
  it("a prompt without a question tag is not a judge prompt", () => {
    expect(parseJudgePrompt("<answer>X</answer>")).toBeNull();
  });
});
