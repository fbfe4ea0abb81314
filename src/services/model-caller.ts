/**
 * Calls models by registry name through the gateway: resolves the name to a `ModelSpec` (cached for a
 * few seconds so a busy worker does not read the registry per call) and adapts results for battles/.
 */
import type { BattleLlm } from "../../battles/llm.js";
import type { Db } from "../../db/client.js";
import { AppError } from "../errors.js";
import type { ChatFailure, ChatRequest, ChatResult, Gateway, ModelSpec } from "../gateway/types.js";
import { getModelRow, toModelSpec } from "./models.js";

const TTL_MS = 5000;

export interface ModelCaller extends BattleLlm {
  spec(name: string): Promise<ModelSpec | null>;
  chatRaw(name: string, req: ChatRequest): Promise<ChatResult>;
}

export function createModelCaller(db: Db, gateway: Gateway, now: () => number = Date.now): ModelCaller {
  const cache = new Map<string, { at: number; spec: ModelSpec }>();
  const spec = async (name: string): Promise<ModelSpec | null> => {
    const hit = cache.get(name);
    if (hit && now() - hit.at < TTL_MS) return hit.spec;
    try {
      const s = toModelSpec(await getModelRow(db, name));
      cache.set(name, { at: now(), spec: s });
      return s;
    } catch (e) {
      if (e instanceof AppError && e.code === "not_found") return null;
      throw e;
    }
  };
  const missing = (name: string): ChatFailure => ({
    ok: false,
    kind: "config",
    message: `model '${name}' is not registered`,
    retryable: false,
    attempts: 0,
    latencyMs: 0,
  });
  const chatRaw = async (name: string, req: ChatRequest): Promise<ChatResult> => {
    const s = await spec(name);
    return s ? gateway.chat(s, req) : missing(name);
  };
  return {
    spec,
    chatRaw,
    chat: (name, req) => chatRaw(name, req),
    score: async (name, text) => {
      const s = await spec(name);
      return s ? gateway.score(s, text) : missing(name);
    },
  };
}
