import { describe, expect, it } from "vitest";
import { nextAfterRoute, type SimState, type StoredTask } from "../../src/generator/pipelines/simulation-plan.js";

// Three agents: Ann and Bo in group 0, Cy in group 1.
const state: SimState = {
  agents: [
    { personaId: 11, name: "Ann", description: "Ann" },
    { personaId: 12, name: "Bo", description: "Bo" },
    { personaId: 13, name: "Cy", description: "Cy" },
  ],
  groups: [0, 0, 1],
};
const act = (step: number, agent: number, status: string, memory: string, out?: Record<string, unknown>): StoredTask => ({
  key: `act:${step}:${agent}`,
  status,
  input: { memory },
  output: out ?? null,
});
const route = (step: number, deliveries: { to: number; from: number; text: string }[]): StoredTask => ({ key: `route:${step}`, status: "done", input: {}, output: { deliveries } });

describe("nextAfterRoute", () => {
  const step1 = [
    act(1, 0, "done", "", { memorySummary: "Ann met Bo", action: "walks", message: "hi Bo" }),
    act(1, 1, "failed", "Bo's old memory"),
    act(1, 2, "done", "", { memorySummary: "Cy alone", action: "reads", message: "anyone?" }),
    route(1, [
      { to: 1, from: 0, text: "hi Bo" },
      { to: 0, from: 2, text: "anyone?" },
    ]),
  ];

  it("carries summarised memories (the old one for a failed action) and fills inboxes", () => {
    expect(nextAfterRoute(state, 1, 2, step1, 3)).toEqual({
      kind: "act",
      memories: ["Ann met Bo", "Bo's old memory", "Cy alone"],
      inboxes: [["Cy: anyone?"], ["Ann: hi Bo"], []],
    });
  });

  it("after the last step plans one scenario per group and step, leaving out agents whose action failed", () => {
    const plan = nextAfterRoute(state, 1, 1, step1, 3);
    expect(plan.kind).toBe("scenarios");
    if (plan.kind !== "scenarios") return;
    expect(plan.tasks).toEqual([
      {
        kind: "scenario",
        key: "scenario:1:0",
        input: {
          step: 1,
          group: 0,
          participants: [{ personaId: 11, name: "Ann" }],
          actions: [{ name: "Ann", action: "walks", message: "hi Bo" }],
          deliveries: ["Ann -> Bo: hi Bo", "Cy -> Ann: anyone?"],
        },
      },
      {
        kind: "scenario",
        key: "scenario:1:1",
        input: { step: 1, group: 1, participants: [{ personaId: 13, name: "Cy" }], actions: [{ name: "Cy", action: "reads", message: "anyone?" }], deliveries: [] },
      },
    ]);
  });

  it("skips a group in which nobody acted", () => {
    const tasks = [act(1, 0, "failed", ""), act(1, 1, "failed", ""), act(1, 2, "done", "", { action: "a", message: "m" })];
    const plan = nextAfterRoute(state, 1, 1, tasks, 3);
    expect(plan.kind === "scenarios" ? plan.tasks.map((t) => t.key) : []).toEqual(["scenario:1:1"]);
  });
});
