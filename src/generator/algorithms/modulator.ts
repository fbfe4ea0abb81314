/**
 * The MATRIX modulator: routes what agents say in one simulation step. In `grouped` mode each group's
 * modulator delivers a message to the group members it concerns (members it names, then the most
 * similar profiles) and passes it to another group only when it is relevant there (it names one of
 * its members, or its embedding is close to that group's centroid). `random` sends each message to
 * random agents regardless of content and `none` delivers nothing: the paper's communication
 * ablation. Pure: vectors and the random generator come in as arguments.
 */
import { cosine, mean, type Vector } from "./vectors.js";
import { shuffled } from "../../../lib/random.js";

export type CommunicationMode = "grouped" | "random" | "none";

export interface RoutingAgent {
  id: string;
  name: string;
  group: number;
  /** Profile embedding. */
  vector: Vector;
}

export interface OutgoingMessage {
  from: string;
  text: string;
  /** Names the sender addressed (matched case-insensitively against agent names). */
  addressedTo: readonly string[];
  vector: Vector;
}

export interface Delivery {
  to: string;
  from: string;
  text: string;
  via: "group" | "relay" | "random";
  /** Cosine between message and recipient profile; 1 for a recipient the sender named. */
  relevance: number;
}

export interface RouteOptions {
  mode: CommunicationMode;
  random: () => number;
  /** Same-group members a message reaches besides those it names, most similar first (default 3). */
  fanout?: number;
  /** Cosine to another group's centroid at or above which a message is relayed there (default 0.3). */
  relayThreshold?: number;
  /** Members of a receiving group that get a relayed message, most similar first (default 1). */
  relayFanout?: number;
  /** Most messages one agent receives per step; the most relevant are kept (default 6). */
  inboxLimit?: number;
}

export interface RoutingResult {
  deliveries: Delivery[];
  /** Messages passed between groups (one count per message and receiving group). */
  relayed: number;
  /** Deliveries cut by the inbox limit. */
  dropped: number;
}

const key = (name: string) => name.trim().toLowerCase();

/** Members of `pool` the message concerns: those it names, then the `n` most similar (cosine > 0). */
function concerned(msg: OutgoingMessage, pool: readonly RoutingAgent[], n: number): { agent: RoutingAgent; relevance: number }[] {
  const named = new Set(msg.addressedTo.map(key));
  const direct = pool.filter((a) => named.has(key(a.name))).map((agent) => ({ agent, relevance: 1 }));
  const rest = pool
    .filter((a) => !named.has(key(a.name)))
    .map((agent) => ({ agent, relevance: cosine(msg.vector, agent.vector) }))
    .filter((x) => x.relevance > 0)
    .sort((a, b) => b.relevance - a.relevance)
    .slice(0, n);
  return [...direct, ...rest];
}

function routeGrouped(agents: readonly RoutingAgent[], messages: readonly OutgoingMessage[], o: Required<Omit<RouteOptions, "mode" | "random">>) {
  const groups = [...new Set(agents.map((a) => a.group))].sort((a, b) => a - b);
  const members = new Map(groups.map((g) => [g, agents.filter((a) => a.group === g)]));
  const centroids = new Map(groups.map((g) => [g, mean((members.get(g) ?? []).map((a) => a.vector))]));
  const out: Delivery[] = [];
  let relayed = 0;
  for (const msg of messages) {
    const sender = agents.find((a) => a.id === msg.from);
    if (!sender) continue;
    const own = (members.get(sender.group) ?? []).filter((a) => a.id !== sender.id);
    for (const { agent, relevance } of concerned(msg, own, o.fanout)) out.push({ to: agent.id, from: msg.from, text: msg.text, via: "group", relevance });
    for (const g of groups) {
      if (g === sender.group) continue;
      const pool = members.get(g) ?? [];
      const named = new Set(msg.addressedTo.map(key));
      const namesMember = pool.some((a) => named.has(key(a.name)));
      if (!namesMember && cosine(msg.vector, centroids.get(g) ?? []) < o.relayThreshold) continue;
      const reach = concerned(msg, pool, namesMember ? 0 : o.relayFanout);
      if (reach.length === 0) continue;
      relayed++;
      for (const { agent, relevance } of reach) out.push({ to: agent.id, from: msg.from, text: msg.text, via: "relay", relevance });
    }
  }
  return { out, relayed };
}

function routeRandom(agents: readonly RoutingAgent[], messages: readonly OutgoingMessage[], fanout: number, random: () => number): Delivery[] {
  const out: Delivery[] = [];
  for (const msg of messages) {
    const others = agents.filter((a) => a.id !== msg.from);
    for (const agent of shuffled(random, others).slice(0, fanout)) {
      out.push({ to: agent.id, from: msg.from, text: msg.text, via: "random", relevance: cosine(msg.vector, agent.vector) });
    }
  }
  return out;
}

/** Keep each recipient's `limit` most relevant deliveries (ties keep message order). */
function capInboxes(agents: readonly RoutingAgent[], all: Delivery[], limit: number): { deliveries: Delivery[]; dropped: number } {
  const deliveries: Delivery[] = [];
  for (const a of agents) {
    const mine = all.filter((d) => d.to === a.id);
    const ranked = mine.map((d, i) => ({ d, i })).sort((x, y) => y.d.relevance - x.d.relevance || x.i - y.i);
    deliveries.push(...ranked.slice(0, limit).sort((x, y) => x.i - y.i).map((x) => x.d));
  }
  return { deliveries, dropped: all.length - deliveries.length };
}

/** Route one step's messages; deliveries come out grouped by recipient in `agents` order. */
export function routeMessages(agents: readonly RoutingAgent[], messages: readonly OutgoingMessage[], opts: RouteOptions): RoutingResult {
  const o = { fanout: opts.fanout ?? 3, relayThreshold: opts.relayThreshold ?? 0.3, relayFanout: opts.relayFanout ?? 1, inboxLimit: opts.inboxLimit ?? 6 };
  if (opts.mode === "none") return { deliveries: [], relayed: 0, dropped: 0 };
  if (opts.mode === "random") return { ...capInboxes(agents, routeRandom(agents, messages, o.fanout, opts.random), o.inboxLimit), relayed: 0 };
  const { out, relayed } = routeGrouped(agents, messages, o);
  return { ...capInboxes(agents, out, o.inboxLimit), relayed };
}
