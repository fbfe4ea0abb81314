/**
 * The generator's LLM access: every step asks a registered model (by name) for a value of a zod
 * schema through the gateway's structured output (`chatJson`: JSON Schema as response_format,
 * validated, re-asked when invalid). A failure becomes a `JobError` that says whether retrying can
 * help; the task queue records it on the task.
 */
import type { z } from "zod";
import type { Db } from "../../../db/client.js";
import { chatJson } from "../../gateway/structured-output.js";
import type { ChatMessage, Gateway, ModelSpec, SpendGuard } from "../../gateway/types.js";
import { createModelCaller } from "../../services/model-caller.js";
import { JobError } from "../../../lib/job-error.js";

export interface JsonCall<T> {
  model: string;
  messages: ChatMessage[];
  schema: z.ZodType<T>;
  schemaName: string;
  /** Sampling seed and temperature sent to the provider (the simulator keys its reply on them too). */
  seed?: number;
  temperature?: number;
}

export interface GenLlm {
  json<T>(call: JsonCall<T>): Promise<T>;
  /** The registered model's spec, or null when no model of that name is registered. */
  spec(model: string): Promise<ModelSpec | null>;
}

/** `guard`: the run's budget, when it has one; every call reserves against it. */
export function createGenLlm(db: Db, gateway: Gateway, guard?: SpendGuard): GenLlm {
  const caller = createModelCaller(db, gateway);
  return {
    spec: (name) => caller.spec(name),
    async json<T>(call: JsonCall<T>): Promise<T> {
      const spec = await caller.spec(call.model);
      if (!spec) throw new JobError("config", `model '${call.model}' is not registered`, false);
      const params = { ...(call.seed !== undefined ? { seed: call.seed } : {}), ...(call.temperature !== undefined ? { temperature: call.temperature } : {}) };
      const res = await chatJson(gateway, spec, { messages: call.messages, params, purpose: "generator", ...(guard ? { guard } : {}) }, call.schema, { schemaName: call.schemaName });
      if (!res.ok) throw new JobError(res.kind, res.message, res.retryable);
      return res.value;
    },
  };
}
