/**
 * The generator's pipeline context built from the service's dependencies: LLM calls and embeddings
 * through the model registry and the gateway, charged to a run's budget when a guard is given. The
 * worker builds one per task; routes that run a pipeline step inline (personas, simulations, previews)
 * build one too, without importing the worker.
 */
import { JobError } from "../../../lib/job-error.js";
import type { Deps } from "../../deps.js";
import type { SpendGuard } from "../../gateway/types.js";
import { createModelCaller } from "../../services/model-caller.js";
import { createEmbedder } from "./embedder.js";
import { createGenLlm } from "./llm.js";
import type { PipelineContext } from "../pipelines/pipeline.js";

/** The pipeline context on `deps`: LLM calls and embeddings through the registry and gateway, charged to `guard` when given. */
export function pipelineContext(deps: Pick<Deps, "db" | "gateway" | "config" | "logger">, guard?: SpendGuard): PipelineContext {
  const llm = createGenLlm(deps.db, deps.gateway, guard);
  const caller = createModelCaller(deps.db, deps.gateway);
  return {
    db: deps.db,
    log: deps.logger,
    llm,
    embedder: async (model) => {
      const spec = model ? await caller.spec(model) : null;
      if (model && !spec) throw new JobError("config", `embedding model '${model}' is not registered`, false);
      return createEmbedder(spec, deps.gateway, "generator", guard);
    },
  };
}
