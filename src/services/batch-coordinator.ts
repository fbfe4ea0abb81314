/**
 * The batch coordinator: gathers batch models' recorded requests (db/batch-store.ts) into provider
 * batches, polls them and writes their answers back, on a timer beside each battle worker.
 *
 * One tick: (1) submissions left `submitting` by a dead process are looked up at the provider by
 * their `metadata.local_id` and adopted, or given back to pending when the provider never got them;
 * (2) per model, pending requests that have waited `gatherMs` (or fill a batch) are claimed and sent
 * as one JSONL file; (3) every open batch is polled (cancelled first when its round was), and an
 * ended one's output and error files are written back: answers stored, failed and expired requests
 * resubmitted, 4xx failures kept as the request's answer. Claims skip rows locked by another
 * coordinator and every write is guarded by state, so any number of processes may run one.
 */
import { APIError } from "openai";
import type { Db } from "../../db/client.js";
import { abandonSubmission, claimSubmission, endBatch, markSubmitted, noteStatus, openBatches, pendingByModel, refuseSubmission, staleSubmissions, type ProviderBatchRow } from "../../db/batch-store.js";
import { createBatchClient, type BatchClient } from "../gateway/batch-client.js";
import { batchInputLine, parseResultFile, TERMINAL_STATUSES } from "../gateway/batch-protocol.js";
import { resolveTarget } from "../gateway/call-target.js";
import type { SecretResolver } from "../gateway/types.js";
import { getModelRow, toModelSpec } from "./models.js";

export interface BatchCoordinatorOptions {
  db: Db;
  secrets: SecretResolver;
  simBaseUrl?: string;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Pause between ticks. */
  pollMs: number;
  /** How long the oldest pending request of a model waits for company before its batch is sent. */
  gatherMs: number;
  /** Requests per batch file (OpenAI allows 50,000). */
  maxRequests: number;
  /** A submission not recorded as submitted within this long was interrupted (then recovered). */
  submitLeaseMs?: number;
}

export interface BatchCoordinator {
  /** One pass (also run by the timer); concurrent calls share the pass in progress. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startBatchCoordinator(o: BatchCoordinatorOptions): BatchCoordinator {
  const clients = new Map<string, BatchClient>();
  const clientOf = async (modelName: string): Promise<BatchClient> => {
    const spec = toModelSpec(await getModelRow(o.db, modelName));
    const target = resolveTarget(spec, "chat", o.secrets, o.simBaseUrl);
    if (!target.ok) throw new Error(target.message);
    const id = `${target.baseUrl ?? ""}\u0000${target.apiKey ?? ""}`;
    let c = clients.get(id);
    if (!c) clients.set(id, (c = createBatchClient(target.baseUrl, target.apiKey)));
    return c;
  };
  const leaseMs = o.submitLeaseMs ?? 60_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<void> => {
    for (const b of await staleSubmissions(o.db)) await step(o, "recover", b.id, () => recover(o, b, clientOf));
    for (const p of await pendingByModel(o.db, o.gatherMs)) {
      if (!p.due && p.count < o.maxRequests) continue;
      await step(o, "submit", p.model, () => submitAll(o, p.model, leaseMs, clientOf));
    }
    for (const b of await openBatches(o.db)) await step(o, "poll", b.id, () => poll(o, b, clientOf));
  };
  const tick = (): Promise<void> => {
    running ??= pass()
      .catch((e: unknown) => o.log.warn({ err: String(e) }, "batch coordinator: tick failed (retried on the next)"))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const loop = (): void => {
    if (stopped) return;
    void tick().then(() => {
      if (!stopped) timer = setTimeout(loop, o.pollMs);
    });
  };
  loop();
  return {
    tick,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Runs one step; a failure (provider down, database blip) is logged and the step retried next tick. */
async function step(o: BatchCoordinatorOptions, what: string, id: string | number, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    o.log.warn({ step: what, id, err: e instanceof Error ? e.message : String(e) }, "batch coordinator: step failed (retried on the next tick)");
  }
}

async function submitAll(o: BatchCoordinatorOptions, model: string, leaseMs: number, clientOf: (m: string) => Promise<BatchClient>): Promise<void> {
  const client = await clientOf(model);
  for (;;) {
    const claim = await claimSubmission(o.db, model, o.maxRequests, leaseMs);
    if (!claim) return;
    const lines = claim.requests.map((r) => batchInputLine(r.key, r.body));
    try {
      const b = await client.submit(lines, String(claim.batch.id));
      await markSubmitted(o.db, claim.batch.id, b.id, b.inputFileId, b.status);
      o.log.info({ model, batchId: b.id, requests: lines.length }, "provider batch submitted");
    } catch (e) {
      // The provider answered with an error: nothing was created. A refusal that would repeat (see
      // refusal) fails the requests; any other answer (5xx, 429) sends them back to pending now.
      // No answer at all may have created the batch: recovery looks for it once the lease runs out.
      if (e instanceof APIError && typeof e.status === "number") {
        const why = refusal(e.status, e.message, lines.length);
        if (why) {
          const failed = await refuseSubmission(o.db, claim.batch.id, `http ${e.status}`, why);
          o.log.warn({ model, status: e.status, requests: failed, err: e.message }, "provider refused the batch submission: its requests failed");
          continue;
        }
        await abandonSubmission(o.db, claim.batch.id);
      }
      throw e;
    }
    if (claim.requests.length < o.maxRequests) return;
  }
}

/**
 * Why a submission's HTTP error would repeat on every resubmission, as the requests' error; null for
 * errors worth retrying (408, 409, 429, 5xx). A 404 or 405 is an endpoint without OpenAI's batch
 * API (vLLM's OpenAI server, for one, has no /v1/files or /v1/batches: its batches run offline with
 * `vllm run-batch`); a 413 a file over the provider's size limit.
 */
export function refusal(status: number, message: string, requests: number): string | null {
  if (status < 400 || status >= 500 || status === 408 || status === 409 || status === 429) return null;
  const base = `batch submission refused by the provider (HTTP ${status}: ${message})`;
  if (status === 404 || status === 405) return `${base}: this endpoint has no batch API (/v1/files + /v1/batches); register the model with batch: false`;
  if (status === 413) return `${base}: the file of ${requests} requests is over its size limit; lower MATRIX_ARENA_BATCH_MAX_REQUESTS`;
  return base;
}

async function recover(o: BatchCoordinatorOptions, b: ProviderBatchRow, clientOf: (m: string) => Promise<BatchClient>): Promise<void> {
  const client = await clientOf(b.model);
  const found = await client.findByLocalId(String(b.id), Math.floor(b.createdAt.getTime() / 1000) - 300);
  if (found) {
    await markSubmitted(o.db, b.id, found.id, found.inputFileId, found.status);
    o.log.info({ model: b.model, batchId: found.id }, "interrupted batch submission found at the provider: polling it");
  } else {
    await abandonSubmission(o.db, b.id);
    o.log.info({ model: b.model, localId: b.id }, "interrupted batch submission never reached the provider: its requests go out again");
  }
}

async function poll(o: BatchCoordinatorOptions, b: ProviderBatchRow, clientOf: (m: string) => Promise<BatchClient>): Promise<void> {
  if (b.providerBatchId === null) return;
  const client = await clientOf(b.model);
  let view = await client.retrieve(b.providerBatchId);
  if (b.cancelRequested && !TERMINAL_STATUSES.has(view.status) && view.status !== "cancelling") view = await client.cancel(b.providerBatchId);
  if (view.status !== b.status) await noteStatus(o.db, b.id, view.status);
  if (!TERMINAL_STATUSES.has(view.status)) return;
  const files = await Promise.all([view.outputFileId, view.errorFileId].map((f) => (f ? client.content(f) : Promise.resolve(""))));
  const lines = files.flatMap((t) => parseResultFile(t));
  const counts = await endBatch(o.db, b.id, view.status, lines, view.status === "cancelled" && b.cancelRequested);
  o.log.info({ model: b.model, batchId: view.id, status: view.status, ...counts }, "provider batch ended");
}
