/**
 * A running simulator's mutable state, and delivery of one model call under the configured faults and
 * latency. Latency is a timer (never a busy wait); every pending timer or hanging request is tracked so
 * `close()` can cancel it and a client disconnect frees it at once.
 */
import type { ServerResponse } from "node:http";
import {
  drawFlag,
  drawTransportFault,
  faultsFor,
  sampleLatencyMs,
  type FaultSpec,
  type LatencySpec,
  type TransportFault,
} from "./faults.js";
import { InstructionAnalyzer } from "./instruction.js";
import type { SimPreset } from "./preset-schema.js";
import { ModelRegistry } from "./registry.js";
import { sendError, sendJson } from "./http-util.js";
import { mulberry32, type Rng } from "../../lib/random.js";
import { createBatchState, type BatchSimState } from "./batch.js";

export interface SimState {
  seed: number;
  registry: ModelRegistry;
  analyzer: InstructionAnalyzer;
  faults: FaultSpec;
  latency: LatencySpec;
  /** Sequential stream for fault and latency draws (text never uses it). */
  rng: Rng;
  requests: number;
  byModel: Record<string, number>;
  /** Transport faults injected so far, by kind (lets tests reconcile what clients saw). */
  faultCounts: Record<TransportFault, number>;
  /** Cancel functions of delayed and hanging responses. */
  pending: Set<() => void>;
  /** Uploaded files and batches (batch.ts). */
  batch: BatchSimState;
}

export const NO_LATENCY: LatencySpec = { kind: "fixed", ms: 0 };

export function createState(preset: SimPreset, seed: number, latency?: LatencySpec, faults?: FaultSpec): SimState {
  return {
    seed,
    registry: new ModelRegistry(preset),
    analyzer: new InstructionAnalyzer(preset.categories, preset.fallbackCategory),
    faults: faults ?? preset.faults ?? {},
    latency: latency ?? preset.latency ?? NO_LATENCY,
    rng: mulberry32(seed ^ 0x5f3759df),
    requests: 0,
    byModel: {},
    faultCounts: { rate429: 0, error500: 0, hang: 0, truncate: 0 },
    pending: new Set(),
    batch: createBatchState(),
  };
}

export function countRequest(state: SimState, model: string): void {
  state.requests++;
  state.byModel[model] = (state.byModel[model] ?? 0) + 1;
}

export interface DrawnFaults {
  transport: TransportFault | null;
  invalidVerdict: boolean;
  invalidJson: boolean;
  retryAfterSeconds: number;
}

/** Decide this call's faults from the seeded stream (before the reply is computed). */
export function drawFaults(state: SimState, model: string): DrawnFaults {
  const rates = faultsFor(state.faults, model);
  const transport = drawTransportFault(rates, state.rng);
  if (transport) state.faultCounts[transport]++;
  return {
    transport,
    invalidVerdict: drawFlag(rates.invalidVerdict, state.rng),
    invalidJson: drawFlag(rates.invalidJson, state.rng),
    retryAfterSeconds: rates.retryAfterSeconds ?? 1,
  };
}

/** Error bodies: OpenAI's `{ error: { message, type } }` or Hugging Face's `{ error: "message" }`. */
export type ErrorStyle = "openai" | "hf";

export function sendStyledError(res: ServerResponse, style: ErrorStyle, status: number, message: string, headers: Record<string, string> = {}): void {
  if (style === "hf") {
    sendJson(res, status, { error: message, error_type: status === 429 ? "overloaded" : "generation" }, headers);
    return;
  }
  sendError(res, status, status === 429 ? "rate_limit_error" : "server_error", message, null, null, headers);
}

export interface Delivery {
  model: string;
  completionTokens: number;
  style: ErrorStyle;
  send: () => void;
  /** Send part of the response and cut the connection. */
  truncate: () => void;
}

/** When each open request arrived (performance.now()), so latency counts from arrival. */
const arrivals = new WeakMap<ServerResponse, number>();

/** Note that the request answered by `res` has just arrived (called before its body is read). */
export function noteArrival(res: ServerResponse): void {
  arrivals.set(res, performance.now());
}

/**
 * Deliver a computed reply under `faults` once the sampled latency has passed since the request
 * arrived: reading, parsing and writing the answer are part of the latency, as they are at a provider.
 */
export function deliver(state: SimState, res: ServerResponse, faults: DrawnFaults, d: Delivery): void {
  if (faults.transport === "rate429") {
    const s = faults.retryAfterSeconds;
    const headers = { "retry-after": String(Math.ceil(s)), "retry-after-ms": String(Math.round(s * 1000)) };
    sendStyledError(res, d.style, 429, "Rate limit reached (simulated fault).", headers);
    return;
  }
  if (faults.transport === "hang") {
    hold(state, res, () => undefined);
    return;
  }
  const arrived = arrivals.get(res);
  const spent = arrived === undefined ? 0 : performance.now() - arrived;
  const delay = sampleLatencyMs(state.latency, d.model, d.completionTokens, state.rng) - spent;
  const finish = (): void => {
    if (faults.transport === "error500") sendStyledError(res, d.style, 500, "The server had an error (simulated fault).");
    else if (faults.transport === "truncate") d.truncate();
    else d.send();
  };
  if (delay <= 0) finish();
  else hold(state, res, finish, delay);
}

/** Keep `res` open; run `then` after `delayMs` (never, if undefined). Client disconnect cancels it. */
function hold(state: SimState, res: ServerResponse, then: () => void, delayMs?: number): void {
  let timer: NodeJS.Timeout | undefined;
  const cancel = (): void => {
    if (timer) clearTimeout(timer);
    state.pending.delete(cancel);
  };
  if (delayMs !== undefined) {
    timer = setTimeout(() => {
      cancel();
      res.off("close", cancel);
      then();
    }, delayMs);
  }
  state.pending.add(cancel);
  res.once("close", cancel);
}
