/**
 * Output schemas of every generator LLM step (zod; sent as JSON Schema through structured output).
 * Lengths are bounded so a runaway reply is rejected and re-asked rather than stored.
 */
import { z } from "zod";

const line = (max = 400) => z.string().trim().min(1).max(max);
const text = (max = 8000) => z.string().trim().min(1).max(max);

export const PersonaOut = z.object({
  name: line(80),
  age: z.number().int().min(16).max(95),
  background: text(2000),
  personality: line(400),
  goal: line(600),
  plan: z.array(line(400)).min(2).max(5),
});

export const ActOut = z.object({
  thought: text(2000),
  action: text(2000),
  /** What the agent says to others this step (routed by the modulator). */
  message: text(2000),
  addressedTo: z.array(line(80)).max(3),
  /** The agent's updated memory, summarised. */
  memorySummary: text(3000),
});

export const ScenarioOut = z.object({
  title: line(200),
  events: z.array(line(600)).min(1).max(6),
  summary: text(3000),
});

export const SingleInstructionOut = z.object({ instruction: text(12_000) });
export const CodeInstructionOut = z.object({ instruction: text(12_000), language: line(40) });
export const SafetyInstructionOut = z.object({
  instruction: text(12_000),
  risk: line(400),
  expectedBehavior: z.enum(["decline", "handle-carefully"]),
});
export const PreferenceInstructionOut = z.object({ instruction: text(12_000), qualityCriteria: z.array(line(400)).min(1).max(4) });
export const MultiTurnOut = z.object({
  turns: z.array(z.object({ userMessage: text(6000), assistantResponse: text(8000) })).min(1).max(2),
  finalUserMessage: text(6000),
});

export const TransformOut = z.object({ title: line(200), text: text(20_000) });

/** Questions of one taxonomy type about a passage; at most `max` per call. */
export const questionsOut = (max: number) =>
  z.object({ items: z.array(z.object({ question: text(4000), answer: text(4000) })).min(1).max(max) });

export const SuggestOut = z.object({ suggestions: z.array(line(600)).min(1).max(4) });
export const EditOut = z.object({ instruction: text(20_000) });
export const EvolOut = z.object({ instruction: text(20_000) });
