import { describe, expect, it } from "vitest";
import { type OutgoingMessage, routeMessages, type RoutingAgent } from "../../src/generator/algorithms/modulator.js";
import { mulberry32 } from "../../lib/random.js";

// Group 0 leans on axis 0 (a3 on axis 2), group 1 on axis 1.
const agents: RoutingAgent[] = [
  { id: "a1", name: "Ada", group: 0, vector: [1, 0, 0] },
  { id: "a2", name: "Ben", group: 0, vector: [1, 0.2, 0] },
  { id: "a3", name: "Cy", group: 0, vector: [0, 0, 1] },
  { id: "b1", name: "Dee", group: 1, vector: [0, 1, 0] },
  { id: "b2", name: "Eve", group: 1, vector: [0.1, 1, 0] },
];
const msg = (from: string, vector: number[], addressedTo: string[] = []): OutgoingMessage => ({ from, text: `from ${from}`, addressedTo, vector });
const short = (r: ReturnType<typeof routeMessages>) => r.deliveries.map((d) => `${d.from}->${d.to}:${d.via}`);

describe("routeMessages (grouped)", () => {
  const cases = [
    {
      // cos to Ben 0.999, to Cy 0 (filtered); group 1 centroid (0.05, 1, 0): cos 0.149 < 0.3, not relayed
      name: "delivers within the group to the most similar member only",
      messages: [msg("a1", [1, 0.1, 0])],
      want: ["a1->a2:group"],
      relayed: 0,
    },
    {
      // names "cy" (case-insensitive) in group 0: relayed to Cy only; Eve is Dee's most similar group mate
      name: "relays a message that names a member of another group",
      messages: [msg("b1", [0, 1, 0.5], ["cy"])],
      want: ["b1->a3:relay", "b1->b2:group"],
      relayed: 1,
    },
    {
      // cos to group 1 centroid ~0.999 >= 0.3: relayed to the closer of Dee (1.0) and Eve (0.995)
      name: "relays a message relevant to another group's centroid",
      messages: [msg("a3", [0, 1, 0])],
      want: ["a3->a2:group", "a3->b1:relay"],
      relayed: 1,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = routeMessages(agents, tc.messages, { mode: "grouped", random: mulberry32(1), fanout: 1 });
      expect(short(r)).toEqual(tc.want);
      expect(r.relayed).toBe(tc.relayed);
    });
  }

  it("gives a named recipient relevance 1 and keeps only the most relevant deliveries per inbox", () => {
    const messages = [msg("a1", [1, 0.3, 0]), msg("a3", [0.2, 0, 1], ["Ben"]), msg("b1", [1, 0, 0], ["ben"])];
    const r = routeMessages(agents, messages, { mode: "grouped", random: mulberry32(1), fanout: 1, inboxLimit: 2 });
    const toBen = r.deliveries.filter((d) => d.to === "a2");
    expect(toBen.map((d) => [d.from, d.relevance])).toEqual([
      ["a3", 1],
      ["b1", 1],
    ]);
    expect(r.dropped).toBe(1);
  });
});

describe("routeMessages (ablation modes)", () => {
  it("none delivers nothing", () => {
    expect(routeMessages(agents, [msg("a1", [1, 0, 0])], { mode: "none", random: mulberry32(1) })).toEqual({ deliveries: [], relayed: 0, dropped: 0 });
  });

  it("random sends each message to `fanout` distinct other agents regardless of content", () => {
    const messages = agents.map((a) => msg(a.id, [0, 0, 0]));
    const r = routeMessages(agents, messages, { mode: "random", random: mulberry32(5), fanout: 2 });
    for (const a of agents) {
      const out = r.deliveries.filter((d) => d.from === a.id);
      expect(out).toHaveLength(2);
      expect(new Set(out.map((d) => d.to)).size).toBe(2);
      expect(out.some((d) => d.to === a.id)).toBe(false);
      expect(out.every((d) => d.via === "random")).toBe(true);
    }
  });
});
