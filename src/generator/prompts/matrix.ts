/**
 * Versioned prompt templates for the MATRIX steps (personas, agent actions, scenarios) and
 * MATRIX-Gen instruction writing (the template shape and its `id/vN` tag are in ./template.ts).
 */
import type { Template } from "./template.js";
import { CATEGORY_DESCRIPTIONS, COMPLEXITY_LEVELS, KIND_DESCRIPTIONS, type InstructionKind } from "../taxonomy.js";

export interface PersonaView {
  name: string;
  age?: number;
  occupation?: string;
  region?: string;
  lifeStage?: string;
  interests?: string[];
  background?: string;
  personality?: string;
  goal?: string;
  plan?: string[];
}

/** One paragraph describing a persona, for prompts. */
export function describePersona(p: PersonaView): string {
  const parts = [
    `${p.name}${p.age ? ` (${p.age})` : ""}${p.occupation ? `, ${p.occupation}` : ""}${p.region ? ` in ${p.region}` : ""}`,
    p.lifeStage ? `life stage: ${p.lifeStage}` : "",
    p.interests?.length ? `interests: ${p.interests.join(", ")}` : "",
    p.background ? `background: ${p.background}` : "",
    p.personality ? `personality: ${p.personality}` : "",
    p.goal ? `goal: ${p.goal}` : "",
    p.plan?.length ? `plan: ${p.plan.join("; ")}` : "",
  ];
  return parts.filter(Boolean).join(". ");
}

export const PERSONA_PROMPT: Template<{ occupation: string; interests: string[]; region: string; lifeStage: string }> = {
  id: "matrix-persona",
  version: 1,
  system: "You create realistic, specific people for a social simulation. Answer with JSON only.",
  user: (v) =>
    `Create one person with these attributes:\n- occupation: ${v.occupation}\n- interests: ${v.interests.join(", ")}\n- region: ${v.region}\n- life stage: ${v.lifeStage}\n\n` +
    "Give a name, an age, a short background, a personality, one concrete goal they are pursuing this month, and a plan of 2-5 steps towards it.",
};

export const ACT_PROMPT: Template<{ persona: string; step: number; steps: number; memory: string; observations: string[]; groupMates: string[] }> = {
  id: "matrix-act",
  version: 1,
  system:
    "You play one person in a multi-agent social simulation. Stay in character, act towards your goal, and react to what others told you. Answer with JSON only.",
  user: (v) =>
    `You are: ${v.persona}\n\nStep ${v.step} of ${v.steps}.\nYour memory so far: ${v.memory || "(nothing yet)"}\n` +
    `What you observed since the last step:\n${v.observations.length > 0 ? v.observations.map((o) => `- ${o}`).join("\n") : "- (nothing)"}\n` +
    `People near you: ${v.groupMates.join(", ") || "(nobody)"}\n\n` +
    "Decide what you do now. Give your private thought, the action you take, the message you say to others (it may be delivered to people it concerns), " +
    "up to 3 names you address, and your updated memory summarised in a few sentences (keep what matters for your goal).",
};

export const SCENARIO_PROMPT: Template<{ step: number; actions: { name: string; action: string; message: string }[]; deliveries: string[] }> = {
  id: "matrix-scenario",
  version: 1,
  system: "You turn a simulation log into a realistic real-world scenario description. Answer with JSON only.",
  user: (v) =>
    `Simulation step ${v.step}. What the people in this group did:\n${v.actions.map((a) => `- ${a.name}: ${a.action} (said: "${a.message}")`).join("\n")}\n` +
    `${v.deliveries.length > 0 ? `Messages that reached them:\n${v.deliveries.map((d) => `- ${d}`).join("\n")}\n` : ""}\n` +
    "Write a short title, the key events (1-6), and a summary of the situation: who is involved, what they need, and what problems they face.",
};

export interface WriteVars {
  kind: InstructionKind;
  category: string;
  complexity: number;
  scenario: { title: string; summary: string; events: string[] };
  persona: string;
}

export const WRITE_PROMPT: Template<WriteVars> = {
  id: "matrix-gen-write",
  version: 1,
  system:
    "You write instructions that a real person would send to an AI assistant, grounded in their situation. The instruction must be self-contained " +
    "(include any data it needs), specific, and must not mention that it was generated. Answer with JSON only.",
  user: (v) =>
    `Scenario: ${v.scenario.title}\n${v.scenario.summary}\nEvents: ${v.scenario.events.join("; ")}\n\nThe person asking: ${v.persona}\n\n` +
    `Write ${KIND_DESCRIPTIONS[v.kind]}.\nTopic category: ${v.category} (${CATEGORY_DESCRIPTIONS[v.category] ?? v.category}).\n` +
    `Difficulty ${v.complexity}/5: ${COMPLEXITY_LEVELS[v.complexity] ?? ""}.\n${KIND_EXTRA[v.kind]}`,
};

const KIND_EXTRA: Record<InstructionKind, string> = {
  "sft-simple": "Give the instruction.",
  "sft-complex": "Give the instruction, with its constraints and context stated explicitly.",
  code: "Give the instruction and the programming language it concerns.",
  safety: "Give the instruction, the risk it carries, and whether a responsible assistant should decline it or handle it carefully.",
  "multi-turn": "Give 1-2 earlier turns (user message and a plausible assistant reply) and the final user message that builds on them.",
  preference: "Give the instruction and 1-4 criteria that separate an excellent answer from a mediocre one.",
};
