/**
 * The simulator's batch interface (OpenAI's `/v1/files` + `/v1/batches`, as OpenAI documents it; not
 * every OpenAI-compatible server has it: vLLM's runs batch files offline with `vllm run-batch`): uploaded JSONL files, batch objects whose status moves on the
 * wall clock (validating -> in_progress -> finalizing -> completed, or expired / cancelling ->
 * cancelled), and output and error files written when a batch ends. Every line is answered as the
 * chat route would answer it (same text, same usage). `config` stretches the clock: `completionMs`
 * is how long a batch takes, `expireAfterMs` the completion window (a batch slower than it expires
 * with the share it finished), `failRate` the share of requests that come back as 500s.
 */
import { z } from "zod";
import type { Rng } from "../../lib/random.js";

export const batchSpecSchema = z.object({
  completionMs: z.number().min(0).max(86_400_000).default(0),
  failRate: z.number().min(0).max(1).default(0),
  expireAfterMs: z.number().min(0).max(86_400_000).optional(),
});
export type BatchSpec = z.infer<typeof batchSpecSchema>;

export interface SimFile {
  id: string;
  purpose: string;
  filename: string;
  createdAt: number;
  data: Buffer;
}

export type BatchStatus = "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";

export interface SimBatch {
  id: string;
  inputFileId: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string> | null;
  createdAt: number;
  /** The spec in force when it was created (a later config change does not move it). */
  spec: BatchSpec;
  /** Validated request lines; empty when validation failed. */
  lines: BatchLine[];
  validationErrors: { code: string; message: string; line: number | null }[];
  cancelledAt: number | null;
  /** Set once the batch has ended and its files are written. */
  ended: { status: BatchStatus; at: number; outputFileId: string | null; errorFileId: string | null; completed: number; failed: number } | null;
}

export interface BatchLine {
  customId: string;
  body: unknown;
}

export interface BatchSimState {
  spec: BatchSpec;
  files: Map<string, SimFile>;
  batches: Map<string, SimBatch>;
  /** How many times each custom_id was submitted in a batch that passed validation. */
  submitted: Map<string, number>;
  counter: number;
}

export function createBatchState(): BatchSimState {
  return { spec: batchSpecSchema.parse({}), files: new Map(), batches: new Map(), submitted: new Map(), counter: 0 };
}

export function nextId(s: BatchSimState, prefix: string): string {
  s.counter++;
  return `${prefix}-sim-${s.counter.toString(36).padStart(6, "0")}`;
}

/** Reads `{custom_id, method, url, body}` lines; problems are the batch's validation errors (it then fails). */
export function readBatchLines(data: string, endpoint: string): { lines: BatchLine[]; errors: SimBatch["validationErrors"] } {
  const lines: BatchLine[] = [];
  const errors: SimBatch["validationErrors"] = [];
  const seen = new Set<string>();
  data.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const line = i + 1;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      errors.push({ code: "invalid_json_line", message: `line ${line} is not valid JSON`, line });
      return;
    }
    const o = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    if (typeof o.custom_id !== "string" || o.custom_id === "") errors.push({ code: "missing_required_parameter", message: "custom_id must be a non-empty string", line });
    else if (seen.has(o.custom_id)) errors.push({ code: "duplicate_custom_id", message: `custom_id ${o.custom_id} is used twice`, line });
    else if (o.method !== "POST") errors.push({ code: "invalid_method", message: "method must be POST", line });
    else if (o.url !== endpoint) errors.push({ code: "mismatched_url", message: `url must be ${endpoint}, the batch's endpoint`, line });
    else if (typeof o.body !== "object" || o.body === null) errors.push({ code: "invalid_body", message: "body must be an object", line });
    else {
      seen.add(o.custom_id);
      lines.push({ customId: o.custom_id, body: o.body });
    }
  });
  if (lines.length === 0 && errors.length === 0) errors.push({ code: "empty_file", message: "the input file has no requests", line: null });
  return { lines, errors };
}

/** Where a batch stands at `now` before it has ended: the status, or the terminal status it reaches. Pure. */
export function batchPhase(b: Pick<SimBatch, "createdAt" | "spec" | "validationErrors" | "cancelledAt">, now: number): { status: BatchStatus; share: number } {
  const elapsed = now - b.createdAt;
  const { completionMs, expireAfterMs } = b.spec;
  const progress = completionMs === 0 ? 1 : Math.min(1, elapsed / completionMs);
  if (b.validationErrors.length > 0) return { status: elapsed >= completionMs * 0.1 ? "failed" : "validating", share: 0 };
  // A cancel is honoured at the next look: what finished by then is kept.
  if (b.cancelledAt !== null) return { status: now > b.cancelledAt ? "cancelled" : "cancelling", share: Math.min(1, (b.cancelledAt - b.createdAt) / Math.max(1, completionMs)) };
  if (expireAfterMs !== undefined && completionMs > expireAfterMs && elapsed >= expireAfterMs) return { status: "expired", share: expireAfterMs / completionMs };
  if (progress >= 1) return { status: "completed", share: 1 };
  if (progress < 0.1) return { status: "validating", share: 0 };
  return { status: progress < 0.9 ? "in_progress" : "finalizing", share: 0 };
}

export type Answer = (body: unknown) => { status: number; body: unknown };

/** The output and error lines of an ending batch: the first `share` of requests answered, the rest in the error file. */
export function endLines(b: SimBatch, status: BatchStatus, share: number, answer: Answer, rng: Rng, idOf: () => string): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const done = status === "completed" ? b.lines.length : Math.floor(b.lines.length * share);
  b.lines.forEach((l, i) => {
    const id = idOf();
    if (i >= done) {
      const code = status === "expired" ? "batch_expired" : "batch_cancelled";
      const message = status === "expired" ? "This request could not be executed before the completion window expired." : "This request was not executed: the batch was cancelled.";
      err.push(JSON.stringify({ id, custom_id: l.customId, response: null, error: { code, message } }));
      return;
    }
    const failed = b.spec.failRate > 0 && rng() < b.spec.failRate;
    const r = failed ? { status: 500, body: { error: { message: "The server had an error (simulated batch fault).", type: "server_error", param: null, code: null } } } : answer(l.body);
    const line = JSON.stringify({ id, custom_id: l.customId, response: { status_code: r.status, request_id: `req-${id}`, body: r.body }, error: null });
    (r.status === 200 ? out : err).push(line);
  });
  return { out, err };
}
