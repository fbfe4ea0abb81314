/**
 * The judges module: prompt templates, verdict parsing, position-swap combination, jury pooling and
 * judge-agreement statistics. Pure code; imports nothing else from the project.
 */
export * from "./labels.js";
export * from "./parse.js";
export * from "./combine.js";
export * from "./combine-single.js";
export * from "./judge-outcome.js";
export * from "./jury.js";
export * from "./kappa.js";
export * from "./agreement.js";
export type { BattleGames } from "./judge-quality.js";
export { groupByJudge } from "./judge-quality.js";
export * from "./prompts/types.js";
export * from "./prompts/question.js";
export * from "./prompts/pairwise.js";
export * from "./prompts/pairwise-json.js";
export * from "./prompts/single.js";
export * from "./prompts/multi-turn.js";
export * from "./prompts/registry.js";
export * from "./human-agreement.js";
export * from "./template-verdict.js";
export * from "./prompts/user-template.js";
