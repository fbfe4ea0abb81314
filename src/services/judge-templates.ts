/**
 * Judge templates: users' own (validated, stored per version in judge_templates) and the built-ins,
 * listed in one shape. An edit of a version no round or judgment uses replaces it in place; an edit of
 * a used version makes the next version, so what a judgment was prompted with never changes. The
 * edit locks the version row for update; a round being created on it holds it for share
 * (battles/round-store.ts), so the two are ordered.
 */
import { z } from "zod";
import type { Db } from "../../db/client.js";
import {
  findTemplate,
  insertTemplateVersion,
  type JudgeTemplateRow,
  listTemplateRows,
  templateVersionInUse,
  updateTemplateVersion,
} from "../../db/judge-templates.js";
import type { JudgeTemplateOutput } from "../../db/schema/index.js";
import {
  getPromptTemplate,
  MAX_TEMPLATE_CHARS,
  PAIRWISE_VERDICT_SCHEMA,
  parseTemplateRef,
  PROMPT_VERSIONS,
  type PromptTemplate,
  templateProblems,
  templateVersion,
} from "../../judges/index.js";
import { REWARD_PROMPT_VERSION } from "../../battles/round-store.js";
import { badRequest, conflict, notFound } from "../errors.js";

const OutputSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("labels") }),
  z.strictObject({ kind: z.literal("rating") }),
  z.strictObject({ kind: z.literal("json"), schema: z.record(z.string(), z.unknown()), verdictField: z.string().min(1).max(200) }),
]);
const Text = z.string().max(MAX_TEMPLATE_CHARS);

export const TemplateCreateSchema = z.strictObject({
  name: z.string().min(1).max(64),
  mode: z.enum(["pairwise", "single"]),
  systemPrompt: Text,
  userTemplate: Text,
  output: OutputSchema,
  description: z.string().max(2000).optional(),
});
export type TemplateCreate = z.infer<typeof TemplateCreateSchema>;

export const TemplatePatchSchema = z
  .strictObject({ systemPrompt: Text.optional(), userTemplate: Text.optional(), output: OutputSchema.optional(), description: z.string().max(2000).nullable().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "name at least one of systemPrompt, userTemplate, output, description" });
export type TemplatePatch = z.infer<typeof TemplatePatchSchema>;

export interface TemplateView {
  name: string;
  version: number;
  /** What rounds pass as `promptVersion` and judgments record. */
  promptVersion: string;
  builtin: boolean;
  mode: "pairwise" | "single";
  systemPrompt: string;
  userTemplate: string;
  output: JudgeTemplateOutput;
  description: string | null;
  /** Versions of this name (a listing shows the latest). */
  versions: number;
  createdAt: string | null;
  updatedAt: string | null;
  /** The API key that wrote the version (null for built-ins and in local mode). */
  createdBy: string | null;
}

/** Names the built-ins (and reward scores) are recorded under; a user template may not take one. */
const RESERVED = new Set([...PROMPT_VERSIONS, REWARD_PROMPT_VERSION].map((v) => v.split("@")[0]));

/** A built-in in the user-template shape: its user message rendered with the placeholders as values. */
function builtinView(t: PromptTemplate): TemplateView {
  const [name = t.version, n = "1"] = t.version.split("@");
  const q = { question: "{{question}}", reference: null };
  // A multi-turn built-in renders here as a one-turn conversation: each `### User:` / `### Assistant A:` pair
  // repeats per turn in a real prompt.
  const rendered = t.kind === "pairwise" ? t.render({ ...q, answerA: "{{answer_a}}", answerB: "{{answer_b}}" }) : t.render({ ...q, answer: "{{answer}}" });
  const output: JudgeTemplateOutput =
    t.kind === "single" ? { kind: "rating" } : t.output === "json" ? { kind: "json", schema: PAIRWISE_VERDICT_SCHEMA.schema, verdictField: "verdict" } : { kind: "labels" };
  const [system, user] = rendered.messages;
  return { name, version: Number(n), promptVersion: t.version, builtin: true, mode: t.kind, systemPrompt: system?.content ?? "", userTemplate: user?.content ?? "", output, description: "built-in (a reference answer, when shown, gets its own block and version +reference)", versions: 1, createdAt: null, updatedAt: null, createdBy: null };
}

function rowView(row: JudgeTemplateRow, versions: number): TemplateView {
  return {
    name: row.name, version: row.version, promptVersion: templateVersion(row.name, row.version), builtin: false, mode: row.mode,
    systemPrompt: row.systemPrompt, userTemplate: row.userTemplate, output: row.output, description: row.description, versions,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), createdBy: row.createdBy,
  };
}

function checkTemplate(spec: Pick<TemplateCreate, "name" | "mode" | "systemPrompt" | "userTemplate" | "output">): void {
  const problems = templateProblems(spec);
  const first = problems[0];
  if (first) throw badRequest(`${first.field}: ${first.message}`, { issues: problems });
}

/** Stores version 1 of a new template; 409 when the name is taken (by a built-in too). */
export async function createTemplate(db: Db, body: TemplateCreate, createdBy: string | null) {
  checkTemplate(body);
  if (RESERVED.has(body.name)) throw conflict(`name: '${body.name}' is a built-in template`);
  const row = { name: body.name, version: 1, mode: body.mode, systemPrompt: body.systemPrompt, userTemplate: body.userTemplate, output: body.output, description: body.description ?? null, createdBy };
  if (!(await insertTemplateVersion(db, row))) throw conflict(`name: a judge template '${body.name}' exists; PATCH /v1/judge-templates/${body.name} to change it`);
  return getTemplate(db, body.name, 1);
}

/** Built-ins, then the latest version of every user template. */
export async function listTemplates(db: Db): Promise<TemplateView[]> {
  const rows = await listTemplateRows(db);
  const latest = new Map<string, { row: JudgeTemplateRow; versions: number }>();
  for (const row of rows) {
    const seen = latest.get(row.name);
    if (seen) seen.versions += 1;
    else latest.set(row.name, { row, versions: 1 });
  }
  const builtins = PROMPT_VERSIONS.map((v) => getPromptTemplate(v)).filter((t) => t !== null).map(builtinView);
  return [...builtins, ...[...latest.values()].map((x) => rowView(x.row, x.versions))];
}

/** One version (the latest when `version` is null) of a user template or a built-in. */
export async function getTemplate(db: Db, name: string, version: number | null): Promise<TemplateView> {
  const builtin = PROMPT_VERSIONS.map((v) => getPromptTemplate(v)).find((t) => t !== null && t.version.split("@")[0] === name);
  if (builtin) {
    if (version !== null && `${name}@${version}` !== builtin.version) throw notFound("judge template version", `${name}@${version}`);
    return builtinView(builtin);
  }
  const rows = await listTemplateRows(db, name);
  const row = version === null ? rows[0] : rows.find((r) => r.version === version);
  if (!row) throw notFound("judge template", version === null ? name : `${name}@${version}`);
  return rowView(row, rows.length);
}

/**
 * Changes a template: its latest version in place while no round or judgment uses it (200), else a
 * new version (201). The mode is fixed: a pairwise template is not turned into a single one.
 */
export async function patchTemplate(db: Db, name: string, body: TemplatePatch, createdBy: string | null) {
  if (RESERVED.has(name)) throw conflict(`'${name}' is a built-in template and cannot be changed; create your own with POST /v1/judge-templates`);
  const out = await db.transaction(async (tx) => {
    const current = await findTemplate(tx, name, null, "update");
    if (!current) throw notFound("judge template", name);
    const next = {
      systemPrompt: body.systemPrompt ?? current.systemPrompt,
      userTemplate: body.userTemplate ?? current.userTemplate,
      output: body.output ?? current.output,
      description: body.description === undefined ? current.description : body.description,
    };
    checkTemplate({ name, mode: current.mode, ...next });
    // The description is not part of what a judge sees: changing only it never needs a new version.
    const sameText = next.systemPrompt === current.systemPrompt && next.userTemplate === current.userTemplate && JSON.stringify(next.output) === JSON.stringify(current.output);
    if (sameText || !(await templateVersionInUse(tx, templateVersion(name, current.version)))) {
      await updateTemplateVersion(tx, name, current.version, next);
      return { version: current.version, created: false };
    }
    const version = current.version + 1;
    const ok = await insertTemplateVersion(tx, { name, version, mode: current.mode, ...next, createdBy });
    if (!ok) throw conflict(`judge template '${name}' was changed at the same time; read it again and retry`);
    return { version, created: true };
  });
  return { template: await getTemplate(db, name, out.version), created: out.created };
}

/**
 * The exact prompt version a round on `promptVersion` records: a built-in as it is, a user template
 * as `name@n` (the latest version when no `@n` is given). 400 when it is unknown or of the wrong mode.
 */
export async function resolveRoundPromptVersion(db: Db, promptVersion: string, mode: "pairwise" | "single"): Promise<string> {
  // A built-in named without its version ("arena-hard-v2") is its one version.
  const builtin = getPromptTemplate(promptVersion) ?? PROMPT_VERSIONS.map((v) => getPromptTemplate(v)).find((t) => t?.version.split("@")[0] === promptVersion);
  if (builtin) {
    if (builtin.kind !== mode) throw badRequest(`promptVersion: '${promptVersion}' is not a ${mode} prompt template`);
    return builtin.version;
  }
  const ref = parseTemplateRef(promptVersion);
  const row = ref ? await findTemplate(db, ref.name, ref.version) : null;
  if (!ref || !row) throw badRequest(`promptVersion: no judge template '${promptVersion}'; the built-ins are ${PROMPT_VERSIONS.join(", ")}, and yours are listed by GET /v1/judge-templates`);
  if (row.mode !== mode) throw badRequest(`promptVersion: '${promptVersion}' is a ${row.mode} template, and this round judges ${mode}`);
  return templateVersion(row.name, row.version);
}
