/**
 * Registry of judge prompt templates by version string. A version is never edited once released:
 * a changed prompt gets a new version so stored judgments stay comparable.
 */
import { PAIRWISE_JSON_VERSION, pairwiseJsonTemplate } from "./pairwise-json.js";
import { PAIRWISE_VERSION, pairwiseTemplate } from "./pairwise.js";
import { SINGLE_VERSION, singleTemplate } from "./single.js";
import { multiTurnPairwiseLastTemplate, multiTurnPairwiseTemplate, multiTurnSingleLastTemplate, multiTurnSingleTemplate } from "./multi-turn.js";
import type { PairwiseTemplate, PromptTemplate, SingleTemplate } from "./types.js";

export const DEFAULT_PAIRWISE_VERSION = PAIRWISE_VERSION;
export const DEFAULT_PAIRWISE_JSON_VERSION = PAIRWISE_JSON_VERSION;
export const DEFAULT_SINGLE_VERSION = SINGLE_VERSION;

const TEMPLATES: ReadonlyMap<string, PromptTemplate> = new Map<string, PromptTemplate>([
  [pairwiseTemplate.version, pairwiseTemplate],
  [pairwiseJsonTemplate.version, pairwiseJsonTemplate],
  [singleTemplate.version, singleTemplate],
  [multiTurnPairwiseTemplate.version, multiTurnPairwiseTemplate],
  [multiTurnPairwiseLastTemplate.version, multiTurnPairwiseLastTemplate],
  [multiTurnSingleTemplate.version, multiTurnSingleTemplate],
  [multiTurnSingleLastTemplate.version, multiTurnSingleLastTemplate],
]);

/** Every registered version, for validation messages and OpenAPI enums. */
export const PROMPT_VERSIONS: readonly string[] = [...TEMPLATES.keys()];

/** The template with this version, or null when none is registered. */
export function getPromptTemplate(version: string): PromptTemplate | null {
  return TEMPLATES.get(version) ?? null;
}

/** Like `getPromptTemplate`, but null unless the version is a pairwise template. */
export function getPairwiseTemplate(version: string): PairwiseTemplate | null {
  const t = getPromptTemplate(version);
  return t?.kind === "pairwise" ? t : null;
}

/** Like `getPromptTemplate`, but null unless the version is a single-grading template. */
export function getSingleTemplate(version: string): SingleTemplate | null {
  const t = getPromptTemplate(version);
  return t?.kind === "single" ? t : null;
}
