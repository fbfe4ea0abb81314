/**
 * The judge template a round's battles are judged with: a built-in from judges/prompts/registry.ts,
 * or a user template (`<name>@<n>`) read from judge_templates. A round names an exact version, and a
 * version a round names is never edited again, so every battle of the round renders the same text.
 */
import type { Db } from "../db/client.js";
import { findTemplate } from "../db/judge-templates.js";
import {
  getPromptTemplate,
  parseTemplateRef,
  type PairwiseTemplate,
  type SingleTemplate,
  type UserTemplateSpec,
  userPairwiseTemplate,
  userSingleTemplate,
} from "../judges/index.js";
import { JobError } from "../lib/job-error.js";

/** The template of `version` for a pairwise or single round; a JobError (config, not retried) when it is missing. */
export async function loadJudgeTemplate(db: Db, version: string, mode: "pairwise"): Promise<PairwiseTemplate>;
export async function loadJudgeTemplate(db: Db, version: string, mode: "single"): Promise<SingleTemplate>;
export async function loadJudgeTemplate(db: Db, version: string, mode: "pairwise" | "single"): Promise<PairwiseTemplate | SingleTemplate> {
  const builtin = getPromptTemplate(version);
  const template = builtin ?? (await loadUserTemplate(db, version));
  if (!template || template.kind !== mode) throw new JobError("config", `unknown ${mode} prompt version '${version}'`, false);
  return template;
}

async function loadUserTemplate(db: Db, version: string): Promise<PairwiseTemplate | SingleTemplate | null> {
  const ref = parseTemplateRef(version);
  if (!ref || ref.version === null) return null;
  const row = await findTemplate(db, ref.name, ref.version);
  if (!row) return null;
  const spec: UserTemplateSpec = { name: row.name, version: row.version, mode: row.mode, systemPrompt: row.systemPrompt, userTemplate: row.userTemplate, output: row.output };
  return spec.mode === "pairwise" ? userPairwiseTemplate({ ...spec, mode: "pairwise" }) : userSingleTemplate({ ...spec, mode: "single" });
}
