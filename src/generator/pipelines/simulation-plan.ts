/**
 * Pure planning between simulation stages: from the stored act and route outputs, each agent's
 * memory and inbox for the next step, or, after the last step, one scenario task per group and step.
 * An agent whose action failed keeps its previous memory and is left out of that step's scenario.
 */
import { z } from "zod";
import type { NewTask } from "./pipeline.js";
import { numbered } from "./stage.js";

export const SimAgentSchema = z.object({ personaId: z.number(), name: z.string(), description: z.string() });
export type SimAgent = z.infer<typeof SimAgentSchema>;

/** A simulation run's state (gen_runs.state): its agents, then their groups once grouped. */
export const SimStateSchema = z.object({ agents: z.array(SimAgentSchema), groups: z.array(z.number()).optional(), groupingMethod: z.string().optional() });
export type SimState = z.infer<typeof SimStateSchema>;

export interface StoredTask {
  key: string;
  status: string;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
}

/** What a route task wrote: one delivered message per recipient. */
const RouteOutput = z.looseObject({ deliveries: z.array(z.looseObject({ to: z.number(), from: z.number(), text: z.string() })).optional() });
type Delivery = NonNullable<z.infer<typeof RouteOutput>["deliveries"]>[number];

function byKey(tasks: readonly StoredTask[]): Map<string, StoredTask> {
  return new Map(tasks.map((t) => [t.key, t]));
}

function deliveriesOf(tasks: Map<string, StoredTask>, step: number): Delivery[] {
  const t = tasks.get(numbered("route", step));
  return t?.status === "done" ? (RouteOutput.parse(t.output ?? {}).deliveries ?? []) : [];
}

/** Memory after `step`: the action's summarised memory, or the memory it started from. */
function memoryAfter(tasks: Map<string, StoredTask>, step: number, agent: number): string {
  const t = tasks.get(`act:${step}:${agent}`);
  if (t?.status === "done" && typeof t.output?.memorySummary === "string") return t.output.memorySummary;
  return typeof t?.input.memory === "string" ? t.input.memory : "";
}

function scenarioTasks(state: SimState, steps: number, tasks: Map<string, StoredTask>): NewTask[] {
  const { agents, groups = [] } = state;
  const groupIds = [...new Set(groups)].sort((a, b) => a - b);
  const out: NewTask[] = [];
  for (let step = 1; step <= steps; step++) {
    const deliveries = deliveriesOf(tasks, step);
    for (const g of groupIds) {
      const members = agents.map((_, i) => i).filter((i) => groups[i] === g);
      const acted = members.filter((i) => tasks.get(`act:${step}:${i}`)?.status === "done");
      if (acted.length === 0) continue;
      const actions = acted.map((i) => {
        const o = tasks.get(`act:${step}:${i}`)?.output ?? {};
        return { name: agents[i]?.name ?? "", action: String(o.action ?? ""), message: String(o.message ?? "") };
      });
      const inGroup = new Set(members);
      const seen = deliveries
        .filter((d) => inGroup.has(d.to))
        .map((d) => `${agents[d.from]?.name ?? "?"} -> ${agents[d.to]?.name ?? "?"}: ${d.text}`);
      const participants = acted.map((i) => ({ personaId: agents[i]?.personaId ?? 0, name: agents[i]?.name ?? "" }));
      out.push({ kind: "scenario", key: `scenario:${step}:${g}`, input: { step, group: g, participants, actions, deliveries: [...new Set(seen)] } });
    }
  }
  return out;
}

export type AfterRoute = { kind: "act"; memories: string[]; inboxes: string[][] } | { kind: "scenarios"; tasks: NewTask[] };

/** What follows `route:step`: the next step's agent inputs, or the scenario tasks after the last step. */
export function nextAfterRoute(state: SimState, step: number, steps: number, tasks: readonly StoredTask[], n: number): AfterRoute {
  const map = byKey(tasks);
  if (step >= steps) return { kind: "scenarios", tasks: scenarioTasks(state, steps, map) };
  const memories = Array.from({ length: n }, (_, i) => memoryAfter(map, step, i));
  const inboxes: string[][] = Array.from({ length: n }, () => []);
  for (const d of deliveriesOf(map, step)) inboxes[d.to]?.push(`${state.agents[d.from]?.name ?? "someone"}: ${d.text}`);
  return { kind: "act", memories, inboxes };
}
