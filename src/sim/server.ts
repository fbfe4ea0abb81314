/**
 * The matrix-arena SIMULATOR: an OpenAI-compatible HTTP server (node:http, no framework, so per-request
 * overhead stays tiny) whose models have hidden, known skills and whose judges have known noise and
 * biases. Routes:
 *   GET  /healthz, GET /v1/models, GET /v1/models/{id}
 *   POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings      (openai-routes.ts)
 *   POST /hf/models/{model}[/v1/chat/completions | /v1/completions]          (hf-routes.ts)
 *   POST /v1/files, GET /v1/files/{id}[/content], POST|GET /v1/batches, GET /v1/batches/{id}, POST /v1/batches/{id}/cancel   (batch-routes.ts)
 *   GET  /sim/truth, POST /sim/models, POST /sim/train (training stand-in), GET|POST /sim/config, GET /sim/stats   (admin-routes.ts)
 * See README.md in this folder for how answers and verdicts are produced.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleConfig, handleDerive, handleTrain, simConfig } from "./admin-routes.js";
import { RequestError } from "./chat-request.js";
import type { FaultSpec, LatencySpec } from "./faults.js";
import { handleHf, matchHfRoute } from "./hf-routes.js";
import { BodyTooLargeError, parseJson, readBody, readRawBody, sendError, sendJson } from "./http-util.js";
import { handleBatchCancel, handleBatchCreate, handleBatchGet, handleBatchList, handleFileGet, handleFileUpload } from "./batch-routes.js";
import { multipartBoundary } from "./multipart.js";
import type { BatchSpec } from "./batch.js";
import { handleChat, handleCompletions, handleEmbeddings, modelInfo, modelList } from "./openai-routes.js";
import { loadDefaultPreset, type SimPreset } from "./preset-schema.js";
import { SimError, type SimTruth } from "./registry.js";

/** The largest upload POST /v1/files takes: OpenAI's 200 MB batch input file limit, plus room for the multipart framing. */
const UPLOAD_MAX_BYTES = 200 * 1024 * 1024 + 64 * 1024;
import { createState, noteArrival, type ErrorStyle, type SimState } from "./state.js";

export type { FaultSpec, LatencySpec } from "./faults.js";
export type { SimPreset } from "./preset-schema.js";
export type { SimTruth } from "./registry.js";
export type { BatchSpec } from "./batch.js";

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Defaults to src/sim/presets/default.json. */
  preset?: SimPreset;
  latency?: LatencySpec;
  faults?: FaultSpec;
}

export interface Simulator {
  /** http://host:port */
  url: string;
  /** url + "/v1", for `new OpenAI({ baseURL })`. */
  baseUrl: string;
  close(): Promise<void>;
  truth(): SimTruth;
  setFaults(f: FaultSpec): void;
  setLatency(l: LatencySpec): void;
  /** How the batch interface behaves from now on (batches already created keep theirs). */
  setBatch(b: Partial<BatchSpec>): void;
  stats(): SimStats;
}

export interface SimStats {
  requests: number;
  byModel: Record<string, number>;
  /** Transport faults injected so far: rate429, error500, hang, truncate. */
  faults: Record<string, number>;
  /** Batches created, files stored, and how many times each custom_id was submitted in a valid batch. */
  batch: { batches: number; files: number; submitted: Record<string, number> };
}

function statsOf(state: SimState): SimStats {
  const b = state.batch;
  const batch = { batches: b.batches.size, files: b.files.size, submitted: Object.fromEntries(b.submitted) };
  return { requests: state.requests, byModel: { ...state.byModel }, faults: { ...state.faultCounts }, batch };
}

async function route(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (req.method === "GET" || req.method === "HEAD") {
    if (path === "/healthz") return sendJson(res, 200, { status: "ok", simulator: true });
    if (path === "/v1/models") return sendJson(res, 200, modelList(state));
    if (path.startsWith("/v1/models/")) return sendJson(res, 200, modelInfo(state, decodeURIComponent(path.slice(11))));
    if (path === "/sim/truth") return sendJson(res, 200, state.registry.truth(state.seed));
    if (path === "/sim/config") return sendJson(res, 200, simConfig(state));
    if (path === "/sim/stats") return sendJson(res, 200, statsOf(state));
    if (path === "/v1/batches") return handleBatchList(state, res, new URLSearchParams(q < 0 ? "" : url.slice(q + 1)));
    const batch = /^\/v1\/batches\/([^/]+)$/.exec(path);
    if (batch?.[1]) return handleBatchGet(state, res, decodeURIComponent(batch[1]));
    const file = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (file?.[1]) return handleFileGet(state, res, decodeURIComponent(file[1]), file[2] !== undefined);
    return sendError(res, 404, "not_found_error", `no route GET ${path} (matrix-arena simulator)`, "not_found");
  }
  if (req.method !== "POST") return sendError(res, 405, "invalid_request_error", `method ${req.method ?? ""} not allowed`);
  if (path === "/v1/files") {
    const boundary = multipartBoundary(req.headers["content-type"]);
    if (boundary === null) throw new RequestError("an upload must be multipart/form-data with purpose and file", "file");
    // OpenAI takes batch input files of up to 200 MB (the multipart framing adds a little).
    return handleFileUpload(state, res, await readRawBody(req, UPLOAD_MAX_BYTES), boundary);
  }
  const text = await readBody(req);
  // The SDK's cancel posts no body.
  const cancel = /^\/v1\/batches\/([^/]+)\/cancel$/.exec(path);
  if (cancel?.[1]) return handleBatchCancel(state, res, decodeURIComponent(cancel[1]));
  const body = parseJson(text);
  if (body === undefined) throw new RequestError("request body is not valid JSON", "body");
  if (path === "/v1/chat/completions") return handleChat(state, res, body, "openai");
  if (path === "/v1/completions") return handleCompletions(state, res, body, "openai");
  if (path === "/v1/embeddings") return handleEmbeddings(state, res, body);
  if (path === "/sim/models") return handleDerive(state, res, body);
  if (path === "/sim/train") return handleTrain(state, res, body);
  if (path === "/sim/config") return handleConfig(state, res, body);
  if (path === "/v1/batches") return handleBatchCreate(state, res, body);
  const hf = matchHfRoute(path);
  if (hf) return handleHf(state, res, body, hf);
  return sendError(res, 404, "not_found_error", `no route POST ${path} (matrix-arena simulator)`, "not_found");
}

/**
 * Map thrown errors to responses: bad input 400, unknown model 404, conflicts 409, anything else 500.
 * OpenAI routes get `{ error: { message, type, param, code } }`; /hf/ routes the TGI `{ error: "..." }`
 * shape, whose message @huggingface/inference surfaces.
 */
function fail(res: ServerResponse, err: unknown, style: ErrorStyle): void {
  let status = 500;
  let code = "internal_error";
  let param: string | null = null;
  let message = `simulator bug: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof RequestError) [status, code, param, message] = [400, "invalid_request", err.param, err.message];
  else if (err instanceof BodyTooLargeError) [status, code, message] = [413, "body_too_large", err.message];
  else if (err instanceof SimError) {
    status = err.code === "model_not_found" || err.code === "not_found" ? 404 : err.code === "model_exists" ? 409 : 400;
    [code, param, message] = [err.code, err.param, err.message];
  }
  if (style === "hf") return sendJson(res, status, { error: message, error_type: code });
  const type = status === 404 ? "not_found_error" : status === 500 ? "server_error" : "invalid_request_error";
  sendError(res, status, type, message, code, param);
}

/** Start the simulator; resolves once it listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const preset = opts.preset ?? (await loadDefaultPreset());
  const state = createState(preset, seed, opts.latency, opts.faults);
  const server = createServer((req, res) => {
    noteArrival(res);
    route(state, req, res).catch((err: unknown) => fail(res, err, req.url?.startsWith("/hf/") ? "hf" : "openai"));
  });
  // Benchmarks hold hundreds of keep-alive connections; don't let idle timers drop them mid-run.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; hand out an address clients can actually dial.
  const dial = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${dial.includes(":") ? `[${dial}]` : dial}:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    truth: () => state.registry.truth(seed),
    setFaults: (f) => void (state.faults = f),
    setLatency: (l) => void (state.latency = l),
    setBatch: (b) => void (state.batch.spec = { ...state.batch.spec, ...b }),
    stats: () => statsOf(state),
    close: () => closeServer(server, state),
  };
}

function closeServer(server: ReturnType<typeof createServer>, state: SimState): Promise<void> {
  for (const cancel of [...state.pending]) cancel();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Hanging and keep-alive connections would otherwise keep close() waiting.
    server.closeAllConnections();
  });
}
