/** Background work beside the HTTP server: the embedded battle worker (unless disabled). */
import { hostname } from "node:os";
import { startWorker, type Worker } from "../battles/worker.js";
import type { StopOptions } from "../lib/job-loop.js";
import { styleFeatures } from "../reports/style-features.js";
import type { Deps } from "./deps.js";
import { createModelCaller } from "./services/model-caller.js";
import { advanceAdaptiveRound, advanceStalledAdaptiveRounds } from "./services/adaptive-rounds.js";
import { startGeneratorWorker } from "./generator/engine/worker.js";
import { startBatchCoordinator } from "./services/batch-coordinator.js";

export interface Background {
  worker: Worker | null;
  /** Stops claiming; jobs in flight get `graceMs` to finish (default: as long as they take), then are released. */
  stop(opts?: StopOptions): Promise<void>;
  /** Jobs (battles and generator tasks) the last stop released to the queue. */
  released(): number;
}

/** Starts a worker on `deps`; `role` names it in logs and leases. */
export function startBattleWorker(deps: Deps, role: string): Worker {
  const owner = `${hostname()}:${process.pid}:${role}`;
  deps.logger.info({ owner, concurrency: deps.config.workerConcurrency }, "battle worker started");
  // Batch models' calls are gathered, submitted and polled beside every worker (any number may run).
  const sidecar = startBatchCoordinator({ db: deps.db, secrets: deps.config.secrets, simBaseUrl: deps.config.simBaseUrl, log: deps.logger, ...deps.config.batch });
  return startWorker({
    sidecar,
    batchPauseMs: deps.config.batch.pauseMs,
    db: deps.db,
    llm: createModelCaller(deps.db, deps.gateway),
    owner,
    concurrency: deps.config.workerConcurrency,
    leaseMs: deps.config.leaseMs,
    log: deps.logger,
    style: (text) => ({ ...styleFeatures(text) }),
    adaptive: { advance: (roundId) => advanceAdaptiveRound(deps.db, roundId), advanceStalled: () => advanceStalledAdaptiveRounds(deps.db) },
  });
}

export function startBackground(deps: Deps): Background {
  const worker = deps.config.embeddedWorker ? startBattleWorker(deps, "embedded") : null;
  const generator = deps.config.embeddedWorker ? startGeneratorWorker(deps) : null;
  return {
    worker,
    stop: async (opts) => void (await Promise.all([worker?.stop(opts), generator?.stop(opts)])),
    released: () => (worker?.released ?? 0) + (generator?.released ?? 0),
  };
}
