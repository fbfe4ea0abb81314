/**
 * The simulator's model registry: answer models (hidden per-category skills, a style), judges, reward and
 * embedding models, built from a preset, plus models registered at run time as derivatives of existing
 * ones (the "training stand-in"). `truth()` reveals the hidden parameters for checking statistics.
 */
import type {
  AnswerStyle,
  EmbeddingModelSpec,
  JudgeSpec,
  RewardModelSpec,
  SimPreset,
} from "./preset-schema.js";
import type { SimReasoning } from "./reasoning.js";

export type ModelKind = "answer" | "judge" | "reward" | "embedding";

/** A model that writes chat completions (answer models and judges both can). */
export interface ChatModel {
  name: string;
  kind: "answer" | "judge";
  /** Resolved skill for every category. */
  skills: Record<string, number>;
  style: AnswerStyle;
  judge: JudgeSpec | null;
  derivedFrom: string | null;
  /** A reasoning model's trace: how it is sent and how long it is; null for an ordinary model. */
  reasoning: SimReasoning | null;
  /** Skill lost per earlier user turn (preset `turnDecay`); 0 for judges. */
  turnDecay: number;
}

export interface SimTruth {
  simulator: true;
  seed: number;
  preset: string;
  categories: string[];
  fallbackCategory: string;
  answerNoise: number;
  models: Record<string, { skill: number; skills: Record<string, number>; style: AnswerStyle; derivedFrom: string | null; turnDecay: number }>;
  judges: Record<string, { noise: number; positionBias: number; verbosityBias: number; invalidRate: number; skill: number }>;
  rewardModels: Record<string, { noise: number; verbosityBias: number }>;
  embeddingModels: Record<string, { dimensions: number }>;
}

/** Domain error with a code and no HTTP knowledge; the server maps codes to statuses. */
export class SimError extends Error {
  constructor(
    readonly code: "model_not_found" | "invalid_request" | "model_exists" | "not_found",
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "SimError";
  }
}

const PLAIN_STYLE: AnswerStyle = { markdown: "none", padding: [0, 1], detail: 1, variation: 0 };

/** Mean of a model's category skills: the single "overall" number the truth reports. */
export function overallSkill(skills: Record<string, number>): number {
  const v = Object.values(skills);
  return v.length === 0 ? 0 : v.reduce((s, x) => s + x, 0) / v.length;
}

export class ModelRegistry {
  readonly categories: string[];
  private readonly chat = new Map<string, ChatModel>();
  private readonly rewards = new Map<string, RewardModelSpec>();
  private readonly embedders = new Map<string, EmbeddingModelSpec>();

  constructor(readonly preset: SimPreset) {
    this.categories = preset.categories.map((c) => c.name);
    for (const m of preset.models) {
      const skills = Object.fromEntries(this.categories.map((c) => [c, m.skills[c] ?? m.skill]));
      this.chat.set(m.name, { name: m.name, kind: "answer", skills, style: m.style, judge: null, derivedFrom: null, reasoning: m.reasoning ?? null, turnDecay: m.turnDecay });
    }
    for (const j of preset.judges) {
      const skills = Object.fromEntries(this.categories.map((c) => [c, j.skill]));
      this.chat.set(j.name, { name: j.name, kind: "judge", skills, style: PLAIN_STYLE, judge: j, derivedFrom: null, reasoning: j.reasoning ?? null, turnDecay: 0 });
    }
    for (const r of preset.rewardModels) this.rewards.set(r.name, r);
    for (const e of preset.embeddingModels) this.embedders.set(e.name, e);
  }

  kindOf(name: string): ModelKind | null {
    const c = this.chat.get(name);
    if (c) return c.kind;
    if (this.rewards.has(name)) return "reward";
    return this.embedders.has(name) ? "embedding" : null;
  }

  /** All model names with their kind, in registration order (chat models first). */
  list(): { id: string; kind: ModelKind }[] {
    return [
      ...[...this.chat.values()].map((m) => ({ id: m.name, kind: m.kind })),
      ...[...this.rewards.keys()].map((id) => ({ id, kind: "reward" as const })),
      ...[...this.embedders.keys()].map((id) => ({ id, kind: "embedding" as const })),
    ];
  }

  chatModel(name: string): ChatModel | undefined {
    return this.chat.get(name);
  }

  rewardModel(name: string): RewardModelSpec | undefined {
    return this.rewards.get(name);
  }

  embeddingModel(name: string): EmbeddingModelSpec | undefined {
    return this.embedders.get(name);
  }

  /** Register `name` as a copy of answer model `from` with per-category skill deltas. */
  derive(name: string, from: string, skillDelta: Record<string, number>): ChatModel {
    if (this.kindOf(name) !== null) throw new SimError("model_exists", `model "${name}" already exists`, "name");
    const base = this.chat.get(from);
    if (!base) throw new SimError("model_not_found", `model "${from}" does not exist`, "from");
    for (const cat of Object.keys(skillDelta)) {
      if (!this.categories.includes(cat)) throw new SimError("invalid_request", `unknown category "${cat}"`, `skillDelta.${cat}`);
    }
    const skills = Object.fromEntries(this.categories.map((c) => [c, (base.skills[c] ?? 0) + (skillDelta[c] ?? 0)]));
    const model: ChatModel = { ...base, name, kind: "answer", skills, judge: null, derivedFrom: from };
    this.chat.set(name, model);
    return model;
  }

  truth(seed: number): SimTruth {
    const t: SimTruth = {
      simulator: true,
      seed,
      preset: this.preset.name,
      categories: this.categories,
      fallbackCategory: this.preset.fallbackCategory,
      answerNoise: this.preset.answerNoise,
      models: {},
      judges: {},
      rewardModels: {},
      embeddingModels: {},
    };
    for (const m of this.chat.values()) {
      if (m.kind === "answer") {
        t.models[m.name] = { skill: overallSkill(m.skills), skills: { ...m.skills }, style: m.style, derivedFrom: m.derivedFrom, turnDecay: m.turnDecay };
      } else if (m.judge) {
        const { noise, positionBias, verbosityBias, invalidRate, skill } = m.judge;
        t.judges[m.name] = { noise, positionBias, verbosityBias, invalidRate, skill };
      }
    }
    for (const r of this.rewards.values()) t.rewardModels[r.name] = { noise: r.noise, verbosityBias: r.verbosityBias };
    for (const e of this.embedders.values()) t.embeddingModels[e.name] = { dimensions: e.dimensions };
    return t;
  }
}
