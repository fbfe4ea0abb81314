/**
 * The simulator's batch routes (see batch.ts for the clock and the files):
 *   POST /v1/files (multipart: purpose, file)   GET /v1/files/{id}   GET /v1/files/{id}/content
 *   POST /v1/batches   GET /v1/batches (newest first, `limit`, `after`)   GET /v1/batches/{id}   POST /v1/batches/{id}/cancel
 * A batch's status is computed when it is read; the first read after it ends writes its output and
 * error files, answering every line as `POST /v1/chat/completions` would.
 */
import type { ServerResponse } from "node:http";
import { RequestError, parseChatBody } from "./chat-request.js";
import { respondChat } from "./chat-engine.js";
import { SIM_HEADER, sendError, sendJson } from "./http-util.js";
import { chatModelOrThrow, completionBody } from "./openai-routes.js";
import { SimError } from "./registry.js";
import { countRequest, type SimState } from "./state.js";
import { batchPhase, endLines, nextId, readBatchLines, type BatchSimState, type SimBatch, type SimFile } from "./batch.js";
import { parseMultipart } from "./multipart.js";

const sec = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.floor(ms / 1000));
const notFound = (what: string, id: string): never => {
  throw new SimError("not_found", `No ${what} found with id '${id}' (simulator).`, "id");
};

function fileView(f: SimFile): unknown {
  return { id: f.id, object: "file", bytes: f.data.length, created_at: sec(f.createdAt), filename: f.filename, purpose: f.purpose, status: "processed", status_details: null };
}

function putFile(bs: BatchSimState, purpose: string, filename: string, data: Buffer): SimFile {
  const f: SimFile = { id: nextId(bs, "file"), purpose, filename, createdAt: Date.now(), data };
  bs.files.set(f.id, f);
  return f;
}

/** `POST /v1/files`: the SDK's multipart upload. */
export function handleFileUpload(state: SimState, res: ServerResponse, body: Buffer, boundary: string): void {
  const parts = parseMultipart(body, boundary);
  const purpose = parts.find((p) => p.name === "purpose")?.data.toString("utf8");
  const file = parts.find((p) => p.name === "file");
  if (!purpose) throw new RequestError("purpose is required", "purpose");
  if (!["batch", "fine-tune", "assistants", "user_data", "evals"].includes(purpose)) throw new RequestError(`purpose '${purpose}' is not supported`, "purpose");
  if (!file) throw new RequestError("file is required", "file");
  sendJson(res, 200, fileView(putFile(state.batch, purpose, file.filename ?? "upload", file.data)));
}

export function handleFileGet(state: SimState, res: ServerResponse, id: string, content: boolean): void {
  const f = state.batch.files.get(id) ?? notFound("file", id);
  if (!content) return sendJson(res, 200, fileView(f));
  res.writeHead(200, { ...SIM_HEADER, "content-type": "application/octet-stream", "content-length": f.data.length });
  res.end(f.data);
}

/** The line's answer as the chat route gives it; a bad line is its own 400 or 404, as at OpenAI. */
function answerLine(state: SimState, body: unknown): { status: number; body: unknown } {
  try {
    const { request } = parseChatBody(body);
    const model = chatModelOrThrow(state, request.model);
    countRequest(state, model.name);
    const ctx = { seed: state.seed, analyzer: state.analyzer, answerNoise: state.registry.preset.answerNoise };
    const reply = respondChat(model, request, ctx, { invalidVerdict: false, invalidJson: false });
    return { status: 200, body: completionBody(`chatcmpl-sim-b${state.requests.toString(36)}`, model.name, reply) };
  } catch (e) {
    if (!(e instanceof RequestError) && !(e instanceof SimError)) throw e;
    const status = e instanceof SimError && e.code === "model_not_found" ? 404 : 400;
    return { status, body: { error: { message: e.message, type: status === 404 ? "not_found_error" : "invalid_request_error", param: e.param, code: e instanceof SimError ? e.code : "invalid_request" } } };
  }
}

/** Brings a batch up to `now`: when it has just ended, writes its files. */
function advance(state: SimState, b: SimBatch, now: number): void {
  if (b.ended) return;
  const { status, share } = batchPhase(b, now);
  if (!["completed", "expired", "cancelled", "failed"].includes(status)) return;
  const bs = state.batch;
  const { out, err } = status === "failed" ? { out: [], err: [] } : endLines(b, status, share, (body) => answerLine(state, body), state.rng, () => nextId(bs, "batch_req"));
  const file = (lines: string[], name: string) => (lines.length === 0 ? null : putFile(bs, "batch_output", name, Buffer.from(lines.map((l) => `${l}\n`).join(""))).id);
  b.ended = { status, at: now, outputFileId: file(out, `${b.id}_output.jsonl`), errorFileId: file(err, `${b.id}_error.jsonl`), completed: out.length, failed: err.length };
}

function batchView(state: SimState, b: SimBatch): unknown {
  const now = Date.now();
  advance(state, b, now);
  const status = b.ended?.status ?? batchPhase(b, now).status;
  const at = (s: string) => (b.ended?.status === s ? sec(b.ended.at) : null);
  const started = status === "validating" || status === "failed" ? null : sec(b.createdAt + b.spec.completionMs * 0.1);
  return {
    id: b.id,
    object: "batch",
    endpoint: b.endpoint,
    errors: b.validationErrors.length > 0 ? { object: "list", data: b.validationErrors.map((e) => ({ ...e, param: null })) } : null,
    input_file_id: b.inputFileId,
    completion_window: b.completionWindow,
    status,
    output_file_id: b.ended?.outputFileId ?? null,
    error_file_id: b.ended?.errorFileId ?? null,
    created_at: sec(b.createdAt),
    in_progress_at: started,
    expires_at: sec(b.createdAt + 86_400_000),
    finalizing_at: status === "finalizing" || status === "completed" ? sec(b.createdAt + b.spec.completionMs * 0.9) : null,
    completed_at: at("completed"),
    failed_at: at("failed"),
    expired_at: at("expired"),
    cancelling_at: sec(b.cancelledAt),
    cancelled_at: at("cancelled"),
    request_counts: { total: b.lines.length, completed: b.ended?.completed ?? 0, failed: b.ended?.failed ?? 0 },
    metadata: b.metadata,
  };
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw new RequestError(`${key} must be a non-empty string`, key);
  return v;
}

/** `POST /v1/batches`. */
export function handleBatchCreate(state: SimState, res: ServerResponse, body: unknown): void {
  const o = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const inputFileId = str(o, "input_file_id");
  const endpoint = str(o, "endpoint");
  const window = str(o, "completion_window");
  if (endpoint !== "/v1/chat/completions") throw new RequestError("endpoint must be /v1/chat/completions (the only one the simulator batches)", "endpoint");
  if (window !== "24h") throw new RequestError("completion_window must be 24h", "completion_window");
  const meta = o.metadata;
  if (meta !== undefined && meta !== null && (typeof meta !== "object" || Object.values(meta).some((v) => typeof v !== "string"))) throw new RequestError("metadata must map keys to strings", "metadata");
  const file = state.batch.files.get(inputFileId);
  if (!file) throw new RequestError(`no file with id '${inputFileId}'`, "input_file_id");
  if (file.purpose !== "batch") throw new RequestError(`file '${inputFileId}' has purpose '${file.purpose}', not batch`, "input_file_id");
  const { lines, errors } = readBatchLines(file.data.toString("utf8"), endpoint);
  const b: SimBatch = {
    id: nextId(state.batch, "batch"),
    inputFileId,
    endpoint,
    completionWindow: window,
    metadata: (meta as Record<string, string> | undefined) ?? null,
    createdAt: Date.now(),
    spec: { ...state.batch.spec },
    lines: errors.length > 0 ? [] : lines,
    validationErrors: errors,
    cancelledAt: null,
    ended: null,
  };
  for (const l of b.lines) state.batch.submitted.set(l.customId, (state.batch.submitted.get(l.customId) ?? 0) + 1);
  state.batch.batches.set(b.id, b);
  sendJson(res, 200, batchView(state, b));
}

export function handleBatchGet(state: SimState, res: ServerResponse, id: string): void {
  sendJson(res, 200, batchView(state, state.batch.batches.get(id) ?? notFound("batch", id)));
}

/** `POST /v1/batches/{id}/cancel`: cancelling now, cancelled at the next look; an ended batch stays as it is. */
export function handleBatchCancel(state: SimState, res: ServerResponse, id: string): void {
  const b = state.batch.batches.get(id) ?? notFound("batch", id);
  advance(state, b, Date.now());
  if (b.ended) return sendError(res, 409, "invalid_request_error", `Cannot cancel a batch with status ${b.ended.status}.`, "batch_not_cancellable", "id");
  if (b.cancelledAt === null) b.cancelledAt = Date.now();
  sendJson(res, 200, batchView(state, b));
}

/** `GET /v1/batches?limit=&after=`: newest first, OpenAI's cursor page. */
export function handleBatchList(state: SimState, res: ServerResponse, query: URLSearchParams): void {
  const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 20) || 20));
  const all = [...state.batch.batches.values()].reverse();
  const after = query.get("after");
  const from = after ? all.findIndex((b) => b.id === after) + 1 : 0;
  const page = all.slice(from, from + limit);
  const data = page.map((b) => batchView(state, b));
  sendJson(res, 200, { object: "list", data, first_id: page[0]?.id ?? null, last_id: page[page.length - 1]?.id ?? null, has_more: from + limit < all.length });
}
