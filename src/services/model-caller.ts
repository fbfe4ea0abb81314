/**
 * Calls models by registry name through the gateway: resolves the name to a `ModelSpec` and adapts
 * results for battles/. The registry row is read on every call (one primary-key lookup, small next to
 * the call itself): a copy cached here would let a PATCH lag behind in this process and in every
 * other worker, which no in-process invalidation could reach.
 */
import type { BattleLlm } from "../../battles/llm.js";
import type { Db } from "../../db/client.js";
import { AppError } from "../errors.js";
import type { ChatFailure, ChatRequest, ChatResult, Gateway, ModelSpec } from "../gateway/types.js";
import { getModelRow, toModelSpec } from "./models.js";

export interface ModelCaller extends BattleLlm {
  spec(name: string): Promise<ModelSpec | null>;
  chatRaw(name: string, req: ChatRequest): Promise<ChatResult>;
}

export function createModelCaller(db: Db, gateway: Gateway): ModelCaller {
  const spec = async (name: string): Promise<ModelSpec | null> => {
    try {
      return toModelSpec(await getModelRow(db, name));
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
