/**
 * Judge templates users write: a system prompt, a user message with named `{{placeholders}}`, an
 * output kind and a mode. `templateProblems` validates one (every problem names its field); the
 * renderer fills placeholders in ONE pass over the template, so text inside a value (an answer that
 * contains `{{answer_b}}`) is copied as it is and never expanded. A version is `<name>@<n>`, and
 * `<name>@<n>+reference` when the template shows a reference answer and one was given, as for the
 * built-ins (question.ts `renderedVersion`).
 */
import { type JudgeMessage, MAX_RATING, MIN_RATING } from "../labels.js";
import { labelFromVerdictValue } from "../template-verdict.js";
import { renderedVersion, renderQuestion, renderTranscript, hasReference } from "./question.js";
import type { PairwiseTemplate, QuestionInput, RenderedPrompt, SingleTemplate } from "./types.js";

export type TemplateMode = "pairwise" | "single";
export type TemplateOutput =
  | { kind: "labels" }
  | { kind: "rating" }
  | { kind: "json"; schema: Record<string, unknown>; verdictField: string };

export interface UserTemplateSpec {
  name: string;
  version: number;
  mode: TemplateMode;
  systemPrompt: string;
  userTemplate: string;
  output: TemplateOutput;
}

export interface TemplateProblem {
  field: string;
  message: string;
}

/** Lower-case, digits, `.`, `_`, `-`; no `@` or `+`, which versions use. */
export const TEMPLATE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MAX_TEMPLATE_CHARS = 20_000;
export const MAX_SCHEMA_CHARS = 16_000;

/** The placeholders each mode may use. */
export const PLACEHOLDERS: Record<TemplateMode, readonly string[]> = {
  pairwise: ["question", "conversation", "reference", "answer_a", "answer_b", "conversation_a", "conversation_b"],
  single: ["question", "conversation", "reference", "answer", "answer_conversation"],
};
/**
 * What a template must show, each entry satisfied by any of its names: an answer, or (multi-turn) the
 * candidate's whole conversation, which ends with that answer.
 */
const REQUIRED: Record<TemplateMode, readonly (readonly string[])[]> = {
  pairwise: [["answer_a", "conversation_a"], ["answer_b", "conversation_b"]],
  single: [["answer", "answer_conversation"]],
};
const OUTPUT_KINDS: Record<TemplateMode, readonly TemplateOutput["kind"][]> = { pairwise: ["labels", "json"], single: ["rating", "json"] };

/** `{{ name }}`: anything between double braces is a placeholder, so a typo is caught, not sent. */
const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholder names a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1] ?? ""))];
}

/** One pass: each placeholder becomes its value; values are never scanned again. */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) => (Object.hasOwn(values, name) ? (values[name] ?? "") : whole));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function textProblems(spec: Omit<UserTemplateSpec, "version">): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (placeholdersIn(spec.systemPrompt).length > 0) out.push({ field: "systemPrompt", message: "placeholders are filled only in userTemplate; the system prompt is sent as written" });
  const used = placeholdersIn(spec.userTemplate);
  const allowed = PLACEHOLDERS[spec.mode];
  const unknown = used.filter((p) => !allowed.includes(p));
  if (unknown.length > 0) out.push({ field: "userTemplate", message: `unknown placeholder(s) ${unknown.map((p) => `{{${p}}}`).join(", ")}; a ${spec.mode} template may use ${allowed.map((p) => `{{${p}}}`).join(", ")}` });
  const missing = REQUIRED[spec.mode].filter((names) => !names.some((p) => used.includes(p)));
  if (missing.length > 0) out.push({ field: "userTemplate", message: `a ${spec.mode} template must show ${missing.map((names) => names.map((p) => `{{${p}}}`).join(" or ")).join(" and ")}` });
  if (!used.includes("question") && !used.includes("conversation")) out.push({ field: "userTemplate", message: "the judge must see what was asked: use {{question}} or {{conversation}}" });
  return out;
}

function verdictPropertyProblems(mode: TemplateMode, prop: Record<string, unknown>, at: string): TemplateProblem[] {
  const field = `output.schema.properties.${at}`;
  if (mode === "pairwise") {
    if (prop["type"] !== "string") return [{ field, message: 'a pairwise verdict field must be {"type": "string"} (a label such as "A>B", or "A" / "B" / "tie")' }];
    const values = prop["enum"];
    if (values === undefined) return [];
    if (!Array.isArray(values) || values.length === 0) return [{ field: `${field}.enum`, message: "must be a non-empty array" }];
    const bad = values.filter((v) => labelFromVerdictValue(v) === null);
    return bad.length > 0 ? [{ field: `${field}.enum`, message: `value(s) ${bad.map((v) => JSON.stringify(v)).join(", ")} are not verdicts; use the labels A>>B A>B A=B B>A B>>A or A / B / tie (model_a, model_b)` }] : [];
  }
  if (prop["type"] !== "integer" && prop["type"] !== "number") return [{ field, message: `a single-grading verdict field must be {"type": "integer"} or "number" (a rating ${MIN_RATING}-${MAX_RATING})` }];
  const out: TemplateProblem[] = [];
  for (const key of ["minimum", "maximum"] as const) {
    const v = prop[key];
    if (v !== undefined && (typeof v !== "number" || v < MIN_RATING || v > MAX_RATING)) out.push({ field: `${field}.${key}`, message: `must be a number within ${MIN_RATING}-${MAX_RATING}` });
  }
  return out;
}

function schemaProblems(mode: TemplateMode, output: Extract<TemplateOutput, { kind: "json" }>): TemplateProblem[] {
  const { schema, verdictField } = output;
  if (!isRecord(schema)) return [{ field: "output.schema", message: "must be a JSON Schema object" }];
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) return [{ field: "output.schema", message: `is longer than ${MAX_SCHEMA_CHARS} characters` }];
  if (schema["type"] !== "object") return [{ field: "output.schema.type", message: 'must be "object": the verdict is one field of an object' }];
  const props = schema["properties"];
  if (!isRecord(props)) return [{ field: "output.schema.properties", message: "must be an object of the fields the judge fills" }];
  if (typeof verdictField !== "string" || verdictField === "") return [{ field: "output.verdictField", message: "must name the schema field that holds the verdict" }];
  const prop = Object.hasOwn(props, verdictField) ? props[verdictField] : undefined;
  if (!isRecord(prop)) return [{ field: "output.verdictField", message: `the schema has no property '${verdictField}'` }];
  const required = schema["required"];
  if (!Array.isArray(required) || !required.includes(verdictField)) return [{ field: "output.schema.required", message: `must list the verdict field '${verdictField}', or a judge may leave it out` }];
  return verdictPropertyProblems(mode, prop, verdictField);
}

/** Every problem with a template (an empty list means it is valid). */
export function templateProblems(spec: Omit<UserTemplateSpec, "version">): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (!TEMPLATE_NAME_RE.test(spec.name)) out.push({ field: "name", message: "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit" });
  for (const field of ["systemPrompt", "userTemplate"] as const) {
    if (spec[field].trim() === "") out.push({ field, message: "must not be empty" });
    if (spec[field].length > MAX_TEMPLATE_CHARS) out.push({ field, message: `is longer than ${MAX_TEMPLATE_CHARS} characters` });
  }
  out.push(...textProblems(spec));
  if (!OUTPUT_KINDS[spec.mode].includes(spec.output.kind)) {
    out.push({ field: "output.kind", message: `a ${spec.mode} template's output is ${OUTPUT_KINDS[spec.mode].map((k) => `'${k}'`).join(" or ")}` });
  } else if (spec.output.kind === "json") {
    out.push(...schemaProblems(spec.mode, spec.output));
  }
  return out;
}

/** `<name>@<n>`, the prompt version rounds name and judgments record. */
export function templateVersion(name: string, version: number): string {
  return `${name}@${version}`;
}

/** `name@3` -> { name, version: 3 }; `name` -> { name, version: null } (the latest); null when malformed. */
export function parseTemplateRef(ref: string): { name: string; version: number | null } | null {
  const m = /^([^@+]+?)(?:@([1-9]\d{0,8}))?$/.exec(ref);
  if (!m?.[1]) return null;
  return { name: m[1], version: m[2] === undefined ? null : Number(m[2]) };
}

function commonValues(question: QuestionInput, reference: string | null | undefined): Record<string, string> {
  const conversation = typeof question === "string" ? renderTranscript([{ role: "user", content: question }]) : renderTranscript(question);
  return { question: renderQuestion(question), conversation, reference: hasReference(reference) ? reference : "" };
}

/**
 * `{{conversation_a}}` and the like: the candidate's whole conversation as a transcript (question.ts
 * `renderTranscript`), its answers included; a single-turn instruction gives its question and the answer.
 */
function candidateConversation(conversation: readonly JudgeMessage[] | undefined, question: QuestionInput, answer: string): string {
  const asked: readonly JudgeMessage[] = typeof question === "string" ? [{ role: "user", content: question }] : question;
  return renderTranscript(conversation ?? [...asked, { role: "assistant", content: answer }]);
}

function render(spec: UserTemplateSpec, values: Record<string, string>, reference: string | null | undefined): RenderedPrompt {
  const base = templateVersion(spec.name, spec.version);
  // Only a template that shows the reference is a different prompt with one.
  const version = placeholdersIn(spec.userTemplate).includes("reference") ? renderedVersion(base, reference) : base;
  const prompt: RenderedPrompt = {
    version,
    messages: [
      { role: "system", content: spec.systemPrompt },
      { role: "user", content: fillPlaceholders(spec.userTemplate, values) },
    ],
  };
  if (spec.output.kind === "json") prompt.jsonSchema = { name: spec.name.replace(/[^a-zA-Z0-9_-]/g, "_"), schema: spec.output.schema };
  return prompt;
}

/** A stored pairwise template as the judging code runs it (swap and combination as for built-ins). */
export function userPairwiseTemplate(spec: UserTemplateSpec & { mode: "pairwise" }): PairwiseTemplate {
  const output = spec.output;
  return {
    kind: "pairwise",
    version: templateVersion(spec.name, spec.version),
    output: output.kind === "json" ? "json" : "label",
    ...(output.kind === "json" ? { verdictField: output.verdictField } : {}),
    render: (input) =>
      render(
        spec,
        {
          ...commonValues(input.question, input.reference),
          answer_a: input.answerA,
          answer_b: input.answerB,
          conversation_a: candidateConversation(input.conversationA, input.question, input.answerA),
          conversation_b: candidateConversation(input.conversationB, input.question, input.answerB),
        },
        input.reference,
      ),
  };
}

/** A stored single-grading template as the judging code runs it. */
export function userSingleTemplate(spec: UserTemplateSpec & { mode: "single" }): SingleTemplate {
  const output = spec.output;
  return {
    kind: "single",
    version: templateVersion(spec.name, spec.version),
    output: output.kind === "json" ? "json" : "rating",
    ...(output.kind === "json" ? { verdictField: output.verdictField } : {}),
    render: (input) =>
      render(spec, { ...commonValues(input.question, input.reference), answer: input.answer, answer_conversation: candidateConversation(input.conversation, input.question, input.answer) }, input.reference),
  };
}
