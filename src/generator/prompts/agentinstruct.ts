/**
 * Versioned prompt templates for AgentInstruct (content transformation, instruction generation per
 * taxonomy type, suggester/editor refinement) and Evol-Instruct operators.
 */
import type { Template } from "./template.js";

export const TRANSFORM_PROMPT: Template<{ genre: string; description: string; seed: string }> = {
  id: "agentinstruct-transform",
  version: 1,
  system: "You are a content transformation agent: you turn a source text into a new text of a given genre, keeping its facts. Answer with JSON only.",
  user: (v) => `Source text:\n"""\n${v.seed}\n"""\n\nTransform it into ${v.genre}: ${v.description}. Give a title and the new text.`,
};

export const QUESTIONS_PROMPT: Template<{ passage: string; type: string; description: string; count: number; complexity: number }> = {
  id: "agentinstruct-questions",
  version: 1,
  system: "You are an instruction generation agent for reading comprehension. You write questions about a passage of one type of a skill taxonomy, each with its answer. Answer with JSON only.",
  user: (v) =>
    `Passage:\n"""\n${v.passage}\n"""\n\nWrite up to ${v.count} question(s) of type "${v.type}" (${v.description}) at difficulty ${v.complexity}/5. ` +
    "Each question must be answerable from the passage alone; give the answer too.",
};

const contextOf = (context?: string) => (context ? `It is asked about this passage:\n"""\n${context}\n"""\n\n` : "");

export const SUGGEST_PROMPT: Template<{ instruction: string; context?: string }> = {
  id: "agentinstruct-suggester",
  version: 1,
  system: "You are a suggester agent: you propose ways to make an instruction more complex and challenging while keeping it answerable. Answer with JSON only.",
  user: (v) => `${contextOf(v.context)}Instruction:\n"""\n${v.instruction}\n"""\n\nPropose 1-4 concrete changes that raise its complexity.`,
};

export const EDIT_PROMPT: Template<{ instruction: string; suggestions: string[]; context?: string }> = {
  id: "agentinstruct-editor",
  version: 1,
  system: "You are an editor agent: you rewrite an instruction by applying suggested changes. Keep it self-contained and answerable. Answer with JSON only.",
  user: (v) =>
    `${contextOf(v.context)}Instruction:\n"""\n${v.instruction}\n"""\n\nApply these changes:\n${v.suggestions.map((s) => `- ${s}`).join("\n")}\n\nGive the rewritten instruction only.`,
};

export const EVOL_PROMPT: Template<{ instruction: string; operator: string; description: string }> = {
  id: "evol-instruct",
  version: 1,
  system: "You rewrite instructions to make them more challenging for AI assistants (Evol-Instruct). The result must stay reasonable and answerable by a human expert. Answer with JSON only.",
  user: (v) => `Instruction:\n"""\n${v.instruction}\n"""\n\nOperation "${v.operator}": ${v.description}. Give the new instruction only.`,
};
